/**
 * Span links end to end: the OpenTelemetry SDK's exporters send them to a started service, X-Ray
 * SDKs and the daemon send them in documents, and XRayClient reads them back with BatchGetTraces.
 */
import { createSocket } from 'node:dgram';
import { BatchGetTracesCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '../../../src/xray/log/logger.ts';
import { startXrayService } from '../../../src/xray/service.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { eventually } from '../../support/eventually.ts';
import { datagram, newTraceId, segment } from '../support/documents.ts';
import { untilStored } from '../support/until-stored.ts';

type Doc = Record<string, unknown> & { subsegments?: Doc[] };

const serviceLog: string[] = [];
const logger: Logger = { info: () => {}, warn: (line) => serviceLog.push(line), error: (line) => serviceLog.push(line) };
let service: XrayService;
let client: XRayClient;

beforeAll(async () => {
  service = await startXrayService({ store: new MemoryTraceStore(), daemonPort: 0, apiPort: 0, otlpPort: 0, logger });
  client = new XRayClient({ endpoint: service.api.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await service.stop();
});

const xrayId = (hex: string): string => `1-${hex.slice(0, 8)}-${hex.slice(8)}`;

/**
 * A producer's trace (a request that sent a message) and a consumer's trace that links to it: the
 * consumer span (a segment) links to the send with attributes and to the request without; its
 * handler span (a subsegment) links to the send again.
 */
function recordLinkedTraces(): { producer: ReadableSpan; send: ReadableSpan; consumer: ReadableSpan; handler: ReadableSpan } {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'jobs-worker' }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('links-test');
  const producer = tracer.startSpan('POST /jobs', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  const send = tracer.startSpan('jobs send', { kind: SpanKind.PRODUCER }, trace.setSpan(ROOT_CONTEXT, producer));
  send.end();
  producer.end();
  const consumer = tracer.startSpan('jobs process', {
    kind: SpanKind.CONSUMER,
    links: [
      { context: send.spanContext(), attributes: { 'messaging.message.id': 'm-1', attempt: 2, retried: true, tags: ['a', 'b'] } },
      { context: producer.spanContext() },
    ],
  }, ROOT_CONTEXT);
  const handler = tracer.startSpan('handle', { kind: SpanKind.INTERNAL, links: [{ context: send.spanContext() }] }, trace.setSpan(ROOT_CONTEXT, consumer));
  handler.end();
  consumer.end();
  const spans = memory.getFinishedSpans();
  const named = (name: string): ReadableSpan => spans.find((s) => s.name === name) as ReadableSpan;
  return { producer: named('POST /jobs'), send: named('jobs send'), consumer: named('jobs process'), handler: named('handle') };
}

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

async function fetchTrace(traceId: string): Promise<Array<{ id: string | undefined; document: string }>> {
  const result = await client.send(new BatchGetTracesCommand({ TraceIds: [traceId] }));
  return (result.Traces?.[0]?.Segments ?? []).map((s) => ({ id: s.Id, document: s.Document ?? '' }));
}

describe.each([
  ['protobuf', (url: string) => new ProtobufExporter({ url })],
  ['JSON', (url: string) => new HttpJsonExporter({ url })],
])('OTLP/HTTP %s from the OpenTelemetry SDK', (_, makeExporter) => {
  test('a segment\'s and a subsegment\'s links come back through BatchGetTraces as the exporter writes them', async () => {
    const { producer, send, consumer, handler } = recordLinkedTraces();
    const exporter = makeExporter(service.otlp?.tracesUrl ?? '');
    const result = await exportWith(exporter, [producer, send, handler, consumer]);
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    await untilStored(service);

    const producerTrace = xrayId(producer.spanContext().traceId);
    // The documents sent; X-Ray's inferred segments for the downstream calls follow them.
    const documents = (await fetchTrace(xrayId(consumer.spanContext().traceId))).map((s) => JSON.parse(s.document) as Doc).filter((d) => d['inferred'] !== true);
    expect(documents).toHaveLength(1);
    const received = documents[0] as Doc;
    expect(received).toMatchObject({ id: consumer.spanContext().spanId, name: 'jobs-worker' });
    expect(received['links']).toEqual([
      { trace_id: producerTrace, id: send.spanContext().spanId, attributes: { 'messaging.message.id': 'm-1', attempt: 2, retried: true, tags: ['a', 'b'] } },
      { trace_id: producerTrace, id: producer.spanContext().spanId },
    ]);
    expect(received.subsegments?.map((s) => [s['id'], s['links']])).toEqual([
      [handler.spanContext().spanId, [{ trace_id: producerTrace, id: send.spanContext().spanId }]],
    ]);
    // The producer's own trace is untouched by the links that name it.
    const produced = (await fetchTrace(producerTrace)).map((s) => JSON.parse(s.document) as Doc).filter((d) => d['inferred'] !== true);
    expect(produced.map((d) => d['links'])).toEqual([undefined]);
  });
});

describe('documents carrying links from X-Ray SDKs', () => {
  const now = Date.now() / 1000;
  const linked = { trace_id: newTraceId(now - 60), id: '00000000000000a1', attributes: { 'aws.xray.reserved.reference_type': 'child' } };

  test('PutTraceSegments stores a document with links and returns it byte for byte; a malformed link is refused naming the field', async () => {
    const traceId = newTraceId(now);
    const good = JSON.stringify(segment(traceId, now, { links: [linked] }));
    const bad = segment(traceId, now, { links: [{ ...linked, trace_id: 'abc' }] });
    const missing = segment(traceId, now, { links: [{ trace_id: linked.trace_id }] });
    const put = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [good, JSON.stringify(bad), JSON.stringify(missing)] }));
    expect(put.UnprocessedTraceSegments).toEqual([
      { Id: bad['id'], ErrorCode: 'InvalidField', Message: 'links[0].trace_id "abc" is not of the form 1-<8 hex>-<24 hex>' },
      { Id: missing['id'], ErrorCode: 'MissingField', Message: 'links[0].id is required' },
    ]);
    expect((await fetchTrace(traceId)).map((s) => s.document)).toEqual([good]);
  });

  test('the UDP daemon takes them too', async () => {
    const traceId = newTraceId(now);
    const document = segment(traceId, now, { links: [linked] });
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => socket.send(datagram(document), service.daemon.udp.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
    socket.close();
    let stored: Array<{ document: string }> = [];
    await eventually(async () => (stored = await fetchTrace(traceId)).length > 0, { what: `trace ${traceId} to be stored` });
    expect(stored.map((s) => JSON.parse(s.document) as Doc)[0]?.['links']).toEqual([linked]);
  });
});

test('the service logged no rejects', () => {
  expect(serviceLog).toEqual([]);
  expect(service.stats().otlp).toMatchObject({ requests: 2, rejectedSpans: 0, refusedRequests: 0 });
});
