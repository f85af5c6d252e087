import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { RequestAuthenticator } from '../../../src/cloud/endpoint/authentication.ts';
import { AuthFailure, canonicalUri, signedRequestParts, SigV4Verifier } from '../../../src/cloud/protocol/sigv4.ts';
import type { AuthFailureKind, VerifiableRequest } from '../../../src/cloud/protocol/sigv4.ts';
import { RoleCredentials } from '../../../src/cloud/iam/credentials.ts';
import { Sha256 } from '../../support/sha256.ts';

const SIGNED_AT = Date.UTC(2026, 0, 1, 12, 0, 0);
const credentials = new RoleCredentials(Buffer.alloc(32, 9));
const role = credentials.forRole('arn:aws:iam::000000000000:role/TheSnsFlowStack-SnsPublishRole-XYZ');
const FORM = 'Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Atopic&Message=hello&Version=2010-03-31';

/** The query as the SDK's HTTP handler puts it on the wire (RFC 3986 escaping, %20 for a space). */
function wireQuery(query: Record<string, string | string[]>): string {
  const escape = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return Object.entries(query)
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((item) => `${escape(name)}=${escape(item)}`))
    .join('&');
}

interface Unsigned {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

/** Signed by @smithy/signature-v4 (what every AWS SDK v3 client uses), as the endpoint would receive it. */
async function signed(request: Unsigned = {}, secret = role.secretAccessKey, options: { presign?: boolean; accessKeyId?: string; sessionToken?: string | undefined; service?: string } = {}): Promise<VerifiableRequest> {
  const body = request.body ?? (request.method === 'GET' ? '' : FORM);
  const signer = new SignatureV4({
    service: options.service ?? 'sns',
    region: 'us-east-1',
    sha256: Sha256,
    credentials: { accessKeyId: options.accessKeyId ?? role.accessKeyId, secretAccessKey: secret, ...('sessionToken' in options ? (options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }) : { sessionToken: role.sessionToken }) },
    applyChecksum: false,
  });
  const unsigned = {
    method: request.method ?? 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: request.path ?? '/',
    query: { ...(request.query ?? {}) },
    headers: {
      host: '127.0.0.1:4566',
      ...(request.method === 'GET' ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) }),
      ...(request.headers ?? {}),
    },
    body,
  };
  const out = options.presign === true
    ? await signer.presign(unsigned, { signingDate: new Date(SIGNED_AT), expiresIn: 300 })
    : await signer.sign(unsigned, { signingDate: new Date(SIGNED_AT) });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(out.headers)) headers[name.toLowerCase()] = value;
  const query = wireQuery(out.query as Record<string, string | string[]>);
  return { method: out.method, target: `${out.path}${query === '' ? '' : `?${query}`}`, headers, body: Buffer.from(body) };
}

function verifier(nowMs = SIGNED_AT): SigV4Verifier {
  return new SigV4Verifier({ secretOf: (accessKeyId) => credentials.byAccessKeyId(accessKeyId), clock: () => nowMs });
}

/** The failure's kind and message, or 'ok'. */
function outcome(request: VerifiableRequest, nowMs = SIGNED_AT): 'ok' | [AuthFailureKind, string] {
  try {
    new RequestAuthenticator({ roleCredentials: credentials, clock: () => nowMs }).authenticate(request);
    return 'ok';
  } catch (error) {
    if (error instanceof AuthFailure) return [error.kind, error.message];
    throw error;
  }
}

const MISMATCH = 'The request signature we calculated does not match the signature you provided.';

describe('SigV4 verification of role keys', () => {
  it.each<[string, () => Promise<VerifiableRequest>, number, 'ok' | [AuthFailureKind, string]]>([
    ['a valid header-signed POST', () => signed(), SIGNED_AT, 'ok'],
    ['a valid header-signed POST, 14 minutes later', () => signed(), SIGNED_AT + 14 * 60_000, 'ok'],
    ['a valid presigned GET', () => signed({ method: 'GET', query: { Action: 'ListTopics', Version: '2010-03-31' } }, role.secretAccessKey, { presign: true }), SIGNED_AT + 60_000, 'ok'],
    [
      'a path and query that need escaping (spaces, unicode, repeated names)',
      () => signed({ method: 'GET', path: '/a%20b/./c/../d%C3%A9', query: { 'Message Attr': 'x y*z', Name: ['b', 'a'], Empty: '' } }),
      SIGNED_AT,
      'ok',
    ],
    ['a signed UNSIGNED-PAYLOAD x-amz-content-sha256', () => signed({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }), SIGNED_AT, 'ok'],
    ['the wrong secret', () => signed({}, 'not-the-secret-of-this-role-at-all-000000'), SIGNED_AT, ['mismatch', expect.stringContaining(MISMATCH) as unknown as string]],
    [
      'a body changed after signing',
      async () => ({ ...(await signed()), body: Buffer.from(FORM.replace('hello', 'hijacked')) }),
      SIGNED_AT,
      ['mismatch', expect.stringContaining(MISMATCH) as unknown as string],
    ],
    [
      'a signed header changed after signing',
      async () => {
        const request = await signed({ headers: { 'x-amz-target': 'AmazonSQS.ListQueues' } });
        return { ...request, headers: { ...request.headers, 'x-amz-target': 'AmazonSQS.DeleteQueue' } };
      },
      SIGNED_AT,
      ['mismatch', expect.stringContaining(MISMATCH) as unknown as string],
    ],
    [
      'a query changed after signing',
      async () => {
        const request = await signed({ method: 'GET', query: { Action: 'ListTopics' } });
        return { ...request, target: request.target.replace('ListTopics', 'DeleteTopic') };
      },
      SIGNED_AT,
      ['mismatch', expect.stringContaining(MISMATCH) as unknown as string],
    ],
    [
      'a declared payload hash that is not the body\'s',
      () => signed({ headers: { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') } }),
      SIGNED_AT,
      ['mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed."],
    ],
    ['a date more than 15 minutes old', () => signed(), SIGNED_AT + 16 * 60_000, ['mismatch', 'Signature expired: 20260101T120000Z is now earlier than 20260101T120100Z (20260101T121600Z - 15 min.)']],
    ['a date more than 15 minutes ahead', () => signed(), SIGNED_AT - 16 * 60_000, ['mismatch', 'Signature not yet current: 20260101T120000Z is still later than 20260101T115900Z (20260101T114400Z + 15 min.)']],
    [
      'a presigned URL past its X-Amz-Expires',
      () => signed({ method: 'GET', query: { Action: 'ListTopics' } }, role.secretAccessKey, { presign: true }),
      SIGNED_AT + 301_000,
      ['expired', expect.stringContaining('Request has expired') as unknown as string],
    ],
    [
      'a role key without its session token',
      () => signed({}, role.secretAccessKey, { sessionToken: undefined }),
      SIGNED_AT,
      ['unknown-key', expect.stringContaining('The security token included in the request is invalid') as unknown as string],
    ],
    [
      'a role key of another install',
      () => {
        const other = new RoleCredentials(Buffer.alloc(32, 1)).forRole(role.roleArn);
        return signed({}, other.secretAccessKey, { accessKeyId: other.accessKeyId, sessionToken: other.sessionToken });
      },
      SIGNED_AT,
      ['unknown-key', 'The security token included in the request is invalid.'],
    ],
    [
      'no authentication at all',
      async () => ({ method: 'POST', target: '/', headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(FORM) }),
      SIGNED_AT,
      ['missing', expect.stringContaining('Request is missing Authentication Token') as unknown as string],
    ],
    [
      'an Authorization header without a signature',
      async () => ({ method: 'POST', target: '/', headers: { host: 'h', authorization: `AWS4-HMAC-SHA256 Credential=${role.accessKeyId}/20260101/us-east-1/sns/aws4_request, SignedHeaders=host` }, body: Buffer.alloc(0) }),
      SIGNED_AT,
      ['incomplete', expect.stringContaining("Authorization header requires 'Signature' parameter.") as unknown as string],
    ],
    [
      'an Authorization header of another scheme',
      async () => ({ method: 'POST', target: '/', headers: { host: 'h', authorization: 'Bearer abc' }, body: Buffer.alloc(0) }),
      SIGNED_AT,
      ['incomplete', expect.stringContaining('is not AWS Signature Version 4') as unknown as string],
    ],
  ])('%s', async (_name, request, nowMs, expected) => {
    expect(outcome(await request(), nowMs)).toEqual(expected);
  });
});

describe('outside keys', () => {
  it('the user\'s own key passes with any secret in an Authorization header, at any date', async () => {
    const request = await signed({}, 'whatever', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', sessionToken: undefined });
    expect(outcome(request)).toBe('ok');
    expect(outcome(request, SIGNED_AT + 3600_000)).toBe('ok');
  });

  it('but not in a presigned URL, which a web page could forge into a form\'s action', async () => {
    const request = await signed({ method: 'GET', query: { Action: 'Publish' } }, 'whatever', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', sessionToken: undefined, presign: true });
    expect(outcome(request)).toEqual(['unknown-key', expect.stringContaining('a presigned request must be signed by a role key of this install')]);
  });
});

describe('the signature parts', () => {
  it('are read from the header or the presigned query, and are absent from an unsigned request', async () => {
    expect(signedRequestParts(await signed())).toMatchObject({ accessKeyId: role.accessKeyId, presigned: false, region: 'us-east-1', service: 'sns', amzDate: '20260101T120000Z', sessionToken: role.sessionToken });
    const presigned = await signed({ method: 'GET' }, role.secretAccessKey, { presign: true });
    expect(signedRequestParts(presigned)).toMatchObject({ accessKeyId: role.accessKeyId, presigned: true, expiresSeconds: 300, signedHeaders: ['host'] });
    expect(signedRequestParts({ target: '/?Action=Publish', headers: {} })).toBeUndefined();
  });

  it('refuse both forms at once', async () => {
    const request = await signed();
    expect(() => signedRequestParts({ ...request, target: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256' })).toThrow("Found both 'X-Amz-Algorithm'");
  });

  it('a canonical URI normalizes dot segments and encodes each segment again', () => {
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('')).toBe('/');
    expect(canonicalUri('/a/./b/../c/?x=1')).toBe('/a/c/');
    expect(canonicalUri('/a%20b')).toBe('/a%2520b');
    expect(canonicalUri('http://127.0.0.1:4566/q')).toBe('/q');
  });
});

describe('the signing key cache', () => {
  it('derives a signing key once a key, day, region and service', async () => {
    const check = verifier();
    const requests = [
      ...(await Promise.all(Array.from({ length: 20 }, (_, i) => signed({ body: `${FORM}&n=${i}` })))),
      await signed({}, role.secretAccessKey, { service: 'sqs' }),
    ];
    for (const request of requests) {
      const parts = signedRequestParts(request);
      if (parts === undefined) throw new Error('not signed');
      check.verify(request, parts);
    }
    expect(check.cachedSigningKeys).toBe(2);
  });
});
