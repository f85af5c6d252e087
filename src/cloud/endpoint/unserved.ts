/**
 * The answer to a request no registered service accepts: an error in the wire protocol the request
 * speaks, naming the service it is for (from its X-Amz-Target or its SigV4 scope) and what this
 * endpoint does serve, so that an SDK or the CLI reports it as AWS reports an unknown operation,
 * never as a 200 or a parse failure.
 */
import { clipText } from '../../common/preview.ts';
import { AwsError } from '../protocol/errors.ts';
import { CORAL } from '../protocol/json-protocol.ts';
import { renderQueryError } from '../protocol/query-protocol.ts';
import type { EndpointReply, EndpointRequest } from '../protocol/service.ts';

/** The Query protocol's generic namespace, for a service this endpoint does not know. */
const QUERY_XMLNS = 'https://amazonaws.com/doc/';

function header(request: EndpointRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The service the request is for, as its signer or its target names it. */
function serviceOf(request: EndpointRequest): string | undefined {
  if (request.caller?.service !== undefined) return request.caller.service;
  return header(request, 'x-amz-target')?.split('.')[0];
}

/** A registered service as this answer names it. */
export interface ServedService {
  readonly name: string;
  /** Its SigV4 signing name (`sqs`, `sns`), when it has one. */
  readonly signingName?: string;
}

function messageFor(service: string | undefined, served: readonly ServedService[]): string {
  const list = `it serves ${served.map((entry) => entry.name).join(', ')}`;
  if (service === undefined) return `The request names no service (no X-Amz-Target, no form-encoded Action, no SigV4 scope); ${list}.`;
  const quoted = `"${clipText(service, 60)}"`;
  const known = served.find((entry) => entry.signingName === service || entry.name.toLowerCase() === service.toLowerCase());
  if (known !== undefined) return `The request for ${quoted} is in no protocol ${known.name} speaks here (an X-Amz-Target or a form-encoded Action); ${list}.`;
  return `The service ${quoted} is not run by this local endpoint; ${list}. See src/cloud/template/support.ts for what the local cloud runs.`;
}

export function unservedReply(request: EndpointRequest, served: readonly ServedService[], requestId: string): EndpointReply {
  const message = messageFor(serviceOf(request), served);
  const jsonError = (status: number, headers: Record<string, string> = {}): EndpointReply => ({
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', ...headers },
    body: JSON.stringify({ __type: `${CORAL}#UnknownOperationException`, message }),
  });
  // awsJson 1.0/1.1: what AWS answers a target it has no operation for.
  if (header(request, 'x-amz-target') !== undefined) return jsonError(400);
  const contentType = (header(request, 'content-type') ?? '').toLowerCase();
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    // awsQuery: an action the endpoint does not have.
    return renderQueryError(new AwsError('InvalidAction', message), QUERY_XMLNS, requestId);
  }
  // restJson / restXml: no route. The SDKs read the code from x-amzn-errortype first, then __type.
  return jsonError(404, { 'x-amzn-errortype': 'UnknownOperationException' });
}
