import type { Logger } from '../core/runtime.ts';
import type { CloudModel, CloudResource } from '../core/types.ts';
import type { SqsService } from './sqs-service.ts';

/** Template properties that are queue attributes of the same name. */
const NUMERIC = ['VisibilityTimeout', 'DelaySeconds', 'MessageRetentionPeriod', 'MaximumMessageSize', 'ReceiveMessageWaitTimeSeconds'];
/** FIFO queues' properties, queue attributes of the same name (booleans as `true` | `false`). */
const FIFO = ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];
/** Properties that change nothing locally (encryption, tags). */
const IGNORED = new Set(['SqsManagedSseEnabled', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'Tags', 'QueueName', 'RedriveAllowPolicy']);

/**
 * Creates (or updates) every AWS::SQS::Queue of the templates, keeping the URL and ARN the template
 * reader resolved so that `Ref` and `GetAtt Arn` values in function environments address them.
 * Returns a warning for each queue or property it cannot honour.
 */
export function provisionQueues(sqs: SqsService, model: CloudModel, logger: Logger): string[] {
  const warnings: string[] = [];
  for (const resource of model.byType('AWS::SQS::Queue')) {
    const where = `${resource.stack}/${resource.logicalId}`;
    const { properties } = resource;
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(properties)) {
      if (NUMERIC.includes(name) || FIFO.includes(name)) attributes[name] = String(value);
      else if (name === 'RedrivePolicy') attributes[name] = typeof value === 'string' ? value : JSON.stringify(value);
      else if (!IGNORED.has(name)) warnings.push(`SQS queue ${where}: property ${name} is not supported locally and is ignored`);
    }
    const name = queueNameOf(resource);
    try {
      sqs.createQueue(name, attributes, {
        ...(resource.physicalId.startsWith('http') ? { url: resource.physicalId } : {}),
        ...(resource.arn !== undefined ? { arn: resource.arn } : {}),
      });
    } catch (error) {
      // CloudFormation would fail the stack; here the queue is named as not created.
      warnings.push(`SQS queue ${where}: not created: ${(error as Error).message}`);
    }
  }
  for (const warning of warnings) logger.warn(warning);
  return warnings;
}

export function queueNameOf(resource: CloudResource): string {
  const explicit = resource.properties['QueueName'];
  if (typeof explicit === 'string') return explicit;
  if (resource.arn !== undefined) return resource.arn.slice(resource.arn.lastIndexOf(':') + 1);
  return resource.physicalId.slice(resource.physicalId.lastIndexOf('/') + 1);
}
