/**
 * Which service a segment or subsegment stands for, as X-Ray names them in ServiceIds and on the
 * service map: a segment is its own service (name, origin as type); an AWS SDK call
 * (`namespace: "aws"`) or an uninstrumented downstream call (`namespace: "remote"`) is an inferred
 * service named after its resource.
 */
import type { EntityFields, SegmentDocument, SubsegmentFields } from '../segments/document.ts';

export interface ServiceRef {
  readonly name: string;
  /** e.g. `AWS::Lambda::Function`; undefined for a segment without `origin`. */
  readonly type: string | undefined;
  readonly accountId: string | undefined;
  /** True when X-Ray infers the node from a caller's subsegment rather than the service's own segment. */
  readonly inferred: boolean;
}

/** ServiceId in the X-Ray API's JSON shape (it has no `Inferred` member). */
export interface ServiceIdJson {
  Name: string;
  Names: string[];
  Type?: string;
  AccountId?: string;
}

export function segmentService(doc: SegmentDocument): ServiceRef {
  return { name: doc.name, type: doc.origin, accountId: accountIdOf(doc), inferred: false };
}

export function inferredService(entity: EntityFields): ServiceRef | undefined {
  const sub = entity as SubsegmentFields;
  const accountId = accountIdOf(sub);
  if (sub.namespace === 'aws') {
    const aws = sub.aws ?? {};
    const text = (key: string): string | undefined => {
      const value = aws[key];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const table = text('table_name');
    if (table !== undefined) return { name: table, type: 'AWS::DynamoDB::Table', accountId, inferred: true };
    const queue = text('queue_url');
    if (queue !== undefined) return { name: lastPart(queue, '/'), type: 'AWS::SQS::Queue', accountId, inferred: true };
    const bucket = text('bucket_name');
    if (bucket !== undefined) return { name: bucket, type: 'AWS::S3::Bucket', accountId, inferred: true };
    const fn = text('function_name');
    if (fn !== undefined) return { name: lastPart(fn, ':'), type: 'AWS::Lambda', accountId, inferred: true };
    return { name: sub.name, type: `AWS::${sub.name.replace(/\s+/g, '')}`, accountId, inferred: true };
  }
  if (sub.namespace === 'remote') {
    // A traced callee sends its own segment, which names the service instead.
    if (sub.http?.request?.traced === true) return undefined;
    return { name: hostOf(sub.http?.request?.url) ?? sub.name, type: 'remote', accountId, inferred: true };
  }
  return undefined;
}

export function serviceKey(service: ServiceRef): string {
  return `${service.name}\u0000${service.type ?? ''}\u0000${service.accountId ?? ''}`;
}

export function toServiceIdJson(service: ServiceRef): ServiceIdJson {
  const json: ServiceIdJson = { Name: service.name, Names: [service.name] };
  if (service.type !== undefined) json.Type = service.type;
  if (service.accountId !== undefined) json.AccountId = service.accountId;
  return json;
}

function accountIdOf(entity: EntityFields): string | undefined {
  const value = entity.aws?.['account_id'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function lastPart(text: string, separator: string): string {
  const trimmed = text.endsWith(separator) ? text.slice(0, -1) : text;
  return trimmed.slice(trimmed.lastIndexOf(separator) + 1) || text;
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}
