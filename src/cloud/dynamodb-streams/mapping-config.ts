/**
 * The templates' AWS::Lambda::EventSourceMapping resources on a DynamoDB stream, read with Lambda's
 * defaults and ranges for stream sources (Lambda developer guide, "Lambda parameters for Amazon
 * DynamoDB event source mappings"). What does not run locally is a warning naming it.
 */
import type { CloudModel } from '../core/types.ts';

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

export interface StreamMappingConfig {
  /** The mapping's UUID (its physical id): the key of its checkpoint across restarts. */
  readonly id: string;
  /** `Stack/LogicalId`, for messages. */
  readonly where: string;
  readonly streamArn: string;
  /** Name or ARN, as the template gives it. */
  readonly functionName: string;
  /** Default 100, at most 10,000. */
  readonly batchSize: number;
  readonly batchingWindowMs: number;
  readonly startingPosition: StartingPosition;
  /** AT_TIMESTAMP's time, epoch milliseconds. */
  readonly startingPositionTimestampMs?: number;
  readonly bisectBatchOnFunctionError: boolean;
  /** -1: retried until the records expire. */
  readonly maximumRetryAttempts: number;
  /** Undefined (-1): no limit but the stream's 24-hour retention. */
  readonly maximumRecordAgeMs: number | undefined;
  /** The OnFailure destination's ARN (an SQS queue or SNS topic). */
  readonly onFailureDestination?: string;
  readonly reportBatchItemFailures: boolean;
  /** The template's FilterCriteria, as given. */
  readonly filterCriteria?: unknown;
}

const STREAM_ARN = /^arn:aws[a-z-]*:dynamodb:[^:]*:\d*:table\/[^/]+\/stream\/.+$/;

export function isDynamoDbStreamArn(arn: unknown): arn is string {
  return typeof arn === 'string' && STREAM_ARN.test(arn);
}

/** The stream mappings of the model; warnings name each one skipped and each setting not honoured. */
export function streamEventSources(model: CloudModel): { mappings: StreamMappingConfig[]; warnings: string[] } {
  const mappings: StreamMappingConfig[] = [];
  const warnings: string[] = [];
  for (const resource of model.byType('AWS::Lambda::EventSourceMapping')) {
    const properties = resource.properties;
    if (!isDynamoDbStreamArn(properties['EventSourceArn'])) continue;
    const where = `${resource.stack}/${resource.logicalId}`;
    const skip = (reason: string): void => {
      warnings.push(`event source mapping ${where}: ${reason}; the mapping does not run`);
    };
    const functionName = properties['FunctionName'];
    if (typeof functionName !== 'string') {
      skip('FunctionName did not resolve to a name');
      continue;
    }
    if (properties['Enabled'] === false || properties['Enabled'] === 'false') continue;
    const number = (name: string, fallback: number, min: number, max: number): number | string => {
      const raw = properties[name];
      if (raw === undefined || raw === null) return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) return `${name} ${JSON.stringify(raw)} is not an integer from ${min} to ${max}`;
      return value;
    };
    const batchSize = number('BatchSize', 100, 1, 10_000);
    const window = number('MaximumBatchingWindowInSeconds', 0, 0, 300);
    const retries = number('MaximumRetryAttempts', -1, -1, 10_000);
    const age = number('MaximumRecordAgeInSeconds', -1, -1, 604_800);
    const parallel = number('ParallelizationFactor', 1, 1, 10);
    const invalid = [batchSize, window, retries, age, parallel].find((value): value is string => typeof value === 'string');
    if (invalid !== undefined) {
      skip(invalid);
      continue;
    }
    if (typeof age === 'number' && age !== -1 && age < 60) {
      skip(`MaximumRecordAgeInSeconds ${age} is not -1 or from 60 to 604800`);
      continue;
    }
    const starting = properties['StartingPosition'];
    if (starting !== 'TRIM_HORIZON' && starting !== 'LATEST' && starting !== 'AT_TIMESTAMP') {
      skip(`StartingPosition ${JSON.stringify(starting)} is not TRIM_HORIZON, LATEST or AT_TIMESTAMP (it is required for stream sources)`);
      continue;
    }
    const timestamp = Number(properties['StartingPositionTimestamp']);
    if (starting === 'AT_TIMESTAMP' && !Number.isFinite(timestamp)) {
      skip('StartingPosition AT_TIMESTAMP needs a StartingPositionTimestamp (epoch seconds)');
      continue;
    }
    if (starting === 'AT_TIMESTAMP') {
      // The Lambda API reference: AT_TIMESTAMP is for Kinesis, DocumentDB, MSK and Kafka sources only.
      warnings.push(`event source mapping ${where}: StartingPosition AT_TIMESTAMP is refused by Lambda for DynamoDB streams (Kinesis, DocumentDB and Kafka only); it runs here, from the first record at or after the timestamp`);
    }
    if (parallel !== 1) warnings.push(`event source mapping ${where}: ParallelizationFactor ${parallel} is not supported locally; one batch per shard at a time, as with 1`);
    if (properties['TumblingWindowInSeconds'] !== undefined) warnings.push(`event source mapping ${where}: TumblingWindowInSeconds is not supported locally and is ignored`);
    const onFailure = onFailureOf(properties['DestinationConfig']);
    if (onFailure !== undefined && !/^arn:aws[a-z-]*:(sqs|sns):/.test(onFailure)) {
      warnings.push(`event source mapping ${where}: the OnFailure destination ${onFailure} is not an SQS queue or SNS topic; discarded batches are only logged`);
    }
    const types = properties['FunctionResponseTypes'];
    const filterCriteria = properties['FilterCriteria'];
    mappings.push({
      id: resource.physicalId,
      where,
      streamArn: properties['EventSourceArn'] as string,
      functionName,
      batchSize: batchSize as number,
      batchingWindowMs: (window as number) * 1000,
      startingPosition: starting,
      ...(starting === 'AT_TIMESTAMP' ? { startingPositionTimestampMs: timestamp * 1000 } : {}),
      bisectBatchOnFunctionError: properties['BisectBatchOnFunctionError'] === true || properties['BisectBatchOnFunctionError'] === 'true',
      maximumRetryAttempts: retries as number,
      maximumRecordAgeMs: age === -1 ? undefined : (age as number) * 1000,
      ...(onFailure !== undefined ? { onFailureDestination: onFailure } : {}),
      reportBatchItemFailures: Array.isArray(types) && types.includes('ReportBatchItemFailures'),
      ...(filterCriteria !== undefined ? { filterCriteria } : {}),
    });
  }
  return { mappings, warnings };
}

function onFailureOf(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const onFailure = (config as Record<string, unknown>)['OnFailure'];
  if (typeof onFailure !== 'object' || onFailure === null) return undefined;
  const destination = (onFailure as Record<string, unknown>)['Destination'];
  return typeof destination === 'string' ? destination : undefined;
}
