/**
 * Which node a segment or a downstream call stands for, and how a call's outcome is classified.
 *
 * - A segment is the node (name, origin), e.g. (`dynamo-flow`, `AWS::Lambda::Function`).
 * - An AWS SDK call (`namespace: "aws"`) is an inferred node named after its resource: the table
 *   (`AWS::DynamoDB::Table`), the queue name from `queue_url` (`AWS::SQS::Queue`), the topic name
 *   from `topic_arn` (`AWS::SNS`), the bucket (`AWS::S3::Bucket`), the function (`AWS::Lambda`);
 *   without a resource, the service itself (`DynamoDB` / `AWS::DynamoDB`).
 * - Any other downstream call (`namespace: "remote"`) is a `remote` node named after the URL's host.
 * - The client in front of a root segment is a `client` node named like the root.
 */
import { callNamespaceOf, httpRequestOf, httpStatusOf, objectField } from '../segments/fields.ts';
import type { NodeId, Status } from './aggregate.ts';
import type { GraphEntity } from '../model/graph-document.ts';

export function segmentNode(segment: GraphEntity): NodeId {
  return { name: segment.name, type: text(segment.origin), accountId: accountIdOf(segment) };
}

export function clientNode(root: GraphEntity): NodeId {
  return { name: root.name, type: 'client', accountId: undefined };
}

export function isNamespaced(entity: GraphEntity): boolean {
  return callNamespaceOf(entity.namespace) !== undefined;
}

export function inferredNode(call: GraphEntity): NodeId {
  const accountId = accountIdOf(call);
  if (call.namespace === 'aws') {
    const aws = objectField(call.aws) ?? {};
    const table = text(aws['table_name']);
    if (table !== undefined) return { name: table, type: 'AWS::DynamoDB::Table', accountId };
    const queue = text(aws['queue_url']);
    if (queue !== undefined) return { name: lastPart(queue, '/'), type: 'AWS::SQS::Queue', accountId };
    const topic = text(aws['topic_arn']) ?? text(aws['target_arn']);
    if (topic !== undefined) return { name: lastPart(topic, ':'), type: 'AWS::SNS', accountId };
    const bucket = text(aws['bucket_name']);
    if (bucket !== undefined) return { name: bucket, type: 'AWS::S3::Bucket', accountId };
    const fn = text(aws['function_name']);
    if (fn !== undefined) return { name: lastPart(fn, ':'), type: 'AWS::Lambda', accountId };
    return { name: call.name, type: `AWS::${call.name.replace(/\s+/g, '')}`, accountId };
  }
  return { name: hostOf(httpRequestOf(call.http)?.['url']) ?? call.name, type: 'remote', accountId };
}

/**
 * A message broker that hands the call on to a consumer instead of answering it: SNS delivers to
 * subscribers (a synchronous-looking push), SQS to pollers (an asynchronous link), EventBridge to
 * its rules' targets (the X-Ray developer guide draws an EventBridge node between the PutEvents
 * caller and the targets; EventBridge sends no segment, so the node is the caller's call).
 */
export type Broker = 'sns' | 'sqs' | 'events';

/** The names the SDKs give an EventBridge client's subsegments (CloudWatch Events is its former name). */
const EVENTBRIDGE_CALL = /^(EventBridge|Events|CloudWatchEvents|CloudWatch Events)$/i;

export function brokerOf(call: GraphEntity): Broker | undefined {
  if (call.namespace !== 'aws') return undefined;
  const aws = objectField(call.aws) ?? {};
  if (text(aws['queue_url']) !== undefined) return 'sqs';
  if (text(aws['topic_arn']) !== undefined || text(aws['target_arn']) !== undefined) return 'sns';
  if (text(aws['operation']) === 'PutEvents' && EVENTBRIDGE_CALL.test(call.name)) return 'events';
  return undefined;
}

/** True for a segment the broker sent itself (e.g. SNS active tracing): it replaces the inferred node. */
export function isBrokerSegment(segment: GraphEntity, broker: Broker): boolean {
  const origin = text(segment.origin) ?? '';
  if (broker === 'events') return origin.startsWith('AWS::Events');
  return broker === 'sns' ? origin.startsWith('AWS::SNS') : origin.startsWith('AWS::SQS');
}

export function isComplete(entity: GraphEntity): boolean {
  return typeof entity.end_time === 'number' && entity.in_progress !== true;
}

/** Fault (5xx) wins over throttle (429), which wins over error (4xx); undefined while in progress. */
export function statusOf(entity: GraphEntity): Status | undefined {
  if (!isComplete(entity)) return undefined;
  if (isFault(entity)) return 'fault';
  const code = httpStatusOf(entity.http);
  if (entity.throttle === true || code === 429) return 'throttle';
  if (isError(entity)) return 'error';
  return 'ok';
}

export function isFault(entity: GraphEntity): boolean {
  const code = httpStatusOf(entity.http);
  return entity.fault === true || (code !== undefined && code >= 500 && code < 600);
}

/** Errors include throttles, as in ErrorStatistics. */
export function isError(entity: GraphEntity): boolean {
  const code = httpStatusOf(entity.http);
  return entity.error === true || entity.throttle === true || (code !== undefined && code >= 400 && code < 500);
}

function accountIdOf(entity: GraphEntity): string | undefined {
  return text(objectField(entity.aws)?.['account_id']);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function lastPart(value: string, separator: string): string {
  const trimmed = value.endsWith(separator) ? value.slice(0, -1) : value;
  return trimmed.slice(trimmed.lastIndexOf(separator) + 1) || value;
}

function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}
