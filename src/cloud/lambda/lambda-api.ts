/**
 * The Lambda API on the local AWS endpoint, in its restJson1 protocol (Lambda API reference):
 * Invoke (`POST /2015-03-31/functions/{FunctionName}/invocations`: RequestResponse, Event, DryRun,
 * LogType Tail), GetFunction, GetFunctionConfiguration, ListFunctions and ListVersionsByFunction.
 * Asynchronous invocations go through the Lambda service's retry, destination and journal path,
 * as SNS's deliveries do; the caller's X-Amzn-Trace-Id is continued.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../core/types.ts';
import { AwsError } from '../protocol/errors.ts';
import { renderRestJsonError, restJsonReply } from '../protocol/rest-json-protocol.ts';
import type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest } from '../protocol/service.ts';
import { foundOrThrow, LATEST } from './function-catalog.ts';
import type { CatalogEntry, FunctionAlias, FunctionCatalog, LocatedFunction, ResolvedFunction } from './function-catalog.ts';
import { functionConfiguration, functionTags, summarizeCode } from './function-configuration.ts';
import type { CodeSummary } from './function-configuration.ts';
import type { LambdaFunctionConfig } from './functions.ts';

/** What the API needs of the Lambda service (LambdaService is one). */
export interface LambdaApiBackend extends LambdaInvoker {
  readonly functionConfigs: LambdaFunctionConfig[];
  invokeDetailed(request: InvokeRequest & {
    readonly executedVersion?: string;
    readonly tailLog?: boolean;
    readonly invokedFunctionArn?: string;
    readonly clientContextJson?: string;
  }): Promise<InvokeResult & { readonly executedVersion: string; readonly log?: string }>;
}

export function isLambdaApiBackend(lambda: LambdaInvoker): lambda is LambdaApiBackend {
  return typeof (lambda as Partial<LambdaApiBackend>).invokeDetailed === 'function' && Array.isArray((lambda as Partial<LambdaApiBackend>).functionConfigs);
}

export interface LambdaApiOptions {
  readonly backend: LambdaApiBackend;
  readonly catalog: FunctionCatalog;
}

/** Invoke's request payload limits (Lambda quotas): 6 MB synchronous, 1 MB asynchronous. */
export const MAX_SYNC_REQUEST_BYTES = 6 * 1024 * 1024;
export const MAX_ASYNC_REQUEST_BYTES = 1024 * 1024;
/** LogType Tail answers the last 4 KB of the log. */
const LOG_TAIL_BYTES = 4096;
const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'] as const;
type InvocationTypeHeader = (typeof INVOCATION_TYPES)[number];

/** Lambda API paths: a date version, then a resource collection. */
const LAMBDA_PATH = /^\/20\d\d-\d\d-\d\d\/(functions|event-source-mappings|layers|tags|account-settings|code-signing-configs)(\/|$)/;

function header(request: EndpointRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AwsError('ValidationException', `The path segment ${segment.slice(0, 200)} is not a valid URI-encoded function name.`);
  }
}

function validation(member: string, value: string, constraint: string): AwsError {
  return new AwsError('ValidationException', `1 validation error detected: Value '${value.slice(0, 200)}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

/** The last `maxBytes` bytes of a log, cut at a character boundary, base64. */
export function logTail(log: string, maxBytes = LOG_TAIL_BYTES): string {
  const bytes = Buffer.from(log, 'utf8');
  if (bytes.length <= maxBytes) return bytes.toString('base64');
  let start = bytes.length - maxBytes;
  // Skip UTF-8 continuation bytes so the tail decodes cleanly.
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start).toString('base64');
}

export class LambdaApi implements AwsProtocolService {
  readonly name = 'Lambda';
  readonly signingName = 'lambda';
  readonly authFailureStatus = 403;
  private readonly codes = new Map<string, CodeSummary>();

  constructor(private readonly options: LambdaApiOptions) {}

  accepts(request: EndpointRequest): boolean {
    return LAMBDA_PATH.test(request.path) || request.caller?.service === 'lambda';
  }

  renderError(error: AwsError): EndpointReply {
    return renderRestJsonError(error, error.code === 'TooManyRequestsException' ? { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' } : {});
  }

  accessDenied(message: string): AwsError {
    return new AwsError('AccessDeniedException', message, { status: 403 });
  }

  parse(request: EndpointRequest): AwsCall {
    const segments = request.path.split('/').slice(1);
    const [version, collection, rawName, sub, ...rest] = segments;
    const unknown = (): AwsError => new AwsError('UnknownOperationException', `The local Lambda API has no operation ${request.method} ${request.path.slice(0, 200)}: it runs Invoke, GetFunction, GetFunctionConfiguration, ListFunctions, ListVersionsByFunction, ListAliases and GetAlias.`, { status: 404 });
    if (version !== '2015-03-31' || collection !== 'functions' || rest.length > 1 || (rest.length === 1 && sub !== 'aliases')) throw unknown();
    const qualifier = request.query.get('Qualifier') ?? undefined;
    if (rawName === undefined || rawName === '') {
      if (request.method !== 'GET') throw unknown();
      return this.listFunctions(request);
    }
    const name = decodeSegment(rawName);
    const { catalog } = this.options;
    if (request.method === 'POST' && sub === 'invocations') return this.invoke(request, catalog.locate(name, qualifier));
    if (request.method === 'GET' && sub === undefined) return this.getFunction(catalog.locate(name, qualifier));
    if (request.method === 'GET' && sub === 'configuration') return this.getFunctionConfiguration(catalog.locate(name, qualifier));
    if (request.method === 'GET' && sub === 'versions' && rest.length === 0) return this.listVersions(request, catalog.locate(name, undefined));
    if (request.method === 'GET' && sub === 'aliases' && rest.length === 0) return this.listAliases(request, catalog.locate(name, undefined));
    if (request.method === 'GET' && sub === 'aliases' && rest[0] !== undefined) return this.getAlias(catalog.locate(name, undefined), decodeSegment(rest[0]));
    throw unknown();
  }

  private code(entry: CatalogEntry): CodeSummary {
    const known = this.codes.get(entry.config.name);
    if (known) return known;
    const summary = summarizeCode(entry.config.codeDirectory);
    this.codes.set(entry.config.name, summary);
    return summary;
  }

  private configurationOf(resolved: ResolvedFunction): Record<string, unknown> {
    const arn = resolved.qualifier === undefined || resolved.qualifier === LATEST ? resolved.entry.config.arn : resolved.resourceArn;
    return functionConfiguration(resolved.entry, resolved.executedVersion, arn, this.code(resolved.entry));
  }

  private invoke(request: EndpointRequest, located: LocatedFunction): AwsCall {
    const typeHeader = header(request, 'x-amz-invocation-type') ?? 'RequestResponse';
    if (!(INVOCATION_TYPES as readonly string[]).includes(typeHeader)) {
      throw validation('invocationType', typeHeader, 'Member must satisfy enum value set: [Event, RequestResponse, DryRun]');
    }
    const invocationType = typeHeader as InvocationTypeHeader;
    const logType = header(request, 'x-amz-log-type') ?? 'None';
    if (logType !== 'None' && logType !== 'Tail') throw validation('logType', logType, 'Member must satisfy enum value set: [None, Tail]');
    const limit = invocationType === 'Event' ? MAX_ASYNC_REQUEST_BYTES : MAX_SYNC_REQUEST_BYTES;
    if (request.body.length > limit) {
      throw new AwsError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, { status: 413 });
    }
    const payload = parsePayload(request.body);
    const clientContextJson = clientContext(header(request, 'x-amz-client-context'));
    return {
      operation: 'Invoke',
      permissions: [{ action: 'lambda:InvokeFunction', resourceArn: located.resourceArn }],
      run: async () => {
        const resolved = foundOrThrow(located);
        const versionHeader = { 'x-amz-executed-version': resolved.executedVersion };
        if (invocationType === 'DryRun') return { status: 204, headers: versionHeader, body: '' };
        const result = await this.options.backend.invokeDetailed({
          functionName: resolved.entry.config.name,
          payload,
          invocationType,
          executedVersion: resolved.executedVersion,
          tailLog: logType === 'Tail' && invocationType === 'RequestResponse',
          invokedFunctionArn: resolved.qualifier === undefined ? resolved.entry.config.arn : resolved.resourceArn,
          // Lambda passes ClientContext to synchronous invocations only.
          ...(clientContextJson !== undefined && invocationType === 'RequestResponse' ? { clientContextJson } : {}),
          caller: { kind: 'sdk' },
          ...(request.trace ? { trace: request.trace } : {}),
        });
        if (result.statusCode >= 400) throw invokeError(result);
        if (invocationType === 'Event') return { status: 202, headers: {}, body: '' };
        const headers: Record<string, string> = { 'content-type': 'application/json', ...versionHeader };
        if (result.functionError !== undefined) headers['x-amz-function-error'] = result.functionError;
        if (result.log !== undefined) headers['x-amz-log-result'] = logTail(result.log);
        return { status: 200, headers, body: JSON.stringify(result.payload ?? null) };
      },
    };
  }

  private getFunction(located: LocatedFunction): AwsCall {
    return {
      operation: 'GetFunction',
      permissions: [{ action: 'lambda:GetFunction', resourceArn: located.resourceArn }],
      run: async () => {
        const resolved = foundOrThrow(located);
        const { config } = resolved.entry;
        const tags = functionTags(resolved.entry);
        return restJsonReply(200, {
          Configuration: this.configurationOf(resolved),
          // AWS answers a presigned S3 URL of the zip; the local code is this folder.
          Code: { RepositoryType: 'S3', Location: new URL(`file://${config.codeDirectory}`).href },
          ...(Object.keys(tags).length > 0 && resolved.qualifier === undefined ? { Tags: tags } : {}),
          ...(config.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: config.reservedConcurrency } } : {}),
        });
      },
    };
  }

  private getFunctionConfiguration(located: LocatedFunction): AwsCall {
    return {
      operation: 'GetFunctionConfiguration',
      permissions: [{ action: 'lambda:GetFunctionConfiguration', resourceArn: located.resourceArn }],
      run: async () => restJsonReply(200, this.configurationOf(foundOrThrow(located))),
    };
  }

  private listFunctions(request: EndpointRequest): AwsCall {
    const maxItems = pageSize(request);
    const marker = request.query.get('Marker') ?? undefined;
    const functionVersion = request.query.get('FunctionVersion') ?? undefined;
    if (functionVersion !== undefined && functionVersion !== 'ALL') throw validation('functionVersion', functionVersion, 'Member must satisfy enum value set: [ALL]');
    return {
      operation: 'ListFunctions',
      permissions: [{ action: 'lambda:ListFunctions', resourceArn: '*' }],
      run: async () => {
        const all = this.options.catalog.entries().flatMap((entry) => [
          this.configurationOf({ entry, qualifier: undefined, executedVersion: LATEST, resourceArn: entry.config.arn }),
          ...(functionVersion === 'ALL'
            ? entry.versions.map((published) => this.configurationOf({ entry, qualifier: published.version, executedVersion: published.version, resourceArn: `${entry.config.arn}:${published.version}` }))
            : []),
        ]);
        const { page, nextMarker } = paginate(all, marker, maxItems);
        return restJsonReply(200, { Functions: page, ...(nextMarker !== undefined ? { NextMarker: nextMarker } : {}) });
      },
    };
  }

  private listAliases(request: EndpointRequest, located: LocatedFunction): AwsCall {
    const maxItems = pageSize(request);
    const marker = request.query.get('Marker') ?? undefined;
    const functionVersion = request.query.get('FunctionVersion') ?? undefined;
    return {
      operation: 'ListAliases',
      permissions: [{ action: 'lambda:ListAliases', resourceArn: located.resourceArn }],
      run: async () => {
        const { entry } = foundOrThrow(located);
        const all = entry.aliases
          .filter((alias) => functionVersion === undefined || alias.functionVersion === functionVersion)
          .map((alias) => aliasConfiguration(entry, alias));
        const { page, nextMarker } = paginate(all, marker, maxItems);
        return restJsonReply(200, { Aliases: page, ...(nextMarker !== undefined ? { NextMarker: nextMarker } : {}) });
      },
    };
  }

  private getAlias(located: LocatedFunction, aliasName: string): AwsCall {
    const aliasArn = `${located.resourceArn}:${aliasName}`;
    return {
      operation: 'GetAlias',
      permissions: [{ action: 'lambda:GetAlias', resourceArn: aliasArn }],
      run: async () => {
        const { entry } = foundOrThrow(located);
        const alias = entry.aliases.find((candidate) => candidate.name === aliasName);
        if (!alias) throw new AwsError('ResourceNotFoundException', `Cannot find alias arn: ${aliasArn}`, { status: 404 });
        return restJsonReply(200, aliasConfiguration(entry, alias));
      },
    };
  }

  private listVersions(request: EndpointRequest, located: LocatedFunction): AwsCall {
    const maxItems = pageSize(request);
    const marker = request.query.get('Marker') ?? undefined;
    return {
      operation: 'ListVersionsByFunction',
      permissions: [{ action: 'lambda:ListVersionsByFunction', resourceArn: located.resourceArn }],
      run: async () => {
        const { entry } = foundOrThrow(located);
        const all = [
          this.configurationOf({ entry, qualifier: LATEST, executedVersion: LATEST, resourceArn: `${entry.config.arn}:${LATEST}` }),
          ...entry.versions.map((published) => this.configurationOf({ entry, qualifier: published.version, executedVersion: published.version, resourceArn: `${entry.config.arn}:${published.version}` })),
        ];
        const { page, nextMarker } = paginate(all, marker, maxItems);
        return restJsonReply(200, { Versions: page, ...(nextMarker !== undefined ? { NextMarker: nextMarker } : {}) });
      },
    };
  }
}

function aliasConfiguration(entry: CatalogEntry, alias: FunctionAlias): Record<string, unknown> {
  const aliasArn = `${entry.config.arn}:${alias.name}`;
  const revision = createHash('sha256').update(`${aliasArn}:${alias.functionVersion}`).digest('hex');
  return {
    AliasArn: aliasArn,
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description ?? '',
    RevisionId: `${revision.slice(0, 8)}-${revision.slice(8, 12)}-4${revision.slice(13, 16)}-a${revision.slice(17, 20)}-${revision.slice(20, 32)}`,
  };
}

/** MaxItems: 1 to 10000 (ListFunctions answers at most 50 a page whatever is asked). */
function pageSize(request: EndpointRequest): number {
  const given = request.query.get('MaxItems');
  if (given === null) return 50;
  const value = Number(given);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) throw validation('maxItems', given, 'Member must have value greater than or equal to 1 and less than or equal to 10000');
  return Math.min(value, 50);
}

/** Markers are opaque to callers: here the position of the next item, base64url. */
function paginate<T>(items: readonly T[], marker: string | undefined, maxItems: number): { page: T[]; nextMarker: string | undefined } {
  let start = 0;
  if (marker !== undefined) {
    const decoded = Buffer.from(marker, 'base64url').toString('utf8');
    const position = /^p(\d{1,9})$/.exec(decoded);
    if (!position || marker === '') throw new AwsError('InvalidParameterValueException', 'Invalid marker.');
    start = Number(position[1]);
  }
  const page = items.slice(start, start + maxItems);
  const next = start + maxItems;
  return { page, nextMarker: next < items.length ? Buffer.from(`p${next}`).toString('base64url') : undefined };
}

/** X-Amz-Client-Context: base64 of a JSON object, up to 3583 bytes; its JSON text. */
function clientContext(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length > 3583) throw validation('clientContext', value, 'Member must have length less than or equal to 3583');
  const text = Buffer.from(value, 'base64').toString('utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return text;
  } catch {
    // Answered below.
  }
  throw new AwsError('InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.');
}

/** The request body as the event: JSON, or `{}` when empty, as Lambda passes it. */
function parsePayload(body: Buffer): unknown {
  if (body.length === 0) return {};
  const invalid = (detail: string): AwsError => new AwsError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${detail}`);
  if (!isUtf8(body)) throw invalid('the body is not UTF-8');
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalid((error as Error).message);
  }
}

/** The service's refusals (throttled, stopping, too large) as the API's errors. */
function invokeError(result: InvokeResult): AwsError {
  const message = (result.errorMessage ?? '').replace(/ \([A-Za-z]+\)$/, '');
  switch (result.statusCode) {
    case 404: return new AwsError('ResourceNotFoundException', message, { status: 404 });
    case 413: return new AwsError('RequestTooLargeException', message, { status: 413 });
    case 429: return new AwsError('TooManyRequestsException', 'Rate Exceeded.', { status: 429 });
    default: return new AwsError('ServiceException', message || 'The Lambda service failed to run the request.', { status: result.statusCode >= 500 ? result.statusCode : 500 });
  }
}
