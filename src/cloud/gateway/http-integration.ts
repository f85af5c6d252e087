import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { IntegrationNetworkError, IntegrationTimeoutError } from './aws-service-client.ts';
import { errorText } from '../../common/preview.ts';
import { formatTraceHeader } from '../tracing/trace-header.ts';
import type { GatewayAnswer } from './gateway-responses.ts';
import * as answers from './gateway-responses.ts';
import type { IntegrationCall } from './stage-segment.ts';
import { outgoingHeaderName } from './remapped-headers.ts';

/**
 * HTTP and HTTP_PROXY integrations: a plain HTTP(S) request to the integration's URI, as API
 * Gateway makes it. `{name}` in the URI is filled from `integration.request.path.name` (for
 * HTTP_PROXY, the method's path parameter of that name when no mapping sets it, as the console's
 * proxy resources do); greedy `{proxy}` values keep their slashes. HTTP_PROXY passes the client's
 * method (IntegrationHttpMethod ANY), query string, headers and body through, and the backend's
 * status, headers and body back; HTTP sends the mapped request and its answer goes through the
 * integration responses. https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html
 */

export interface HttpCall {
  readonly method: string;
  readonly url: URL;
  /** Name/value pairs, repeated names allowed. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  readonly timeoutMs: number;
  /** TlsConfig.InsecureSkipVerification. */
  readonly insecure: boolean;
}

export interface HttpAnswer {
  readonly status: number;
  /** As received: name/value pairs. */
  readonly rawHeaders: ReadonlyArray<string>;
  readonly body: Buffer;
}

/** Headers of one connection, not of the message: never forwarded either way. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name.toLowerCase());
}

/** The integration URI with its `{name}` placeholders filled; throws on a URI that is no http(s) URL. */
export function integrationUrl(uri: string, pathParameters: Readonly<Record<string, string>>): URL {
  const filled = uri.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const value = pathParameters[name];
    return value === undefined ? whole : value.split('/').map(encodeURIComponent).join('/');
  });
  const url = new URL(filled);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`integration URI "${uri}" is not an http or https URL`);
  return url;
}

export function sendHttp(call: HttpCall): Promise<HttpAnswer> {
  const requestFn = call.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const target = `${call.url.origin}${call.url.pathname}`;
  const headers: Array<[string, string]> = [['host', call.url.host], ...call.headers.filter(([name]) => !isHopByHop(name)).map(([n, v]): [string, string] => [n, v])];
  if (call.body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(call.method)) headers.push(['content-length', String(call.body.length)]);
  return new Promise<HttpAnswer>((resolve, reject) => {
    const outgoing = requestFn(call.url, {
      method: call.method,
      headers: headers.flat(),
      ...(call.url.protocol === 'https:' ? { rejectUnauthorized: !call.insecure } : {}),
    }, (incoming: IncomingMessage) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        clearTimeout(timer);
        resolve({ status: incoming.statusCode ?? 502, rawHeaders: incoming.rawHeaders, body: Buffer.concat(chunks) });
      });
      incoming.on('error', (error) => {
        clearTimeout(timer);
        reject(new IntegrationNetworkError(`reading the answer of ${target} failed: ${error.message}`));
      });
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new IntegrationTimeoutError(`${target} did not answer within ${call.timeoutMs} ms`));
    }, call.timeoutMs);
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(new IntegrationNetworkError(`calling ${target} failed: ${error.message}`));
    });
    outgoing.end(call.body);
  });
}

/** An HTTP_PROXY answer goes back as the backend gave it, the connection's own headers remapped as API Gateway does. */
export function proxiedAnswer(answer: HttpAnswer): GatewayAnswer {
  const lists: Record<string, string[]> = {};
  for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
    const name = outgoingHeaderName(answer.rawHeaders[i] ?? '');
    if (name !== undefined) (lists[name] ??= []).push(answer.rawHeaders[i + 1] ?? '');
  }
  const headers: Record<string, string> = {};
  const headerLists: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(lists)) {
    if (values.length === 1) headers[name] = values[0] ?? '';
    else headerLists[name] = values;
  }
  return { status: answer.status, headers, headerLists, body: '', rawBody: answer.body };
}

/** The backend's headers as one value per lower-case name (for `integration.response.header.*`). */
export function singleHeaders(rawHeaders: ReadonlyArray<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    out[name] = out[name] === undefined ? rawHeaders[i + 1] ?? '' : `${out[name]},${rawHeaders[i + 1] ?? ''}`;
  }
  return out;
}

export type HttpOutcome =
  | { readonly answer: HttpAnswer; readonly call: IntegrationCall | undefined }
  | { readonly failure: string; readonly gatewayAnswer: GatewayAnswer; readonly call: IntegrationCall | undefined };

/**
 * Sends the call with the trace header (Parent = the call's subsegment when sampled) and describes
 * it as the stage segment's subsegment for the endpoint: X-Ray names a node per URL path of an
 * HTTP integration ("each segment's service name is set to the request URL path"), a `remote` call.
 * Timeout -> 504 "Endpoint request timed out"; no connection -> 500, as API Gateway answers.
 */
export async function callHttpIntegration(
  call: HttpCall,
  trace: { readonly root: string; readonly sampled: boolean } | undefined,
  deps: { readonly nowMs: () => number; readonly segmentId: () => string },
): Promise<HttpOutcome> {
  const callId = trace?.sampled === true ? deps.segmentId() : undefined;
  const headers = call.headers.filter(([name]) => name.toLowerCase() !== 'x-amzn-trace-id');
  if (trace !== undefined) headers.push(['X-Amzn-Trace-Id', formatTraceHeader({ root: trace.root, ...(callId !== undefined ? { parent: callId } : {}), sampled: trace.sampled })]);
  const startedMs = deps.nowMs();
  const describe = (answer: HttpAnswer | undefined, failure?: string): IntegrationCall | undefined => callId === undefined ? undefined : {
    id: callId,
    name: `${call.url.host}${call.url.pathname}`,
    namespace: 'remote',
    startTime: startedMs / 1000,
    endTime: deps.nowMs() / 1000,
    url: call.url.toString(),
    method: call.method,
    operation: undefined,
    region: '',
    resource: {},
    status: answer?.status,
    requestId: undefined,
    contentLength: answer?.body.length,
    failure: failure === undefined ? undefined : { id: deps.segmentId(), message: failure },
  };
  try {
    const answer = await sendHttp({ ...call, headers });
    return { answer, call: describe(answer) };
  } catch (error) {
    const message = errorText(error);
    if (error instanceof IntegrationTimeoutError) return { failure: message, gatewayAnswer: answers.integrationTimeout(), call: describe(undefined, message) };
    if (error instanceof IntegrationNetworkError) return { failure: message, gatewayAnswer: answers.internalServerError(), call: describe(undefined, message) };
    throw error;
  }
}
