import { mediaType } from './integration-request.ts';

/**
 * What an integration call does, for its X-Ray subsegment: the operation (a Query API's Action, a
 * JSON API's X-Amz-Target) and the resource it names, under the keys the X-Ray SDKs use
 * (`topic_arn`, `queue_url`, `table_name`, `function_name`), which the service map names nodes by.
 */
export function describeCall(request: {
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}): { operation: string | undefined; resource: Record<string, string> } {
  const params: Record<string, unknown> = { ...request.query };
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
  const type = mediaType(headers['content-type']);
  if (type === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(request.body)) params[name] = value;
  } else if (type !== undefined && type.includes('json')) {
    try {
      const parsed = JSON.parse(request.body) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(params, parsed);
    } catch {
      // A body that is not JSON names no resource; the call still goes out as it is.
    }
  }
  const target = headers['x-amz-target'];
  const operation = typeof params.Action === 'string' ? params.Action : target?.slice(target.lastIndexOf('.') + 1);
  const resource: Record<string, string> = {};
  for (const [param, key] of RESOURCE_KEYS) {
    const value = params[param];
    if (typeof value === 'string' && value !== '') resource[key] = value;
  }
  return { operation: operation === '' ? undefined : operation, resource };
}

const RESOURCE_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['TopicArn', 'topic_arn'],
  ['TargetArn', 'target_arn'],
  ['QueueUrl', 'queue_url'],
  ['TableName', 'table_name'],
  ['FunctionName', 'function_name'],
];
