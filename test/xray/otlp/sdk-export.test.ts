/**
 * The OpenTelemetry JS SDK's own OTLP exporters (protobuf and JSON) against a started X-Ray
 * service, read back through the AWS SDK's XRayClient: what an instrumented program would see.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatchGetTracesCommand, GetServiceGraphCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { IdGenerator, ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '../../../src/xray/log/logger.ts';
import { startXrayService } from '../../../src/xray/service.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { untilStored } from '../support/until-stored.ts';

type Doc = Record<string, unknown> & { subsegments?: Doc[] };

const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-otlp-'));
const serviceLog: string[] = [];
const logger: Logger = { info: () => {}, warn: (line) => serviceLog.push(line), error: (line) => serviceLog.push(line) };
let service: XrayService;
let client: XRayClient;

beforeAll(async () => {
  service = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, otlpPort: 0, otlpAnnotations: ['order.id'], logger });
  client = new XRayClient({ endpoint: service.api.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });
});

afterAll(async () => {
  client.destroy();
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * A small trace as an instrumented web service makes it: a server span for the request, a client
 * HTTP call to a backend that answered 503, and the exception the handler recorded.
 */
function recordTrace(serviceName: string, idGenerator: IdGenerator | undefined): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    ...(idGenerator && { idGenerator }),
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': '2.0.0' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('checkout-test');
  const server = tracer.startSpan('GET /checkout', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'GET', 'url.full': 'http://shop.local/checkout', 'http.response.status_code': 500, 'order.id': 'o-42', cart_items: 3 },
  });
  const client = tracer.startSpan(
    'GET',
    { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'url.full': 'https://payments.example/charge', 'server.address': 'payments.example', 'http.response.status_code': 503 } },
    trace.setSpan(ROOT_CONTEXT, server),
  );
  client.setStatus({ code: SpanStatusCode.ERROR });
  client.end();
  server.recordException(new TypeError('payment backend unavailable'));
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'payment backend unavailable' });
  server.end();
  return memory.getFinishedSpans();
}

/** Trace ids that start with the epoch second, as AWS's X-Ray id generator for OpenTelemetry makes them. */
const xrayStyleIds: IdGenerator = {
  generateTraceId: () => Math.floor(Date.now() / 1000).toString(16).padStart(8, '0') + randomBytes(12).toString('hex'),
  generateSpanId: () => randomBytes(8).toString('hex'),
};

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

function xrayTraceId(spans: ReadableSpan[]): string {
  const hex = spans[0]?.spanContext().traceId ?? '';
  return `1-${hex.slice(0, 8)}-${hex.slice(8)}`;
}

async function fetchTrace(traceId: string): Promise<Doc[]> {
  const result = await client.send(new BatchGetTracesCommand({ TraceIds: [traceId] }));
  return (result.Traces?.[0]?.Segments ?? []).map((segment) => JSON.parse(segment.Document ?? '{}') as Doc);
}

/*
 * The SDK's default trace ids are random, so their first 8 hex digits are no epoch second: such
 * traces are found by TimeRangeType Event (as the console asks) or Service. Ids made like X-Ray's
 * carry the time and are found by the default TimeRangeType, TraceId.
 */
describe.each([
  ['protobuf', 'checkout-proto', (url: string) => new ProtobufExporter({ url }), undefined, 'Event' as const],
  ['JSON', 'checkout-json', (url: string) => new HttpJsonExporter({ url }), xrayStyleIds, undefined],
])('the OpenTelemetry SDK exporting OTLP/HTTP %s', (_, serviceName, makeExporter, idGenerator, timeRangeType) => {
  test('stores the trace; BatchGetTraces gives a segment with the client call folded in as a remote subsegment', async () => {
    const spans = recordTrace(serviceName, idGenerator);
    const exporter = makeExporter(service.otlp?.tracesUrl ?? '');
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0);
    await untilStored(service);

    const serverSpan = spans.find((s) => s.kind === SpanKind.SERVER);
    const clientSpan = spans.find((s) => s.kind === SpanKind.CLIENT);
    const all = await fetchTrace(xrayTraceId(spans));
    // The segment sent, then the inferred segment X-Ray adds for the remote call.
    expect(all.slice(1).map((d) => [d['inferred'], d['parent_id']])).toEqual([[true, clientSpan?.spanContext().spanId]]);
    const documents = all.slice(0, 1);
    expect(documents).toHaveLength(1);
    const segment = documents[0] as Doc;
    expect(segment).toMatchObject({
      id: serverSpan?.spanContext().spanId,
      trace_id: xrayTraceId(spans),
      name: serviceName,
      fault: true,
      http: { request: { method: 'GET', url: 'http://shop.local/checkout' }, response: { status: 500 } },
      annotations: { order_id: 'o-42' },
      service: { version: '2.0.0' },
      cause: { exceptions: [{ type: 'TypeError', message: 'payment backend unavailable' }] },
    });
    expect((segment['metadata'] as { default: Record<string, unknown> }).default).toMatchObject({ cart_items: 3, 'otel.resource.service.name': serviceName });
    const stack = ((segment['cause'] as { exceptions: Array<{ stack: Array<{ path: string }> }> }).exceptions[0]?.stack ?? []);
    expect(stack.length).toBeGreaterThan(0);
    expect(stack[0]?.path).toContain('sdk-export.test.ts');
    expect(segment.start_time).toBeCloseTo(Number(serverSpan?.startTime[0]) + Number(serverSpan?.startTime[1]) / 1e9, 5);

    expect(segment.subsegments).toHaveLength(1);
    expect(segment.subsegments?.[0]).toMatchObject({
      id: clientSpan?.spanContext().spanId,
      type: 'subsegment',
      parent_id: serverSpan?.spanContext().spanId,
      namespace: 'remote',
      name: 'payments.example',
      fault: true,
      http: { request: { method: 'GET', url: 'https://payments.example/charge' }, response: { status: 503 } },
    });
  });

  test('GetTraceSummaries finds it with a filter on the service and its fault', async () => {
    const now = Date.now() / 1000;
    const summaries = await client.send(new GetTraceSummariesCommand({
      StartTime: new Date((now - 600) * 1000),
      EndTime: new Date((now + 60) * 1000),
      FilterExpression: `service("${serviceName}") { fault } AND annotation.order_id = "o-42"`,
      ...(timeRangeType && { TimeRangeType: timeRangeType }),
    }));
    const found = summaries.TraceSummaries ?? [];
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ HasFault: true, Http: { HttpMethod: 'GET', HttpStatus: 500, HttpURL: 'http://shop.local/checkout' } });
  });
});

test('the service map shows each service, the client in front of it and the remote host it called, with the faults', async () => {
  const now = Date.now() / 1000;
  const graph = await client.send(new GetServiceGraphCommand({ StartTime: new Date((now - 600) * 1000), EndTime: new Date((now + 60) * 1000) }));
  const services = graph.Services ?? [];
  // A segment without an origin is a node without a type.
  const node = (name: string, type: string | undefined) => services.find((s) => s.Name === name && s.Type === type);
  for (const name of ['checkout-proto', 'checkout-json']) {
    expect(node(name, 'client')).toBeDefined();
    const own = node(name, undefined);
    expect(own?.SummaryStatistics).toMatchObject({ TotalCount: 1, FaultStatistics: { TotalCount: 1 } });
    const remote = node('payments.example', 'remote');
    expect(own?.Edges?.map((edge) => edge.ReferenceId)).toEqual([remote?.ReferenceId]);
    expect(own?.Edges?.[0]?.SummaryStatistics).toMatchObject({ TotalCount: 1, FaultStatistics: { TotalCount: 1 } });
  }
  expect(node('payments.example', 'remote')?.SummaryStatistics).toMatchObject({ TotalCount: 2, FaultStatistics: { TotalCount: 2 } });
});

test('the service logged no rejects', () => {
  expect(serviceLog).toEqual([]);
  expect(service.stats().otlp).toMatchObject({ requests: 2, acceptedSpans: 4, rejectedSpans: 0, refusedRequests: 0 });
});
