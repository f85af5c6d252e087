import { afterEach, describe, expect, test } from 'vitest';
import { BatchWriter } from '../../../src/xray/ingest/batch-writer.ts';
import type { Logger } from '../../../src/xray/log/logger.ts';
import { startOtlpReceiver } from '../../../src/xray/ingest/otlp-receiver.ts';
import type { OtlpReceiver } from '../../../src/xray/ingest/otlp-receiver.ts';
import { ExportTraceServiceRequest, RpcStatus } from '../../../src/xray/otlp/schema.ts';
import { validateParsedDocument } from '../../../src/xray/segments/validate.ts';
import { HeldWriter } from '../support/held-writer.ts';

const errors: string[] = [];
const logger: Logger = { info: () => {}, warn: () => {}, error: (line) => errors.push(line) };
const TRACE = '6759e988bd862e3fe1be46a994272793';
let receiver: OtlpReceiver | undefined;

afterEach(async () => {
  await receiver?.shutdown();
  receiver = undefined;
});

/** A receiver in front of a store whose commits the test holds: room for `maxPendingRecords` spans. */
async function start(writer: HeldWriter, maxPendingRecords: number): Promise<string> {
  const batches = new BatchWriter({ writer, logger, maxWritesInFlight: 1, maxPendingRecords });
  receiver = await startOtlpReceiver({ host: '127.0.0.1', port: 0, maxBodyBytes: 1 << 20, validate: validateParsedDocument, sink: batches, logger });
  return `http://127.0.0.1:${receiver.address.port}/v1/traces`;
}

function span(spanId: string, traceId = TRACE): Record<string, unknown> {
  return { traceId, spanId, name: 'work', kind: 2, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000500000000' };
}

function jsonBody(spans: Array<Record<string, unknown>>): string {
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] }, scopeSpans: [{ spans }] }] });
}

function protobufBody(spanId: string): Uint8Array {
  const message = ExportTraceServiceRequest.fromObject({
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.from(TRACE, 'hex'), spanId: Buffer.from(spanId, 'hex'), name: 'job', kind: 2, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000001000000000' }] }] }],
  });
  return ExportTraceServiceRequest.encode(message).finish();
}

function postJson(url: string, spans: Array<Record<string, unknown>>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonBody(spans) });
}

describe('OTLP/HTTP answers after the commit, and a retryable status when the store cannot take the spans', () => {
  test('a stalled store: the first export waits for its commit, the next ones get 429 with Retry-After in their encoding', async () => {
    const writer = new HeldWriter();
    const url = await start(writer, 2);
    let firstAnswered = false;
    const first = postJson(url, [span('1111111111111111'), span('2222222222222222')]).then((response) => {
      firstAnswered = true;
      return response;
    });
    const write = await writer.nextWrite();
    expect(write.ids).toEqual(['1111111111111111', '2222222222222222']);

    const json = await postJson(url, [span('3333333333333333')]);
    expect(json.status).toBe(429);
    expect(json.headers.get('retry-after')).toBe('1');
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(await json.json()).toEqual({ code: 8, message: 'the store is behind (2 documents waiting to be written); nothing of this request was stored, send it again later' });

    const protobuf = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(protobufBody('4444444444444444')) });
    expect(protobuf.status).toBe(429);
    expect(protobuf.headers.get('retry-after')).toBe('1');
    expect(protobuf.headers.get('content-type')).toBe('application/x-protobuf');
    expect(RpcStatus.toObject(RpcStatus.decode(new Uint8Array(await protobuf.arrayBuffer())))).toMatchObject({ code: 8 });

    // Both refusals were answered while the first export's write was still held: it has no answer yet.
    expect(firstAnswered).toBe(false);
    write.commit();
    const answer = await first;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({});
    expect(writer.committed).toEqual(['1111111111111111', '2222222222222222']);
    expect(receiver?.stats()).toEqual({ requests: 1, refusedRequests: 2, acceptedSpans: 2, rejectedSpans: 0, retryableSpans: 2 });
  });

  test('spans we will never take are a partialSuccess only when the rest is stored; under backpressure the whole request is a 429', async () => {
    const writer = new HeldWriter();
    const url = await start(writer, 1);
    const first = postJson(url, [span('1111111111111111')]);
    const write = await writer.nextWrite();
    const mixed = [span('5555555555555555'), span('6666666666666666', 'not-a-trace-id')];
    const busy = await postJson(url, mixed);
    expect(busy.status).toBe(429);
    write.commit();
    expect((await first).status).toBe(200);

    const retried = postJson(url, mixed);
    (await writer.nextWrite()).commit();
    const answer = await retried;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ partialSuccess: { rejectedSpans: '1' } });
    expect(writer.committed).toEqual(['1111111111111111', '5555555555555555']);
  });

  test('a failed write is a 503 with Retry-After, never a 200', async () => {
    const writer = new HeldWriter();
    const url = await start(writer, 100);
    const pending = postJson(url, [span('7777777777777777')]);
    (await writer.nextWrite()).fail(new Error('database or disk is full'));
    const response = await pending;
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({ code: 14, message: 'the spans could not be stored: database or disk is full; send them again later' });
    expect(receiver?.stats()).toMatchObject({ requests: 0, acceptedSpans: 0, retryableSpans: 1 });
  });
});
