import { JSONPath } from 'jsonpath-plus';
import { utilObject } from './util-functions.ts';

/**
 * The variables API Gateway gives a mapping template: `$input`, `$context`, `$util` and
 * `$stageVariables`. Built once for the request template and again (with the backend's answer as
 * `$input`) for the response template.
 */

/** A body that a template reads as JSON (`$input.path`, `$input.json`) but that is not JSON. */
export class BodyNotJsonError extends Error {
  override readonly name = 'BodyNotJsonError';
}

export interface InputSource {
  /** The raw payload: the client's body in the request phase, the backend's in the response phase. */
  readonly body: string;
  /** Path parameters of the matched resource (`{proxy+}` -> `proxy`), decoded. */
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Query string parameters; for a repeated name, the last value (as API Gateway passes them). */
  readonly queryParameters: Readonly<Record<string, string>>;
  /** Request headers under the names the client sent. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface InputObject {
  readonly body: string;
  json(path: unknown): string | undefined;
  path(path: unknown): unknown;
  params(name?: unknown): unknown;
}

/**
 * Nesting a payload may have. AWS documents no limit; JSON readers commonly set one (Jackson's
 * default is 1000), and the templates' walks ($input.json, JSONPath) recurse, so they would
 * overflow the stack well before a body's worth of brackets.
 */
export const MAX_JSON_NESTING = 1000;

/** The deepest nesting of objects and arrays in JSON text, counted without parsing (strings skipped). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

export function inputObject(source: InputSource): InputObject {
  let parsed: { value: unknown } | undefined;
  const document = (): unknown => {
    if (parsed === undefined) {
      // API Gateway reads an empty payload as an empty object.
      if (source.body.trim() === '') parsed = { value: {} };
      else {
        const depth = nestingDepth(source.body);
        if (depth > MAX_JSON_NESTING) {
          throw new BodyNotJsonError(`Could not parse payload into json: it nests objects and arrays more than ${MAX_JSON_NESTING} levels deep`);
        }
        try {
          parsed = { value: JSON.parse(source.body) as unknown };
        } catch (error) {
          throw new BodyNotJsonError(`Could not parse payload into json: ${(error as Error).message}`);
        }
      }
    }
    return parsed.value;
  };
  const select = (path: unknown): unknown => {
    const expression = String(path ?? '$');
    return JSONPath({ path: expression, json: document() as object, wrap: false }) as unknown;
  };
  return {
    body: source.body,
    path: (path) => select(path),
    json: (path) => {
      const value = select(path);
      return value === undefined ? undefined : JSON.stringify(value);
    },
    params: (name) => {
      const all = { path: { ...source.pathParameters }, querystring: { ...source.queryParameters }, header: { ...source.headers } };
      if (name === undefined || name === null) return all;
      // One name: the path parameter, else the query string parameter, else the header, as documented.
      const key = String(name);
      return all.path[key] ?? all.querystring[key] ?? headerValue(source.headers, key);
    },
  };
}

export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

export interface RequestContextSource {
  readonly accountId: string;
  readonly apiId: string;
  readonly stage: string;
  readonly httpMethod: string;
  /** The request path including the stage, e.g. `/prod/foo`. */
  readonly path: string;
  /** The matched resource's path template, e.g. `/{proxy+}`. */
  readonly resourcePath: string;
  readonly resourceId: string;
  readonly requestId: string;
  readonly extendedRequestId: string;
  /** Epoch milliseconds when the request arrived. */
  readonly requestTimeEpoch: number;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
  readonly protocol: string;
  readonly domainName: string;
  /** The trace id, when the stage traces. */
  readonly traceId: string | undefined;
  /** What a Lambda authorizer returned: `$context.authorizer.principalId` and its context's keys. */
  readonly authorizer?: { readonly principalId: string; readonly values: Readonly<Record<string, string | number | boolean>> };
  /** The request's API key, on methods with ApiKeyRequired: `$context.identity.apiKey`/`apiKeyId`. */
  readonly apiKey?: { readonly id: string; readonly value: string };
}

export function contextObject(source: RequestContextSource, integration?: { status: number; latency: number; requestId: string | undefined }): Record<string, unknown> {
  const domainPrefix = source.domainName.split('.')[0] ?? source.domainName;
  return {
    accountId: source.accountId,
    apiId: source.apiId,
    stage: source.stage,
    httpMethod: source.httpMethod,
    path: source.path,
    resourcePath: source.resourcePath,
    resourceId: source.resourceId,
    requestId: source.requestId,
    extendedRequestId: source.extendedRequestId,
    requestTime: formatRequestTime(source.requestTimeEpoch),
    requestTimeEpoch: source.requestTimeEpoch,
    protocol: source.protocol,
    domainName: source.domainName,
    domainPrefix,
    xrayTraceId: source.traceId,
    ...(source.authorizer !== undefined ? { authorizer: { ...source.authorizer.values, principalId: source.authorizer.principalId } } : {}),
    identity: {
      sourceIp: source.sourceIp,
      userAgent: source.userAgent,
      // No caller identity: methods here are unauthenticated (AuthorizationType NONE).
      accountId: undefined,
      caller: undefined,
      user: undefined,
      userArn: undefined,
      apiKey: source.apiKey?.value,
      apiKeyId: source.apiKey?.id,
    },
    ...(integration
      ? {
          integrationStatus: integration.status,
          integrationLatency: integration.latency,
          integration: { status: integration.status, latency: integration.latency, requestId: integration.requestId },
        }
      : {}),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** CLF time as API Gateway writes `$context.requestTime`: `09/Apr/2015:12:34:56 +0000`. */
export function formatRequestTime(epochMillis: number): string {
  const date = new Date(epochMillis);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()] ?? ''}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

// A type alias, not an interface: the template engine takes it as a plain record of variables.
export type MappingVariables = {
  readonly input: InputObject;
  readonly context: Record<string, unknown>;
  readonly util: ReturnType<typeof utilObject>;
  readonly stageVariables: Readonly<Record<string, string>>;
};

export function mappingVariables(
  input: InputSource,
  context: Record<string, unknown>,
  stageVariables: Readonly<Record<string, string>>,
): MappingVariables {
  return { input: inputObject(input), context, util: utilObject(), stageVariables: { ...stageVariables } };
}
