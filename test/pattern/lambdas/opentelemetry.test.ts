import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as DynamoModule from '../../../src/pattern/lambdas/dynamo.ts';
import type * as HttpModule from '../../../src/pattern/lambdas/http.ts';
import type * as ObservabilityModule from '../../../src/pattern/lambdas/shared/observability.ts';
import type * as OtelModule from '../../../src/pattern/lambdas/shared/otel/otel-tracing.ts';
import { setEnv } from './support/env.ts';
import { lambdaContext, snsEvent } from './support/fixtures.ts';
import { captureStdout } from './support/stdout.ts';

// The trace Lambda hands the invocation: the function segment is the parent of the handler's spans.
const ROOT = '1-6a1b2c3d-0123456789abcdef01234567';
const FUNCTION_SEGMENT = '53995c3f42cd8ad8';
const HEADER = `Root=${ROOT};Parent=${FUNCTION_SEGMENT};Sampled=1`;

const exporter = new InMemorySpanExporter();
const sentHeaders: Record<string, string>[] = [];
// A real client whose HTTP layer answers locally: the middleware stack (and so the tracing) runs as deployed.
const dynamodb = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  requestHandler: {
    handle: (request: { headers: Record<string, string> }) => {
      sentHeaders.push({ ...request.headers });
      return Promise.resolve({ response: { statusCode: 200, headers: { 'x-amzn-requestid': 'REQ1' }, body: Readable.from([Buffer.from('{}')]) } });
    },
  },
});
let restoreEnv: () => void;
let dynamo: typeof DynamoModule;
let http: typeof HttpModule;
let observability: ObservabilityModule.Observability;

beforeAll(async () => {
  restoreEnv = setEnv({
    TABLE_NAME: 'Hits',
    POWERTOOLS_METRICS_NAMESPACE: 'XrayTracerTest',
    AWS_REGION: 'us-east-1',
    _HANDLER: 'index.handler',
    _X_AMZN_TRACE_ID: HEADER,
  });
  dynamo = await import('../../../src/pattern/lambdas/dynamo.ts');
  http = await import('../../../src/pattern/lambdas/http.ts');
  const { createObservability, traceClient }: typeof ObservabilityModule = await import('../../../src/pattern/lambdas/shared/observability.ts');
  const { otelTracingFromEnvironment }: typeof OtelModule = await import('../../../src/pattern/lambdas/shared/otel/otel-tracing.ts');
  observability = createObservability('dynamo-test', { otel: otelTracingFromEnvironment('dynamo-test', exporter) });
  traceClient(observability, dynamodb);
});
afterAll(() => restoreEnv());
beforeEach(() => {
  exporter.reset();
  sentHeaders.length = 0;
});

const byName = (spans: readonly ReadableSpan[], name: string): ReadableSpan => {
  const span = spans.find((candidate) => candidate.name === name);
  if (span === undefined) throw new Error(`no span ${name} among ${spans.map((s) => s.name).join(', ')}`);
  return span;
};
const hexTrace = ROOT.slice(2).replace('-', '');

describe('handlers instrumented with OpenTelemetry', () => {
  it('dynamo: the handler span joins the invocation trace, DynamoDB Query carries the annotation and metadata, UpdateItem is an aws-api client span', async () => {
    const handler = dynamo.createDynamoHandler({ observability, dynamodb, tableName: 'Hits' });
    const event = snsEvent('/prod/foo');
    const { outcome } = await captureStdout(() => handler(event, lambdaContext()));
    expect(outcome.status).toBe('fulfilled');

    // Flushed before the invocation ended: nothing waits for a timer.
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name).sort()).toEqual(['## index.handler', 'DynamoDB Query', 'DynamoDB.UpdateItem']);
    const root = byName(spans, '## index.handler');
    const query = byName(spans, 'DynamoDB Query');
    const call = byName(spans, 'DynamoDB.UpdateItem');
    for (const span of spans) expect(span.spanContext().traceId).toBe(hexTrace);
    expect(root.parentSpanContext?.spanId).toBe(FUNCTION_SEGMENT);
    expect(root.kind).toBe(SpanKind.INTERNAL);
    expect(root.attributes).toMatchObject({ Service: 'dynamo-test', 'aws.xray.annotations': ['ColdStart', 'Service'] });
    expect(typeof root.attributes.ColdStart).toBe('boolean');
    expect(query.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(query.attributes).toMatchObject({ path: '/prod/foo', 'aws.xray.annotations': ['path'] });
    expect(JSON.parse(String(query.attributes['aws.xray.metadata.default']))).toEqual({ event });
    expect(call.parentSpanContext?.spanId).toBe(query.spanContext().spanId);
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.attributes).toMatchObject({
      'rpc.system': 'aws-api',
      'rpc.service': 'DynamoDB',
      'rpc.method': 'UpdateItem',
      'aws.dynamodb.table_names': ['Hits'],
      'aws.request_id': 'REQ1',
    });
    // The call carries the trace on, parented to its own span, in X-Ray's header.
    expect(sentHeaders[0]?.['X-Amzn-Trace-Id']).toBe(`Root=${ROOT};Parent=${call.spanContext().spanId};Sampled=1`);
  });

  it('http: the simulated failure is recorded as an error on the handler span, and the spans are still sent', async () => {
    const handler = http.createHttpHandler({ observability, targetUrl: 'https://example.test/todo', random: () => 0.1, fetch: () => Promise.reject(new Error('no call expected')) });
    const { outcome } = await captureStdout(() => handler(snsEvent('/prod/x'), lambdaContext()));
    expect(outcome.status).toBe('rejected');
    const [root] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect(root?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'SSL Cert Exception' });
    expect(root?.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('http: the GET is a client span named after the host, under external HTTP Request with the response as metadata', async () => {
    const { tracedFetch } = await import('../../../src/pattern/lambdas/shared/observability.ts');
    const fetch = tracedFetch(observability, () => Promise.resolve(new Response('{"id":1}', { status: 200 })));
    const handler = http.createHttpHandler({ observability, targetUrl: 'https://example.test:8443/todo', random: () => 0.5, fetch });
    const { outcome } = await captureStdout(() => handler(snsEvent('/prod/x'), lambdaContext()));
    expect(outcome.status).toBe('fulfilled');
    const spans = exporter.getFinishedSpans();
    const request = byName(spans, 'external HTTP Request');
    const get = byName(spans, 'example.test');
    expect(JSON.parse(String(request.attributes['aws.xray.metadata.default']))).toEqual({ response: { id: 1 } });
    expect(get.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(get.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': 'https://example.test:8443/todo',
      'server.address': 'example.test',
      'server.port': 8443,
      'http.response.status_code': 200,
    });
  });

  it('a new trace (no _X_AMZN_TRACE_ID) gets an X-Ray trace id, whose first 8 hex digits are the epoch second', async () => {
    const restore = setEnv({ _X_AMZN_TRACE_ID: undefined });
    try {
      const handler = dynamo.createDynamoHandler({ observability, dynamodb, tableName: 'Hits' });
      const before = Math.floor(Date.now() / 1000);
      await captureStdout(() => handler(snsEvent('/prod/new'), lambdaContext()));
      const traceId = byName(exporter.getFinishedSpans(), '## index.handler').spanContext().traceId;
      const seconds = parseInt(traceId.slice(0, 8), 16);
      expect(seconds).toBeGreaterThanOrEqual(before);
      expect(seconds).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    } finally {
      restore();
    }
  });
});

describe('the instrumentation switch', () => {
  it('is xray when unset, opentelemetry when asked, and refuses anything else by name', async () => {
    const { instrumentationFromEnvironment } = await import('../../../src/pattern/lambdas/shared/observability.ts');
    const check = (value: string | undefined): string => {
      const restore = setEnv({ XRAY_TRACER_INSTRUMENTATION: value });
      try {
        return instrumentationFromEnvironment();
      } finally {
        restore();
      }
    };
    expect(check(undefined)).toBe('xray');
    expect(check('opentelemetry')).toBe('opentelemetry');
    expect(() => check('otel')).toThrow('XRAY_TRACER_INSTRUMENTATION must be "xray" or "opentelemetry", got "otel"');
  });
});
