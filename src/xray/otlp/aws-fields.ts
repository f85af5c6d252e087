/**
 * The `aws` block of an AWS SDK call (`rpc.system` = `aws-api`): the operation and the resource
 * it touched, under the keys the service graph reads to draw the table, queue or topic.
 */
import type { AttributeValue, Attributes } from './model.ts';
import { stringAttribute } from './attributes.ts';

export interface AwsResult {
  readonly aws: Record<string, unknown> | undefined;
  /** The service, e.g. `DynamoDB`: the subsegment's name. */
  readonly service: string | undefined;
  readonly used: ReadonlySet<string>;
}

export const AWS_KEYS = [
  'rpc.system', 'rpc.service', 'rpc.method', 'aws.operation', 'aws.region', 'aws.request_id', 'aws.requestId',
  'aws.dynamodb.table_names', 'aws.table_name', 'aws.sqs.queue_url', 'aws.queue_url', 'aws.sns.topic.arn',
  'aws.s3.bucket', 'aws.lambda.function.name', 'faas.invoked_name',
] as const;

export function isAwsSdkCall(attributes: Attributes): boolean {
  return attributes.get('rpc.system') === 'aws-api';
}

export function awsFields(attributes: Attributes): AwsResult {
  if (!isAwsSdkCall(attributes)) return { aws: undefined, service: undefined, used: new Set() };
  const aws: Record<string, unknown> = {};
  const set = (key: string, value: string | undefined): void => {
    if (value !== undefined) aws[key] = value;
  };
  set('operation', stringAttribute(attributes, 'aws.operation', 'rpc.method'));
  set('region', stringAttribute(attributes, 'aws.region'));
  set('request_id', stringAttribute(attributes, 'aws.request_id', 'aws.requestId'));
  const tables = strings(attributes.get('aws.dynamodb.table_names'));
  if (tables.length === 1) aws['table_name'] = tables[0];
  else if (tables.length > 1) aws['table_names'] = tables;
  else set('table_name', stringAttribute(attributes, 'aws.table_name'));
  const service = stringAttribute(attributes, 'rpc.service')?.replace(/^AWS\.SDK\./, '').replace(/^AWS::/, '');
  // The JavaScript AWS SDK instrumentation names the queue only in the messaging conventions.
  set('queue_url', stringAttribute(attributes, 'aws.sqs.queue_url', 'aws.queue_url', ...(service === 'SQS' ? ['messaging.url'] : [])));
  set('topic_arn', stringAttribute(attributes, 'aws.sns.topic.arn'));
  set('bucket_name', stringAttribute(attributes, 'aws.s3.bucket'));
  set('function_name', stringAttribute(attributes, 'aws.lambda.function.name', 'faas.invoked_name'));
  const used = new Set<string>(AWS_KEYS.filter((key) => attributes.has(key)));
  if (aws['queue_url'] === attributes.get('messaging.url')) used.add('messaging.url');
  return { aws, service, used };
}

function strings(value: AttributeValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
