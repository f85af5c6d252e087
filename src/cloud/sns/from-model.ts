import type { Logger } from '../core/runtime.ts';
import type { CloudModel } from '../core/types.ts';
import type { SnsService } from './sns-service.ts';

/**
 * Creates the templates' topics (AWS::SNS::Topic, with inline Subscription lists) and their
 * AWS::SNS::Subscription resources. Returns a warning for each thing it cannot honour.
 */
export function provisionTopics(sns: SnsService, model: CloudModel, logger: Logger): string[] {
  const warnings: string[] = [];
  for (const resource of model.byType('AWS::SNS::Topic')) {
    const where = `${resource.stack}/${resource.logicalId}`;
    const { properties } = resource;
    const arn = resource.physicalId.startsWith('arn:') ? resource.physicalId : (resource.arn ?? sns.arnOf(resource.physicalId));
    const name = typeof properties['TopicName'] === 'string' ? properties['TopicName'] : arn.slice(arn.lastIndexOf(':') + 1);
    const attributes: Record<string, string> = {};
    if (typeof properties['DisplayName'] === 'string') attributes['DisplayName'] = properties['DisplayName'];
    // CloudFormation takes TracingConfig as a plain string (`Active` | `PassThrough`).
    if (typeof properties['TracingConfig'] === 'string') attributes['TracingConfig'] = properties['TracingConfig'];
    for (const flag of ['FifoTopic', 'ContentBasedDeduplication']) {
      if (properties[flag] !== undefined) attributes[flag] = String(properties[flag]);
    }
    try {
      sns.createTopic(name, attributes, arn);
    } catch (error) {
      warnings.push(`SNS topic ${where}: not created: ${(error as Error).message}`);
      continue;
    }
    const inline = properties['Subscription'];
    if (Array.isArray(inline)) {
      for (const entry of inline as Array<{ Protocol?: unknown; Endpoint?: unknown }>) {
        if (typeof entry.Protocol === 'string' && typeof entry.Endpoint === 'string') {
          subscribe(sns, warnings, where, { topicArn: arn, protocol: entry.Protocol, endpoint: entry.Endpoint });
        }
      }
    }
  }
  for (const resource of model.byType('AWS::SNS::Subscription')) {
    const where = `${resource.stack}/${resource.logicalId}`;
    const { properties } = resource;
    const { TopicArn: topicArn, Protocol: protocol, Endpoint: endpoint } = properties;
    if (typeof topicArn !== 'string' || typeof protocol !== 'string' || typeof endpoint !== 'string') {
      warnings.push(`SNS subscription ${where}: TopicArn, Protocol and Endpoint must resolve to strings`);
      continue;
    }
    for (const name of ['DeliveryPolicy', 'SubscriptionRoleArn']) {
      if (properties[name] !== undefined) warnings.push(`SNS subscription ${where}: ${name} is not supported locally and is ignored`);
    }
    const attributes: Record<string, string> = {};
    const raw = properties['RawMessageDelivery'];
    if (raw === true || raw === 'true') attributes['RawMessageDelivery'] = 'true';
    const redrive = properties['RedrivePolicy'];
    if (redrive !== undefined) attributes['RedrivePolicy'] = typeof redrive === 'string' ? redrive : JSON.stringify(redrive);
    // CloudFormation takes FilterPolicy as a JSON object (or its text) and FilterPolicyScope as a string.
    const filterPolicy = properties['FilterPolicy'];
    if (filterPolicy !== undefined) attributes['FilterPolicy'] = typeof filterPolicy === 'string' ? filterPolicy : JSON.stringify(filterPolicy);
    if (typeof properties['FilterPolicyScope'] === 'string') attributes['FilterPolicyScope'] = properties['FilterPolicyScope'];
    subscribe(sns, warnings, where, {
      topicArn,
      protocol,
      endpoint,
      attributes,
      ...(resource.physicalId.startsWith('arn:aws:sns:') ? { arn: resource.physicalId } : {}),
    });
  }
  for (const warning of warnings) logger.warn(warning);
  return warnings;
}

function subscribe(sns: SnsService, warnings: string[], where: string, input: Parameters<SnsService['subscribe']>[0]): void {
  try {
    sns.subscribe(input);
  } catch (error) {
    warnings.push(`SNS subscription ${where}: ${(error as Error).message}`);
  }
}
