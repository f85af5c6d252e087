/** Starts the AWS endpoint on a free port with the services a test needs; clients of the real SDK point at it. */
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../support/sha256.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import type { AwsProtocolService, Clock, IdSource, Logger } from '../../../src/cloud/endpoint/index.ts';
import type { Authorizer } from '../../../src/cloud/core/types.ts';

export class FakeClock implements Clock {
  constructor(public millis = Date.UTC(2026, 0, 1)) {}
  nowMs(): number {
    return this.millis;
  }
  advance(seconds: number): void {
    this.millis += seconds * 1000;
  }
}

/** Predictable ids: uuid-shaped counters and counting hex. */
export function countingIds(): IdSource {
  let next = 0;
  return {
    uuid: () => {
      next += 1;
      return `00000000-0000-4000-8000-${next.toString(16).padStart(12, '0')}`;
    },
    hex: (bytes) => {
      next += 1;
      return next.toString(16).padStart(bytes * 2, '0');
    },
  };
}

export interface CapturedLogger extends Logger {
  readonly lines: string[];
}

export function capturingLogger(): CapturedLogger {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

export async function startEndpoint(services: AwsProtocolService[], authorizer?: Authorizer): Promise<AwsEndpoint> {
  const endpoint = new AwsEndpoint({ services, port: 0, ...(authorizer ? { authorizer } : {}) });
  await endpoint.start();
  return endpoint;
}

export function clientConfig(endpoint: AwsEndpoint, accessKeyId = 'AKIDTEST') {
  return {
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'any' },
    maxAttempts: 1,
  };
}

/** Makes every call of the client carry this X-Amzn-Trace-Id, as the X-Ray SDK's instrumented clients do. */
export function withTraceHeader<C extends SQSClient | SNSClient | DynamoDBClient>(client: C, header: string): C {
  (client.middlewareStack as unknown as SQSClient['middlewareStack']).add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string> };
      request.headers['X-Amzn-Trace-Id'] = header;
      return next(args);
    },
    { step: 'build', name: 'testTraceHeader' },
  );
  return client;
}

/**
 * An outside key's (the user's own CLI or SDK) Authorization header: taken with any signature. Its
 * scope names SNS, whose the raw form posts are (a form signed for `sqs` is SQS's Query protocol).
 */
export const OUTSIDE_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0';

/** A raw POST to the endpoint, for requests the SDK would never send. */
export async function post(endpoint: AwsEndpoint, headers: Record<string, string>, body: string | Uint8Array): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: { authorization: OUTSIDE_AUTHORIZATION, ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * The headers of a POST of `body` to `url` signed by @smithy/signature-v4 (as every SDK v3 client
 * signs), for fetch: Host is signed and left to fetch, which sends the same.
 */
export async function sigV4Headers(
  url: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string },
  headers: Record<string, string>,
  body: string,
  options: { service?: string; signingDate?: Date } = {},
): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({ service: options.service ?? 'sqs', region: 'us-east-1', sha256: Sha256, credentials, applyChecksum: false });
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: target.hostname, port: Number(target.port), path: target.pathname, query: {}, headers: { ...headers, host: target.host }, body },
    { signingDate: options.signingDate ?? new Date() },
  );
  const { host: _host, ...rest } = signed.headers;
  return rest;
}
