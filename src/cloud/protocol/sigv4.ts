/**
 * AWS Signature Version 4 on the receiving side: who signed a request (`Authorization:
 * AWS4-HMAC-SHA256 ...` or a presigned URL's `X-Amz-*` query) and, for keys whose secret the
 * endpoint knows (the roles'), whether the signature is right. The canonical request is built as
 * the AWS SigV4 spec ("Create a signed AWS API request") and @smithy/signature-v4 build it for every
 * service but S3: path segments normalized and URI-encoded twice, query and headers canonicalized,
 * the payload hashed (or the signed `x-amz-content-sha256` value, `UNSIGNED-PAYLOAD` included).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface SigV4Scope {
  readonly accessKeyId: string;
  /** The credential scope's service, e.g. `sqs`. */
  readonly service: string;
  readonly region: string;
}

/** Why a request is refused; each service answers it in its own protocol's error shape. */
export type AuthFailureKind =
  /** No Authorization header and no presigned query. */
  | 'missing'
  /** A signature that lacks a part or does not parse. */
  | 'incomplete'
  /** A key (or session token) the endpoint issued none of. */
  | 'unknown-key'
  /** The signature is not the one the key's secret makes, or its time is more than 15 minutes off. */
  | 'mismatch'
  /** A presigned request past its X-Amz-Expires. */
  | 'expired';

export class AuthFailure extends Error {
  constructor(readonly kind: AuthFailureKind, message: string) {
    super(message);
    this.name = 'AuthFailure';
  }
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a signature whose time is further than this from its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** X-Amz-Expires may be at most seven days. */
const MAX_PRESIGNED_SECONDS = 604_800;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** A request's signature as sent, before any check. */
export interface SignedRequestParts extends SigV4Scope {
  readonly presigned: boolean;
  /** e.g. `AWS4-HMAC-SHA256`. */
  readonly algorithm: string;
  /** `YYYYMMDD` of the credential scope. */
  readonly scopeDate: string;
  /** Lower-case names, in the order sent. */
  readonly signedHeaders: readonly string[];
  /** Hex. */
  readonly signature: string;
  /** The request time as `YYYYMMDDTHHMMSSZ`, from X-Amz-Date (or the Date header). */
  readonly amzDate: string | undefined;
  /** Seconds, presigned only. */
  readonly expiresSeconds: number | undefined;
  readonly sessionToken: string | undefined;
}

/** What the verifier needs of a request: the target exactly as sent (path and query still encoded). */
export interface VerifiableRequest {
  readonly method: string;
  /** The request target as on the request line, e.g. `/?Action=Publish`. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The raw query of a target: `[name, value]` pairs still encoded. */
function rawQueryPairs(target: string): Array<[string, string]> {
  const start = target.indexOf('?');
  if (start < 0) return [];
  const hash = target.indexOf('#', start);
  const query = target.slice(start + 1, hash < 0 ? undefined : hash);
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    pairs.push(equals < 0 ? [part, ''] : [part.slice(0, equals), part.slice(equals + 1)]);
  }
  return pairs;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

const CREDENTIAL = /^([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request$/;

function parseCredential(credential: string, where: string): { accessKeyId: string; scopeDate: string; region: string; service: string } {
  const match = CREDENTIAL.exec(credential);
  if (!match) {
    throw new AuthFailure('incomplete', `${where} Credential "${clip(credential)}" is not of the form <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request.`);
  }
  return { accessKeyId: match[1] ?? '', scopeDate: match[2] ?? '', region: match[3] ?? '', service: match[4] ?? '' };
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

/** `Sun, 06 Nov 1994 08:49:37 GMT` as `19941106T084937Z`; undefined when it is no date. */
function isoBasic(date: string): string | undefined {
  const ms = Date.parse(date);
  if (!Number.isFinite(ms)) return undefined;
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The signature a request carries; undefined when it carries none (no Authorization header, no
 * presigned query). Throws AuthFailure('incomplete') for a signature that lacks a part.
 */
export function signedRequestParts(request: Pick<VerifiableRequest, 'headers' | 'target'>): SignedRequestParts | undefined {
  const authorization = header(request.headers, 'authorization');
  const query = new Map<string, string>();
  for (const [name, value] of rawQueryPairs(request.target)) {
    const key = decode(name);
    if (key !== undefined && key.startsWith('X-Amz-') && !query.has(key)) query.set(key, decode(value) ?? value);
  }
  const presigned = query.has('X-Amz-Signature') || query.has('X-Amz-Credential') || query.has('X-Amz-Algorithm');
  if (authorization !== undefined && presigned) {
    throw new AuthFailure('incomplete', "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header: sign with one of them.");
  }
  if (authorization !== undefined) return headerParts(authorization, request.headers);
  if (presigned) return presignedParts(query);
  return undefined;
}

function headerParts(authorization: string, headers: IncomingHttpHeaders): SignedRequestParts {
  const space = authorization.indexOf(' ');
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (!algorithm.startsWith('AWS4-')) {
    throw new AuthFailure('incomplete', `The Authorization header is not AWS Signature Version 4 (it starts "${clip(algorithm)}", expected ${ALGORITHM}).`);
  }
  const fields = new Map<string, string>();
  for (const part of (space < 0 ? '' : authorization.slice(space + 1)).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !fields.get(name));
  if (missing.length > 0) {
    throw new AuthFailure('incomplete', `Authorization header requires ${missing.map((name) => `'${name}'`).join(', ')} parameter${missing.length > 1 ? 's' : ''}. Authorization=${clip(authorization)}`);
  }
  const credential = parseCredential(fields.get('Credential') ?? '', 'The Authorization header\'s');
  const amzDate = header(headers, 'x-amz-date');
  const date = header(headers, 'date');
  return {
    ...credential,
    presigned: false,
    algorithm,
    signedHeaders: (fields.get('SignedHeaders') ?? '').split(';'),
    signature: fields.get('Signature') ?? '',
    amzDate: amzDate ?? (date === undefined ? undefined : isoBasic(date) ?? date),
    expiresSeconds: undefined,
    sessionToken: header(headers, 'x-amz-security-token'),
  };
}

function presignedParts(query: ReadonlyMap<string, string>): SignedRequestParts {
  const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Expires'];
  const missing = required.filter((name) => !query.get(name));
  if (missing.length > 0) throw new AuthFailure('incomplete', `A presigned request requires the query parameters ${missing.join(', ')}.`);
  const credential = parseCredential(query.get('X-Amz-Credential') ?? '', 'X-Amz-Credential:');
  const expires = query.get('X-Amz-Expires') ?? '';
  const expiresSeconds = /^\d{1,7}$/.test(expires) ? Number(expires) : Number.NaN;
  if (!(expiresSeconds >= 1 && expiresSeconds <= MAX_PRESIGNED_SECONDS)) {
    throw new AuthFailure('incomplete', `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_PRESIGNED_SECONDS}, got "${clip(expires)}".`);
  }
  return {
    ...credential,
    presigned: true,
    algorithm: query.get('X-Amz-Algorithm') ?? '',
    signedHeaders: (query.get('X-Amz-SignedHeaders') ?? '').split(';'),
    signature: query.get('X-Amz-Signature') ?? '',
    amzDate: query.get('X-Amz-Date'),
    expiresSeconds,
    sessionToken: query.get('X-Amz-Security-Token'),
  };
}

/** encodeURIComponent plus the characters it leaves that SigV4 encodes (as @smithy/util-uri-escape). */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The path normalized (`.`, `..`, empty segments) and URI-encoded again, as every service but S3 signs it. */
export function canonicalUri(target: string): string {
  const end = target.search(/[?#]/);
  let path = end < 0 ? target : target.slice(0, end);
  // An absolute-form target (`http://host/x`) signs its path.
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length) || '/';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/') || '/';
}

/** Every query parameter but X-Amz-Signature, decoded and encoded again, sorted by name then value. */
export function canonicalQuery(target: string): string | undefined {
  const encoded: Array<[string, string]> = [];
  for (const [rawName, rawValue] of rawQueryPairs(target)) {
    const name = decode(rawName);
    const value = decode(rawValue);
    if (name === undefined || value === undefined) return undefined;
    if (name.toLowerCase() === 'x-amz-signature') continue;
    encoded.push([escapeUri(name), escapeUri(value)]);
  }
  encoded.sort(([nameA, valueA], [nameB, valueB]) => (nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0));
  return encoded.map(([name, value]) => `${name}=${value}`).join('&');
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export interface SigningSecret {
  readonly secretAccessKey: string;
  /** When set, the request must present this X-Amz-Security-Token. */
  readonly sessionToken?: string;
}

export interface SigV4VerifierOptions {
  /** The secret of a key the endpoint verifies; undefined for a key it issued none of. */
  readonly secretOf: (accessKeyId: string) => SigningSecret | undefined;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

/** Signing keys are derived once a key, day, region and service: verifying a request is then two HMACs and a hash. */
const MAX_CACHED_SIGNING_KEYS = 256;

export class SigV4Verifier {
  private readonly signingKeys = new Map<string, Buffer>();

  constructor(private readonly options: SigV4VerifierOptions) {}

  /** How many derived signing keys are kept (for tests and status). */
  get cachedSigningKeys(): number {
    return this.signingKeys.size;
  }

  /** Throws AuthFailure unless the request is signed by `parts.accessKeyId`'s secret within the allowed time. */
  verify(request: VerifiableRequest, parts: SignedRequestParts): void {
    if (parts.algorithm !== ALGORITHM) {
      throw new AuthFailure('incomplete', `Unsupported signing algorithm "${clip(parts.algorithm)}": ${parts.accessKeyId} signs with ${ALGORITHM}.`);
    }
    const secret = this.options.secretOf(parts.accessKeyId);
    if (secret === undefined) throw new AuthFailure('unknown-key', 'The security token included in the request is invalid.');
    if (secret.sessionToken !== undefined && parts.sessionToken !== secret.sessionToken) {
      throw new AuthFailure('unknown-key', `The security token included in the request is invalid: the credentials of ${parts.accessKeyId} need their session token (X-Amz-Security-Token).`);
    }
    if (parts.amzDate === undefined) {
      throw new AuthFailure('incomplete', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    const signedAtMs = parseAmzDate(parts.amzDate);
    if (signedAtMs === undefined) throw new AuthFailure('incomplete', `The request date "${clip(parts.amzDate)}" is not of the form YYYYMMDD'T'HHMMSS'Z'.`);
    if (parts.amzDate.slice(0, 8) !== parts.scopeDate) {
      throw new AuthFailure('mismatch', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parts.scopeDate}' != '${parts.amzDate.slice(0, 8)}'.`);
    }
    this.checkTime(parts, signedAtMs);
    if (!parts.signedHeaders.includes('host')) {
      throw new AuthFailure('incomplete', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }
    const expected = this.signature(request, parts, secret.secretAccessKey);
    const given = Buffer.from(parts.signature.toLowerCase());
    if (expected === undefined || given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
      throw new AuthFailure('mismatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
    }
  }

  private checkTime(parts: SignedRequestParts, signedAtMs: number): void {
    const nowMs = this.options.clock();
    const now = formatAmzDate(nowMs);
    if (parts.presigned) {
      if (signedAtMs - nowMs > MAX_CLOCK_SKEW_MS) {
        throw new AuthFailure('mismatch', `Signature not yet current: ${parts.amzDate} is still later than ${formatAmzDate(nowMs + MAX_CLOCK_SKEW_MS)} (${now} + 15 min.)`);
      }
      const expiresMs = signedAtMs + (parts.expiresSeconds ?? 0) * 1000;
      if (nowMs > expiresMs) {
        throw new AuthFailure('expired', `Request has expired: signed at ${parts.amzDate} for ${parts.expiresSeconds} seconds, it expired at ${formatAmzDate(expiresMs)} (now ${now}).`);
      }
      return;
    }
    if (nowMs - signedAtMs > MAX_CLOCK_SKEW_MS) {
      throw new AuthFailure('mismatch', `Signature expired: ${parts.amzDate} is now earlier than ${formatAmzDate(nowMs - MAX_CLOCK_SKEW_MS)} (${now} - 15 min.)`);
    }
    if (signedAtMs - nowMs > MAX_CLOCK_SKEW_MS) {
      throw new AuthFailure('mismatch', `Signature not yet current: ${parts.amzDate} is still later than ${formatAmzDate(nowMs + MAX_CLOCK_SKEW_MS)} (${now} + 15 min.)`);
    }
  }

  /** The hex signature the secret makes for this request, or undefined when the request cannot be canonicalized. */
  private signature(request: VerifiableRequest, parts: SignedRequestParts, secretAccessKey: string): string | undefined {
    const query = canonicalQuery(request.target);
    if (query === undefined) return undefined;
    const payloadHash = this.payloadHash(request);
    const headerLines: string[] = [];
    for (const name of parts.signedHeaders) {
      const value = header(request.headers, name);
      if (value === undefined) return undefined;
      headerLines.push(`${name}:${value.trim().replace(/\s+/g, ' ')}\n`);
    }
    const canonicalRequest = `${request.method}\n${canonicalUri(request.target)}\n${query}\n${headerLines.join('')}\n${parts.signedHeaders.join(';')}\n${payloadHash}`;
    const scope = `${parts.scopeDate}/${parts.region}/${parts.service}/aws4_request`;
    const stringToSign = `${ALGORITHM}\n${parts.amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    return hmac(this.signingKey(parts, secretAccessKey), stringToSign).toString('hex');
  }

  /** The signed `x-amz-content-sha256` when sent (a hash must be the body's), else the body's hash. */
  private payloadHash(request: VerifiableRequest): string {
    const bodyHash = (): string => sha256Hex(request.body);
    const declared = header(request.headers, 'x-amz-content-sha256');
    if (declared === undefined) return bodyHash();
    if (/^[0-9a-f]{64}$/i.test(declared) && declared.toLowerCase() !== bodyHash()) {
      throw new AuthFailure('mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    return declared === UNSIGNED_PAYLOAD ? UNSIGNED_PAYLOAD : declared;
  }

  private signingKey(parts: SignedRequestParts, secretAccessKey: string): Buffer {
    const cacheKey = `${parts.accessKeyId}\n${secretAccessKey}\n${parts.scopeDate}\n${parts.region}\n${parts.service}`;
    const cached = this.signingKeys.get(cacheKey);
    if (cached) return cached;
    const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, parts.scopeDate), parts.region), parts.service), 'aws4_request');
    if (this.signingKeys.size >= MAX_CACHED_SIGNING_KEYS) this.signingKeys.clear();
    this.signingKeys.set(cacheKey, key);
    return key;
  }
}

/** `20260101T120000Z` as epoch milliseconds; undefined when it is not that form or no real time. */
export function parseAmzDate(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  return formatAmzDate(ms) === text ? ms : undefined;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const SCOPE = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** From `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sqs/aws4_request, ...`
 *  or a presigned URL's `X-Amz-Credential`; undefined when the request is not signed. Says who
 *  signed, not whether the signature holds: `SigV4Verifier` checks that. */
export function sigV4ScopeOf(authorization: string | undefined, query?: URLSearchParams): SigV4Scope | undefined {
  const credential = authorization?.startsWith('AWS4-')
    ? authorization
    : query?.has('X-Amz-Credential') === true
      ? `Credential=${query.get('X-Amz-Credential') ?? ''}`
      : undefined;
  const match = credential === undefined ? null : SCOPE.exec(credential);
  if (!match) return undefined;
  return { accessKeyId: match[1] ?? '', region: match[3] ?? '', service: match[4] ?? '' };
}
