/**
 * The payload format version 2.0 that HTTP APIs and function URLs send a function, and the response
 * format 2.0 they read back ("Working with AWS Lambda proxy integrations for HTTP APIs", "Lambda
 * function URL request and response payloads").
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
 */
import { formatRequestTime } from '../gateway/mapping-variables.ts';

export interface V2Request {
  readonly method: string;
  /** The path as sent, with a named stage's segment, still percent-encoded. */
  readonly rawPath: string;
  /** After `?`, as sent; '' when none. */
  readonly rawQueryString: string;
  /** node's rawHeaders: name, value, name, value... */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly protocol: string;
  readonly requestId: string;
  readonly requestTimeEpochMs: number;
  readonly accountId: string;
  readonly apiId: string;
  readonly domainName: string;
  readonly routeKey: string;
  readonly stage: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly stageVariables: Readonly<Record<string, string>>;
  /** Extra headers API Gateway adds (x-forwarded-*), lower case; the client's own win. */
  readonly addedHeaders: Readonly<Record<string, string>>;
  /** requestContext.authorizer, e.g. the IAM caller of a signed request. */
  readonly authorizer?: Readonly<Record<string, unknown>>;
}

/**
 * Bodies of these types are passed as text; any other (or none) as base64 with isBase64Encoded,
 * as HTTP APIs and function URLs do (an HTML form's `application/x-www-form-urlencoded` included).
 */
export function isTextContentType(contentType: string | undefined): boolean {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (type === undefined || type === '') return false;
  return type.startsWith('text/') ||
    ['application/json', 'application/javascript', 'application/xml', 'application/ecmascript', 'application/graphql'].includes(type) ||
    /^application\/[^/]+\+(json|xml)$/.test(type);
}

/** Lower-cased names; a repeated header's values joined by commas, as the 2.0 format carries them. */
export function joinedHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return headers;
}

export function v2Event(request: V2Request): Record<string, unknown> {
  const headers = { ...request.addedHeaders, ...joinedHeaders(request.rawHeaders) };
  // Cookies travel in their own list, not among the headers.
  const cookieHeader = headers['cookie'];
  delete headers['cookie'];
  const cookies = cookieHeader === undefined ? [] : cookieHeader.split(/;\s*|,/).map((cookie) => cookie.trim()).filter((cookie) => cookie !== '');

  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(request.rawQueryString)) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const binary = request.body.length > 0 && !isTextContentType(headers['content-type']);
  const host = request.domainName;
  let decodedPath = request.rawPath;
  try {
    decodedPath = decodeURI(request.rawPath);
  } catch {
    // A malformed escape stays as sent.
  }
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: request.accountId,
      apiId: request.apiId,
      ...(request.authorizer !== undefined ? { authorizer: request.authorizer } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: request.method,
        path: decodedPath,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: request.routeKey,
      stage: request.stage,
      time: formatRequestTime(request.requestTimeEpochMs),
      timeEpoch: request.requestTimeEpochMs,
    },
    ...(request.body.length > 0 ? { body: binary ? request.body.toString('base64') : request.body.toString('utf8') } : {}),
    ...(Object.keys(request.pathParameters).length > 0 ? { pathParameters: { ...request.pathParameters } } : {}),
    isBase64Encoded: binary,
    ...(Object.keys(request.stageVariables).length > 0 ? { stageVariables: { ...request.stageVariables } } : {}),
  };
}

export interface V2Answer {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/**
 * The response a function's result makes. An object with a statusCode is read as the 2.0 response
 * (statusCode, headers, cookies, body, isBase64Encoded); anything else that is valid JSON is the
 * body of a 200 with `content-type: application/json` (a string as itself, the rest as its JSON).
 * Undefined when the result is malformed (a statusCode that is no status, a body that is no string, ...).
 */
export function v2Response(payload: unknown): { answer: V2Answer } | { malformed: string } {
  const isObject = typeof payload === 'object' && payload !== null && !Array.isArray(payload);
  if (!isObject || !('statusCode' in payload)) {
    const body = payload === undefined || payload === null ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload);
    return { answer: { status: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(body, 'utf8') } };
  }
  const result = payload as Record<string, unknown>;
  const status = typeof result.statusCode === 'string' && /^\d+$/.test(result.statusCode) ? Number(result.statusCode) : result.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return { malformed: `statusCode ${JSON.stringify(result.statusCode) ?? 'undefined'} is not an HTTP status code` };
  }
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') return { malformed: 'body is not a string' };
  const headers: Record<string, string> = {};
  if (result.headers !== undefined && result.headers !== null) {
    if (typeof result.headers !== 'object' || Array.isArray(result.headers)) return { malformed: 'headers is not a map of strings' };
    for (const [name, value] of Object.entries(result.headers as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') headers[name.toLowerCase()] = String(value);
      else if (value !== null) return { malformed: `header ${name} is not a string` };
    }
  }
  const cookies: string[] = [];
  if (result.cookies !== undefined && result.cookies !== null) {
    if (!Array.isArray(result.cookies) || result.cookies.some((cookie) => typeof cookie !== 'string')) return { malformed: 'cookies is not a list of strings' };
    cookies.push(...(result.cookies as string[]));
  }
  const text = typeof result.body === 'string' ? result.body : '';
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { answer: { status, headers, cookies, body } };
}
