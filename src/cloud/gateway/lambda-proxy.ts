import type { LambdaInvoker } from '../core/types.ts';
import { invokeFunction } from './lambda-invoke.ts';
import type { InvokeDeps } from './lambda-invoke.ts';
import type { GatewayAnswer } from './gateway-responses.ts';
import * as answers from './gateway-responses.ts';
import { mediaType } from './integration-request.ts';
import { outgoingHeaderName } from './remapped-headers.ts';
import { formatRequestTime } from './mapping-variables.ts';
import type { IntegrationCall } from './stage-segment.ts';

/**
 * Lambda proxy integrations (`AWS_PROXY` with a Lambda URI) as API Gateway runs them for REST APIs:
 * the request becomes the version 1.0 proxy event, the function is invoked RequestResponse, and its
 * result `{statusCode, headers, multiValueHeaders, body, isBase64Encoded}` is the method response.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */

/** `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`. */
const LAMBDA_URI = /^arn:[^:]+:apigateway:[^:]*:lambda:path\/\d{4}-\d{2}-\d{2}\/functions\/(.+)\/invocations$/s;

/** The function an integration URI names, with `${stageVariables.x}` filled in; undefined when it names none. */
export function functionFromUri(uri: string, stageVariables: Readonly<Record<string, string>> = {}): string | undefined {
  const match = LAMBDA_URI.exec(uri);
  if (match?.[1] === undefined) return undefined;
  return match[1].replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (whole, name: string) => stageVariables[name] ?? whole);
}

/** Whether a Content-Type (or Accept) is one of the API's BinaryMediaTypes (`image/*`, `*\/*`; CloudFormation may write `/` as `~1`). */
export function isBinaryMediaType(contentType: string | undefined, binaryMediaTypes: ReadonlyArray<string>): boolean {
  const type = mediaType(contentType);
  if (type === undefined) return false;
  const [major] = type.split('/');
  return binaryMediaTypes.some((raw) => {
    const pattern = raw.replace(/~1/g, '/').trim().toLowerCase();
    return pattern === '*/*' || pattern === type || pattern === `${major}/*`;
  });
}

export interface ProxyRequest {
  /** The resource's path template, e.g. `/{proxy+}`. */
  readonly resourcePath: string;
  readonly resourceId: string;
  readonly stage: string;
  readonly httpMethod: string;
  /** The request path after the stage, e.g. `/foo/bar`. */
  readonly path: string;
  /** Name/value pairs as the client sent them (node's rawHeaders, flattened). */
  readonly rawHeaders: ReadonlyArray<string>;
  readonly query: URLSearchParams;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly binaryMediaTypes: ReadonlyArray<string>;
  readonly accountId: string;
  readonly apiId: string;
  readonly domainName: string;
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly requestTimeEpochMs: number;
  readonly protocol: string;
  readonly sourceIp: string;
  readonly localPort: number | undefined;
  /** The X-Amzn-Trace-Id API Gateway adds to the event's headers when the stage traces. */
  readonly traceHeader: string | undefined;
  /** A Lambda authorizer's principal and context: requestContext.authorizer, its values as strings. */
  readonly authorizer?: { readonly principalId: string; readonly values: Readonly<Record<string, string | number | boolean>> } | undefined;
  /** The request's API key on a method with ApiKeyRequired: identity.apiKey and apiKeyId. */
  readonly apiKey?: { readonly id: string; readonly value: string } | undefined;
}

/** The version 1.0 event of REST APIs, field by field as the "Input format" section documents it. */
export function proxyEvent(request: ProxyRequest): Record<string, unknown> {
  const multiValueHeaders: Record<string, string[]> = {};
  const add = (name: string, value: string): void => {
    const existing = Object.keys(multiValueHeaders).find((key) => key.toLowerCase() === name.toLowerCase());
    (multiValueHeaders[existing ?? name] ??= []).push(value);
  };
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) add(request.rawHeaders[i] ?? '', request.rawHeaders[i + 1] ?? '');
  const has = (name: string): boolean => Object.keys(multiValueHeaders).some((key) => key.toLowerCase() === name.toLowerCase());
  // API Gateway adds these to what the client sent.
  if (!has('X-Forwarded-For')) add('X-Forwarded-For', request.sourceIp);
  if (!has('X-Forwarded-Proto')) add('X-Forwarded-Proto', 'http');
  if (!has('X-Forwarded-Port') && request.localPort !== undefined) add('X-Forwarded-Port', String(request.localPort));
  if (request.traceHeader !== undefined && !has('X-Amzn-Trace-Id')) add('X-Amzn-Trace-Id', request.traceHeader);
  const headers = lastValues(multiValueHeaders);

  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of request.query) (multiValueQuery[name] ??= []).push(value);

  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const binary = isBinaryMediaType(contentType, request.binaryMediaTypes);
  const userAgent = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  const host = request.domainName.replace(/:\d+$/, '');
  return {
    resource: request.resourcePath,
    path: request.path,
    httpMethod: request.httpMethod,
    headers: orNull(headers),
    multiValueHeaders: orNull(multiValueHeaders),
    queryStringParameters: orNull(lastValues(multiValueQuery)),
    multiValueQueryStringParameters: orNull(multiValueQuery),
    pathParameters: orNull({ ...request.pathParameters }),
    stageVariables: orNull({ ...request.stageVariables }),
    requestContext: {
      resourceId: request.resourceId,
      resourcePath: request.resourcePath,
      httpMethod: request.httpMethod,
      extendedRequestId: request.extendedRequestId,
      requestTime: formatRequestTime(request.requestTimeEpochMs),
      path: request.stage === '' ? request.path : `/${request.stage}${request.path === '/' ? '/' : request.path}`,
      accountId: request.accountId,
      protocol: request.protocol,
      stage: request.stage,
      domainPrefix: host.split('.')[0] ?? host,
      requestTimeEpoch: request.requestTimeEpochMs,
      requestId: request.requestId,
      // No caller identity: methods here are unauthenticated (AuthorizationType NONE).
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: request.sourceIp,
        principalOrgId: null,
        accessKey: null,
        ...(request.apiKey !== undefined ? { apiKey: request.apiKey.value, apiKeyId: request.apiKey.id } : {}),
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent,
        user: null,
      },
      domainName: request.domainName,
      apiId: request.apiId,
      ...(request.authorizer !== undefined
        ? { authorizer: { ...Object.fromEntries(Object.entries(request.authorizer.values).map(([k, v]) => [k, String(v)])), principalId: request.authorizer.principalId, integrationLatency: 0 } }
        : {}),
    },
    body: request.body.length === 0 ? null : binary ? request.body.toString('base64') : request.body.toString('utf8'),
    isBase64Encoded: binary,
  };
}

function lastValues(multi: Readonly<Record<string, string[]>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(multi)) {
    const last = values[values.length - 1];
    if (last !== undefined) out[name] = last;
  }
  return out;
}

function orNull<T extends object>(value: T): T | null {
  return Object.keys(value).length === 0 ? null : value;
}

/** The method response a function's result makes, or why it is malformed (API Gateway then answers 502). */
export function proxyResponse(
  payload: unknown,
  accept: string | undefined,
  binaryMediaTypes: ReadonlyArray<string>,
): { answer: GatewayAnswer } | { malformed: string } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { malformed: 'the result is not a JSON object' };
  const result = payload as Record<string, unknown>;
  const status = typeof result.statusCode === 'string' && /^\d+$/.test(result.statusCode) ? Number(result.statusCode) : result.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return { malformed: `statusCode ${JSON.stringify(result.statusCode) ?? 'undefined'} is not an HTTP status code` };
  }
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') return { malformed: 'body is not a string' };
  if (result.isBase64Encoded !== undefined && result.isBase64Encoded !== null && typeof result.isBase64Encoded !== 'boolean') {
    return { malformed: 'isBase64Encoded is not a boolean' };
  }

  // Both maps merge into one list per header; a name in multiValueHeaders takes its values from there.
  const lists: Record<string, string[]> = {};
  const single = headerMap(result.headers, false);
  const multi = headerMap(result.multiValueHeaders, true);
  if (single === undefined) return { malformed: 'headers is not a map of strings' };
  if (multi === undefined) return { malformed: 'multiValueHeaders is not a map of lists of strings' };
  for (const [name, values] of Object.entries(single)) {
    const outgoing = outgoingHeaderName(name);
    if (outgoing !== undefined) lists[outgoing] = values;
  }
  for (const [name, values] of Object.entries(multi)) {
    const outgoing = outgoingHeaderName(name);
    if (outgoing !== undefined) lists[outgoing] = values;
  }

  const text = typeof result.body === 'string' ? result.body : '';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const headerLists: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(lists)) {
    if (values.length === 1) headers[name] = values[0] ?? '';
    else if (values.length > 1) {
      delete headers[name];
      headerLists[name] = values;
    }
  }
  // A base64 body goes out as bytes when the client accepts a binary media type; else as the text it is.
  if (result.isBase64Encoded === true && isBinaryMediaType(accept?.split(',')[0], binaryMediaTypes)) {
    return { answer: { status, headers, headerLists, body: text, rawBody: Buffer.from(text, 'base64') } };
  }
  return { answer: { status, headers, headerLists, body: text } };
}

function headerMap(value: unknown, lists: boolean): Record<string, string[]> | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    // A string where multiValueHeaders needs a list is a malformed response on AWS too.
    if (lists && !Array.isArray(raw) && raw !== null) return undefined;
    const entries: unknown[] = lists ? (Array.isArray(raw) ? raw : []) : [raw];
    const values: string[] = [];
    for (const entry of entries) {
      if (typeof entry === 'string') values.push(entry);
      else if (typeof entry === 'number' || typeof entry === 'boolean') values.push(String(entry));
      else if (entry !== null) return undefined;
    }
    out[name] = values;
  }
  return out;
}

/** A function error or a malformed result: `502 {"message": "Internal server error"}`, as API Gateway answers. */
export const badGateway = (): GatewayAnswer => ({ ...answers.internalServerError(), status: 502 });

export interface LambdaProxyCall {
  readonly uri: string;
  readonly event: Record<string, unknown>;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly region: string;
  readonly sourceArn: string;
  readonly timeoutMs: number;
  /** The stage's trace; the call's subsegment id is made only when sampled. */
  readonly trace: { readonly root: string; readonly sampled: boolean } | undefined;
  readonly accept: string | undefined;
  readonly binaryMediaTypes: ReadonlyArray<string>;
}

export interface LambdaProxyOutcome {
  readonly answer: GatewayAnswer;
  readonly call: IntegrationCall | undefined;
  /** Why the integration failed, for the execution log; undefined on success. */
  readonly failure: string | undefined;
}

/** Invokes the function of a proxy integration and makes its answer, with the `Lambda` subsegment of the call. */
export async function invokeLambdaProxy(
  lambda: LambdaInvoker | undefined,
  call: LambdaProxyCall,
  deps: InvokeDeps,
): Promise<LambdaProxyOutcome> {
  const functionName = functionFromUri(call.uri, call.stageVariables);
  if (functionName === undefined) {
    return { answer: answers.internalServerError(), call: undefined, failure: `configuration error: integration URI "${call.uri}" names no Lambda function` };
  }
  if (lambda === undefined) return { answer: answers.internalServerError(), call: undefined, failure: 'no Lambda service to invoke' };
  const outcome = await invokeFunction(lambda, {
    functionName, payload: call.event, invocationType: 'RequestResponse', region: call.region,
    sourceArn: call.sourceArn, timeoutMs: call.timeoutMs, trace: call.trace,
  }, deps);
  if (outcome.kind === 'failed') return { answer: outcome.answer, call: outcome.call, failure: outcome.failure };
  const { result } = outcome;
  if (result.functionError !== undefined) {
    return { answer: badGateway(), call: outcome.call, failure: `Lambda function error: ${result.errorMessage ?? JSON.stringify(result.payload)}` };
  }
  const made = proxyResponse(result.payload, call.accept, call.binaryMediaTypes);
  if ('malformed' in made) return { answer: badGateway(), call: outcome.call, failure: `Malformed Lambda proxy response: ${made.malformed}` };
  return { answer: made.answer, call: outcome.call, failure: undefined };
}
