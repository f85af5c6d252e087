import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '../../../src/xray/log/logger.ts';
import { startOtlpReceiver } from '../../../src/xray/ingest/otlp-receiver.ts';
import type { OtlpReceiver } from '../../../src/xray/ingest/otlp-receiver.ts';
import { ExportTraceServiceRequest, ExportTraceServiceResponse, RpcStatus } from '../../../src/xray/otlp/schema.ts';
import { validateParsedDocument } from '../../../src/xray/segments/validate.ts';
import type { SegmentRecord } from '../../../src/xray/model/trace.ts';

const LIMIT = 128 * 1024;
const records: SegmentRecord[] = [];
const warnings: string[] = [];
const logger: Logger = { info: () => {}, warn: (line) => warnings.push(line), error: (line) => warnings.push(line) };
let receiver: OtlpReceiver;
let url: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver({ host: '127.0.0.1', port: 0, maxBodyBytes: LIMIT, validate: validateParsedDocument, sink: { commit: async (committed) => void records.push(...committed) }, logger });
  url = `http://127.0.0.1:${receiver.address.port}/v1/traces`;
});
afterAll(() => receiver.shutdown());

const TRACE = '6759e988bd862e3fe1be46a994272793';
function jsonSpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { traceId: TRACE, spanId: '1111111111111111', name: 'work', kind: 2, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000500000000', ...overrides };
}
function jsonBody(spans: Array<Record<string, unknown>>): string {
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] }, scopeSpans: [{ spans }] }] });
}
function post(body: string | Uint8Array, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

describe('OTLP/HTTP receiver', () => {
  test('JSON: 200 with an empty response, the documents in the sink', async () => {
    const before = records.length;
    const response = await post(jsonBody([jsonSpan(), jsonSpan({ spanId: '2222222222222222', parentSpanId: '1111111111111111', kind: 3 })]), { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({});
    expect(records.slice(before).map((r) => [r.traceId, r.id, r.type, r.name])).toEqual([
      ['1-6759e988-bd862e3fe1be46a994272793', '1111111111111111', 'segment', 'checkout'],
      ['1-6759e988-bd862e3fe1be46a994272793', '2222222222222222', 'subsegment', 'work'],
    ]);
  });

  test('JSON with a bad trace id: 200 with partialSuccess naming the span and the field; the good span is kept', async () => {
    const before = records.length;
    const response = await post(jsonBody([jsonSpan({ spanId: '3333333333333333' }), jsonSpan({ traceId: 'not-a-trace-id' })]), { 'content-type': 'application/json; charset=utf-8' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage: '1 span rejected: resourceSpans[0].scopeSpans[0].spans[1] ("work"): traceId "not-a-trace-id" is not 32 hex digits (16 bytes, not all zero)',
      },
    });
    expect(records.slice(before).map((r) => r.id)).toEqual(['3333333333333333']);
  });

  test('a document that fails validation is rejected with the validator\'s message', async () => {
    const response = await post(jsonBody([jsonSpan({ spanId: '4444444444444444', attributes: [{ key: 'big', value: { stringValue: 'x'.repeat(70_000) } }] })]), { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe('1');
    expect(body.partialSuccess.errorMessage).toMatch(
      /^1 span rejected: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]: the segment document made of it is invalid \(DocumentTooLarge\): document is \d+ bytes; the limit is 65536 bytes \(64 KB\)$/,
    );
  });

  test('protobuf, gzipped: 200 with a protobuf ExportTraceServiceResponse', async () => {
    const before = records.length;
    const message = ExportTraceServiceRequest.fromObject({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.from(TRACE, 'hex'), spanId: Buffer.from('5555555555555555', 'hex'), name: 'job', kind: 5, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000001000000000' }] }] }],
    });
    const response = await post(gzipSync(ExportTraceServiceRequest.encode(message).finish()), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(new Uint8Array(await response.arrayBuffer())));
    expect(decoded).toEqual({});
    expect(records.slice(before).map((r) => [r.id, r.type, r.name, r.startTime, r.endTime])).toEqual([['5555555555555555', 'segment', 'job', 1_700_000_000, 1_700_000_001]]);
  });

  test('protobuf with a rejected span: partialSuccess in protobuf', async () => {
    const message = ExportTraceServiceRequest.fromObject({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.from('abcd', 'hex'), spanId: Buffer.from('5555555555555555', 'hex'), name: 'short', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }],
    });
    const response = await post(ExportTraceServiceRequest.encode(message).finish(), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(200);
    const decoded = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(new Uint8Array(await response.arrayBuffer())), { longs: Number });
    expect(decoded).toEqual({
      partialSuccess: { rejectedSpans: 1, errorMessage: '1 span rejected: resourceSpans[0].scopeSpans[0].spans[0] ("short"): traceId "abcd" is not 32 hex digits (16 bytes, not all zero)' },
    });
  });

  test('bad protobuf: 400 with a protobuf Status saying why', async () => {
    const response = await post(Buffer.from([0x0a, 0xff, 0xff, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(400);
    const status = RpcStatus.toObject(RpcStatus.decode(new Uint8Array(await response.arrayBuffer()))) as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^body is not a protobuf ExportTraceServiceRequest: /);
  });

  test('bad JSON and bad gzip: 400 with a JSON Status', async () => {
    const json = await post('{"resourceSpans": [1]}', { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ code: 3, message: 'resourceSpans[0] must be an object, got number 1' });
    const gzip = await post('not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(gzip.status).toBe(400);
    expect(((await gzip.json()) as { message: string }).message).toMatch(/^body is not valid gzip: /);
    // Not read with replacement characters: the span would be stored altered.
    const latin1 = await post(Buffer.from(jsonBody([jsonSpan({ name: 'caf\u00e9' })]), 'latin1'), { 'content-type': 'application/json' });
    expect(latin1.status).toBe(400);
    expect(await latin1.json()).toEqual({ code: 3, message: 'body is not valid UTF-8' });
  });

  test('another content type or encoding: 415', async () => {
    const text = await post('hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({ code: 3, message: 'content-type "text/plain" is not supported; send application/x-protobuf or application/json' });
    const br = await post('{}', { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    expect(((await br.json()) as { message: string }).message).toBe('content-encoding "br" is not supported; send gzip or no encoding');
  });

  test('a body over the limit, as sent or once decompressed: 413', async () => {
    const big = await post(jsonBody([jsonSpan({ name: 'x'.repeat(LIMIT) })]), { 'content-type': 'application/json' });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ code: 8, message: `request body is larger than the limit of ${LIMIT} bytes` });
    const bomb = await post(gzipSync(Buffer.alloc(LIMIT * 4, 0x20)), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect(((await bomb.json()) as { message: string }).message).toBe(`request body is larger than the limit of ${LIMIT} bytes once decompressed`);
  });

  test('other paths and methods: 404 and 405 as Status messages; the receiver keeps serving', async () => {
    const metrics = await fetch(url.replace('/v1/traces', '/v1/metrics'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(metrics.status).toBe(404);
    expect(await metrics.json()).toEqual({ code: 12, message: 'no operation at POST /v1/metrics' });
    const get = await fetch(url);
    expect(get.status).toBe(405);
    const after = await post(jsonBody([jsonSpan({ spanId: '6666666666666666' })]), { 'content-type': 'application/json' });
    expect(after.status).toBe(200);
  });

  test('counts requests and spans, and logs rejects at a bounded rate', () => {
    const stats = receiver.stats();
    expect(stats.acceptedSpans).toBe(5);
    expect(stats.requests).toBe(6);
    expect(stats.rejectedSpans).toBe(3);
    expect(stats.refusedRequests).toBe(10);
    expect(stats.retryableSpans).toBe(0);
    expect(warnings.some((line) => line.startsWith('xray otlp: rejected 1 span (UntranslatableSpan 1); last: resourceSpans[0]'))).toBe(true);
  });
});

describe('OTLP/HTTP receiver behind a failing validator or sink', () => {
  test('a span that makes anything throw is that span\'s InternalError reject; the others are kept and the receiver keeps serving', async () => {
    const kept: SegmentRecord[] = [];
    const lines: string[] = [];
    const failing = await startOtlpReceiver({
      host: '127.0.0.1', port: 0, maxBodyBytes: LIMIT,
      validate: (document) => {
        if (JSON.stringify(document).includes('"explodes"')) throw JSON.parse(`${'['.repeat(50_000)}${']'.repeat(50_000)}`);
        return validateParsedDocument(document);
      },
      sink: { commit: async (records) => { kept.push(...records); } },
      logger: { info: () => {}, warn: (line) => lines.push(line), error: (line) => lines.push(line) },
    });
    try {
      const target = `http://127.0.0.1:${failing.address.port}/v1/traces`;
      const spans = [
        jsonSpan({ spanId: '5555555555555555', name: 'explodes', parentSpanId: '9999999999999999', kind: 1 }),
        jsonSpan({ spanId: '6666666666666666', name: 'fine', parentSpanId: '9999999999999999', kind: 1 }),
      ];
      const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonBody(spans) });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
      expect(body.partialSuccess.rejectedSpans).toBe('1');
      expect(body.partialSuccess.errorMessage).toContain('(InternalError): could not be handled: a thrown [[[[...]]]]');
      expect(kept.map((record) => record.id)).toEqual(['6666666666666666']);
      expect(failing.stats()).toMatchObject({ requests: 1, acceptedSpans: 1, rejectedSpans: 1 });
    } finally {
      await failing.shutdown();
    }
  });

  test('a request whose translation throws is a 500 in OTLP\'s own Status shape, logged; the receiver keeps serving', async () => {
    const lines: string[] = [];
    let broken = true;
    const failing = await startOtlpReceiver({
      host: '127.0.0.1', port: 0, maxBodyBytes: LIMIT, validate: validateParsedDocument, sink: { commit: async () => {} },
      // A defect in translation, as a thrown null.
      indexedAttributes: { has: () => { if (broken) throw null; return false; } } as unknown as ReadonlySet<string>,
      logger: { info: () => {}, warn: (line) => lines.push(line), error: (line) => lines.push(line) },
    });
    try {
      const target = `http://127.0.0.1:${failing.address.port}/v1/traces`;
      const body = jsonBody([jsonSpan({ attributes: [{ key: 'k', value: { stringValue: 'v' } }] })]);
      const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toMatchObject({ code: expect.any(Number), message: 'internal error; the service log has the details' });
      expect(lines.some((line) => line.startsWith('xray otlp: POST /v1/traces failed: a thrown null'))).toBe(true);
      broken = false;
      expect((await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(200);
    } finally {
      await failing.shutdown();
    }
  });
});
