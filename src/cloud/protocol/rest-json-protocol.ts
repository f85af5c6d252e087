/**
 * restJson1 as Lambda speaks it: the operation is the method and the URI (`POST
 * /2015-03-31/functions/{FunctionName}/invocations`), members in the path, the query, headers and a
 * JSON (or raw blob) body; errors carry their shape name in `x-amzn-errortype` and a JSON body
 * `{"Type": "User"|"Service", "message": ...}`, which is what the SDKs and botocore read.
 */
import type { AwsError } from './errors.ts';
import type { EndpointReply } from './service.ts';

export const REST_JSON = 'application/json';

export function restJsonReply(status: number, output: unknown, headers: Readonly<Record<string, string>> = {}): EndpointReply {
  return { status, headers: { 'content-type': REST_JSON, ...headers }, body: JSON.stringify(output) };
}

export function renderRestJsonError(error: AwsError, extra: Readonly<Record<string, unknown>> = {}): EndpointReply {
  const body = { Type: error.side === 'Sender' ? 'User' : 'Service', message: error.message, ...extra };
  return { status: error.status, headers: { 'content-type': REST_JSON, 'x-amzn-errortype': error.code }, body: JSON.stringify(body) };
}
