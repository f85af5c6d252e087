/**
 * Creates the templates' event buses (AWS::Events::EventBus) and rules (AWS::Events::Rule with
 * their Targets), as CloudFormation creates them through EventBridge's API. Returns a warning for
 * each thing that does not run, naming it.
 */
import { AwsError } from '../protocol/errors.ts';
import type { CloudModel } from '../core/types.ts';
import type { EventBridgeService, TargetInputSpec } from './eventbridge-service.ts';
import type { RuleState } from './model.ts';

type Props = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const record = (value: unknown): Props | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Props) : undefined);
const integer = (value: unknown): number | undefined => (value === undefined || value === null || value === '' ? undefined : Number(value));

export function provisionEventBridge(events: EventBridgeService, model: CloudModel): string[] {
  const warnings: string[] = [];
  for (const resource of model.byType('AWS::Events::EventBus')) {
    const where = `${resource.stack}/${resource.logicalId}`;
    if (resource.properties['EventSourceName'] !== undefined) warnings.push(`event bus ${where}: partner event sources do not exist locally; the bus takes PutEvents only`);
    try {
      events.createEventBus(resource.physicalId, text(resource.properties['Description']));
    } catch (error) {
      if (!(error instanceof AwsError && error.code === 'ResourceAlreadyExistsException')) warnings.push(`event bus ${where}: ${(error as Error).message}`);
    }
  }
  for (const resource of model.byType('AWS::Events::Rule')) {
    const where = `${resource.stack}/${resource.logicalId}`;
    const { properties } = resource;
    const name = resource.physicalId.slice(resource.physicalId.indexOf('|') + 1);
    const pattern = properties['EventPattern'];
    const eventBusName = text(properties['EventBusName']);
    const schedule = text(properties['ScheduleExpression']);
    const description = text(properties['Description']);
    const roleArn = text(properties['RoleArn']);
    try {
      events.putRule({
        name,
        ...(eventBusName !== undefined ? { eventBusName } : {}),
        // CloudFormation takes the pattern as an object or as JSON text.
        ...(pattern !== undefined ? { eventPattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern) } : {}),
        ...(schedule !== undefined ? { scheduleExpression: schedule } : {}),
        state: (text(properties['State']) ?? 'ENABLED') as RuleState,
        ...(description !== undefined ? { description } : {}),
        ...(roleArn !== undefined ? { roleArn } : {}),
      });
    } catch (error) {
      warnings.push(`event rule ${where}: ${(error as Error).message}; the rule is not created`);
      continue;
    }
    const targets = Array.isArray(properties['Targets']) ? (properties['Targets'] as unknown[]) : [];
    const specs = targets.map(record).filter((target): target is Props => target !== undefined).map(targetSpec);
    if (specs.length === 0) continue;
    try {
      for (const failed of events.putTargets(name, eventBusName, specs)) warnings.push(`event rule ${where}: target ${failed.targetId} does not run: ${failed.errorMessage}`);
    } catch (error) {
      warnings.push(`event rule ${where}: ${(error as Error).message}; its targets are not added`);
    }
    for (const target of targets.map(record)) {
      for (const unsupported of ['EcsParameters', 'BatchParameters', 'KinesisParameters', 'HttpParameters', 'RunCommandParameters', 'RedshiftDataParameters', 'SageMakerPipelineParameters', 'AppSyncParameters']) {
        if (target?.[unsupported] !== undefined) warnings.push(`event rule ${where}: target ${String(target['Id'])}: ${unsupported} is not honoured locally`);
      }
    }
  }
  return warnings;
}

function targetSpec(target: Props): TargetInputSpec {
  const transformer = record(target['InputTransformer']);
  const retry = record(target['RetryPolicy']);
  const attempts = integer(retry?.['MaximumRetryAttempts']);
  const age = integer(retry?.['MaximumEventAgeInSeconds']);
  const deadLetterArn = text(record(target['DeadLetterConfig'])?.['Arn']);
  const messageGroupId = text(record(target['SqsParameters'])?.['MessageGroupId']);
  const roleArn = text(target['RoleArn']);
  const input = text(target['Input']);
  const inputPath = text(target['InputPath']);
  return {
    id: String(target['Id'] ?? ''),
    arn: String(target['Arn'] ?? ''),
    ...(roleArn !== undefined ? { roleArn } : {}),
    ...(input !== undefined ? { input } : {}),
    ...(inputPath !== undefined ? { inputPath } : {}),
    ...(transformer !== undefined
      ? { inputTransformer: { inputPathsMap: (record(transformer['InputPathsMap']) ?? {}) as Record<string, string>, inputTemplate: String(transformer['InputTemplate'] ?? '') } }
      : {}),
    ...(attempts !== undefined || age !== undefined
      ? { retryPolicy: { ...(attempts !== undefined ? { maximumRetryAttempts: attempts } : {}), ...(age !== undefined ? { maximumEventAgeSeconds: age } : {}) } }
      : {}),
    ...(deadLetterArn !== undefined ? { deadLetterArn } : {}),
    ...(messageGroupId !== undefined ? { messageGroupId } : {}),
  };
}
