import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { SignedOtlpExporter } from '../../../src/pattern/lambdas/shared/otel/signed-otlp-exporter.ts';
import { decodeProtobufRequest } from '../../../src/xray/otlp/decode-protobuf.ts';

function oneSpan(): ReadableSpan {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  provider.getTracer('t').startSpan('DynamoDB Query').end();
  const [span] = memory.getFinishedSpans();
  if (span === undefined) throw new Error('no span');
  return span;
}

function exportWith(answer: Response): Promise<{ result: ExportResult; request: { url: string; headers: Headers; body: Uint8Array } }> {
  let request: { url: string; headers: Headers; body: Uint8Array } | undefined;
  const exporter = new SignedOtlpExporter({
    url: 'https://xray.eu-west-1.amazonaws.com/v1/traces',
    region: 'eu-west-1',
    credentials: () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' }),
    fetch: (url, init) => {
      request = { url: String(url), headers: new Headers(init?.headers), body: new Uint8Array(init?.body as Buffer) };
      return Promise.resolve(answer);
    },
  });
  return new Promise((resolve, reject) =>
    exporter.export([oneSpan()], (result) => (request === undefined ? reject(new Error('nothing sent')) : resolve({ result, request }))),
  );
}

describe('SignedOtlpExporter', () => {
  it('POSTs the spans as OTLP protobuf to the endpoint, signed with SigV4 for xray in the region', async () => {
    const { result, request } = await exportWith(new Response(null, { status: 200 }));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(request.url).toBe('https://xray.eu-west-1.amazonaws.com/v1/traces');
    expect(request.headers.get('content-type')).toBe('application/x-protobuf');
    expect(request.headers.get('authorization')).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/xray\/aws4_request, SignedHeaders=\S*host\S*, Signature=[0-9a-f]{64}$/,
    );
    expect(request.headers.get('x-amz-security-token')).toBe('token');
    expect(request.headers.get('x-amz-content-sha256') ?? 'signed over the body').not.toBe('UNSIGNED-PAYLOAD');
    const decoded = decodeProtobufRequest(Buffer.from(request.body));
    expect(decoded.resourceSpans[0]?.scopeSpans[0]?.spans.map((span) => span.name)).toEqual(['DynamoDB Query']);
  });

  it('fails the export with the endpoint\'s answer when it refuses the spans', async () => {
    const { result } = await exportWith(new Response('Transaction Search is not enabled', { status: 403 }));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toBe(
      'OTLP export to https://xray.eu-west-1.amazonaws.com/v1/traces answered HTTP 403: Transaction Search is not enabled',
    );
  });
});
