/**
 * The OTLP/HTTP receiver under seeded malformed requests: bad protobuf (random, truncated, flipped),
 * bad JSON, bad gzip, wrong content types and encodings, wrong paths and methods. Every refusal is
 * a 4xx google.rpc.Status in the request's encoding whose message names the problem, never a 5xx or
 * a hang; refusals and exports are counted; spans accepted before the run are still stored.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '../../../src/xray/log/logger.ts';
import { ExportTraceServiceResponse, RpcStatus } from '../../../src/xray/otlp/schema.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { expectReadsAnswer200 } from '../support/reads-answer.ts';
import { untilStored } from '../support/until-stored.ts';
import { nestedAttributeRequest } from './spans.ts';
import { badJsonBody, extremeValue, Fuzz, jsonText, send, sendRawText, type BadBody, type FuzzValue, type RawResponse } from '../../support/fuzz.ts';
import { otlpJsonRequest, otlpJsonSpan, otlpProtobufRequest } from '../../support/otlp-requests.ts';

const NOW = 1_750_000_000;
const BODY_LIMIT = 256 * 1024;
const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';
const CASES = { json: 120, random: 40, truncated: 40, flipped: 40, gzip: 20 };

const logged: string[] = [];
const logger: Logger = { info: () => {}, warn: () => {}, error: (message) => logged.push(message) };
let service: XrayService;
let spanNumber = 0;
/** Answers seen by status class, to hold the receiver's counters to. */
const answered = { ok: 0, refused: 0 };

/** A span for a fresh trace, in OTLP JSON. */
function jsonSpan(): { traceId: string; span: Record<string, FuzzValue> } {
  spanNumber++;
  return otlpJsonSpan(NOW, spanNumber);
}

const jsonRequest = otlpJsonRequest;
const protobufRequest = otlpProtobufRequest;

async function post(body: Buffer | string, headers: Record<string, string>, path = '/v1/traces', method = 'POST'): Promise<RawResponse> {
  const response = await send(service.otlp?.url ?? '', { method, path, headers, body });
  if (response.status >= 200 && response.status < 300) answered.ok++;
  else answered.refused++;
  return response;
}

/** The answer's Status message, after checking the OTLP error shape in the encoding asked for. */
function expectStatus(response: RawResponse, encoding: 'json' | 'protobuf', label: string): string {
  const text = response.body.toString('utf8');
  expect(response.status, `${label}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(response.headers['content-type'], label).toBe(encoding === 'json' ? JSON_TYPE : PROTOBUF);
  const status = encoding === 'json'
    ? (JSON.parse(text) as { code?: unknown; message?: unknown })
    : (RpcStatus.toObject(RpcStatus.decode(response.body)) as { code?: unknown; message?: unknown });
  expect(typeof status.code === 'number' && status.code > 0, `${label}: a google.rpc.Code`).toBe(true);
  expect(typeof status.message === 'string' && status.message.length > 0, `${label}: a message`).toBe(true);
  expect((status.message as string).length, `${label}: ${String(status.message).slice(0, 300)}`).toBeLessThan(600);
  return status.message as string;
}

/** A 200: an ExportTraceServiceResponse whose partialSuccess, if any, counts and names the rejected spans. */
function expectExported(response: RawResponse, encoding: 'json' | 'protobuf', label: string): void {
  const answer = (encoding === 'json'
    ? JSON.parse(response.body.toString('utf8'))
    : ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(response.body), { longs: String })) as
    { partialSuccess?: { rejectedSpans?: string; errorMessage?: string } };
  if (answer.partialSuccess === undefined) return;
  expect(Number(answer.partialSuccess.rejectedSpans), label).toBeGreaterThan(0);
  expect(answer.partialSuccess.errorMessage, label).toMatch(/^\d+ spans? rejected: resourceSpans\[\d+\]\.scopeSpans\[\d+\]\.spans\[\d+\]/);
}

function expectNamesProblem(bad: BadBody, message: string, label: string): void {
  // A deep or long value can take a body past the limit: refused for that, whatever else is wrong.
  if (/^request body is larger than the limit of \d+ bytes$/.test(message)) return;
  if (bad.kind === 'not-json') expect(message, label).toMatch(/not valid JSON/);
  else if (bad.kind === 'not-object') expect(message, label).toMatch(/^body must be an object/);
  else if (bad.kind === 'invalid-utf8') expect(message, label).toMatch(/not valid UTF-8/);
  else if (bad.kind === 'content-type') expect(message, label).toMatch(/^content-type .* is not supported/);
  else if (bad.path !== undefined) {
    const names = bad.path.filter((key): key is string => typeof key === 'string');
    expect(names.some((name) => message.includes(name)), `${label}: the message names one of ${names.join(', ')}: ${message}`).toBe(true);
  }
}

const accepted: string[] = [];

beforeAll(async () => {
  service = await startXrayService({
    store: new MemoryTraceStore({ nowSeconds: () => NOW }), daemonPort: 0, apiPort: 0, otlpPort: 0, otlpMaxBodyBytes: BODY_LIMIT,
    logger, nowMs: () => NOW * 1000, consoleDir: false,
  });
  const { traceId, span } = jsonSpan();
  const response = await post(jsonText(jsonRequest([span])), { 'content-type': JSON_TYPE });
  expect(JSON.parse(response.body.toString('utf8'))).toEqual({});
  accepted.push(traceId);
  const second = jsonSpan();
  expect((await post(protobufRequest([second.span]), { 'content-type': PROTOBUF })).status).toBe(200);
  accepted.push(second.traceId);
});

afterAll(() => service?.stop());

describe('OTLP/HTTP receiver under malformed requests', () => {
  test('malformed OTLP JSON: a 400 Status naming the member or the problem, never a 5xx', async () => {
    const fuzz = new Fuzz(31);
    for (let i = 0; i < CASES.json; i++) {
      const bad = badJsonBody(fuzz, jsonRequest([jsonSpan().span]));
      const label = `seed 31 case ${i}: ${bad.label}`;
      const response = await post(bad.body, bad.contentType === '' ? {} : { 'content-type': bad.contentType });
      expect(response.status, `${label}: ${response.body.toString('utf8').slice(0, 300)}`).toBeLessThan(500);
      if (response.status >= 400) expectNamesProblem(bad, expectStatus(response, 'json', label), label);
      else {
        expect(['not-json', 'not-object', 'invalid-utf8'], label).not.toContain(bad.kind);
        expectExported(response, 'json', label);
      }
    }
  });

  test('random, truncated and flipped protobuf: a 400 Status or an export, never a 5xx', async () => {
    const fuzz = new Fuzz(32);
    const valid = (): Buffer => protobufRequest([jsonSpan().span, jsonSpan().span]);
    const cases: Array<[string, () => Buffer]> = [
      ...Array.from({ length: CASES.random }, (): [string, () => Buffer] => ['random', () => fuzz.bytes(1 + fuzz.int(300))]),
      ...Array.from({ length: CASES.truncated }, (): [string, () => Buffer] => ['truncated', () => {
        const bytes = valid();
        return bytes.subarray(0, 1 + fuzz.int(bytes.length - 1));
      }]),
      ...Array.from({ length: CASES.flipped }, (): [string, () => Buffer] => ['flipped', () => {
        const bytes = Buffer.from(valid());
        for (let flips = 1 + fuzz.int(3); flips > 0; flips--) bytes[fuzz.int(bytes.length)] = fuzz.int(256);
        return bytes;
      }]),
    ];
    for (const [index, [kind, make]] of cases.entries()) {
      const body = make();
      const label = `seed 32 case ${index}: ${kind} ${body.subarray(0, 24).toString('hex')}`;
      const response = await post(body, { 'content-type': PROTOBUF });
      expect(response.status, `${label}: ${response.body.toString('utf8').slice(0, 300)}`).toBeLessThan(500);
      if (response.status >= 400) expect(expectStatus(response, 'protobuf', label), label).toMatch(/^body is not a protobuf ExportTraceServiceRequest: |nests/);
      else expectExported(response, 'protobuf', label);
    }
  });

  test('extreme numbers and deep nesting in span fields: an export or a 400, never a 5xx; reads over the range still answer', async () => {
    const fuzz = new Fuzz(33);
    const nanos = ['0', '1', '18446744073709551615', '9223372036854775807', '-1', '1e300', String(10n ** 30n), '170000000000000000000000'];
    const fields: Array<(span: Record<string, FuzzValue>) => Record<string, FuzzValue>> = [
      (span) => ({ ...span, startTimeUnixNano: fuzz.pick(nanos) }),
      (span) => ({ ...span, endTimeUnixNano: fuzz.pick(nanos) }),
      (span) => ({ ...span, startTimeUnixNano: fuzz.pick(nanos), endTimeUnixNano: fuzz.pick(nanos) }),
      (span) => ({ ...span, attributes: [{ key: 'http.response.status_code', value: { intValue: fuzz.pick(nanos) } }] }),
      (span) => ({ ...span, attributes: [{ key: 'ratio', value: { doubleValue: extremeValue(fuzz) } }] }),
      (span) => ({ ...span, attributes: [{ key: 'http.response.body.size', value: { intValue: fuzz.pick(nanos) } }] }),
      (span) => ({ ...span, kind: extremeValue(fuzz) }),
      (span) => ({ ...span, status: { code: extremeValue(fuzz), message: 'x' } }),
      (span) => ({ ...span, events: [{ timeUnixNano: fuzz.pick(nanos), name: 'exception' }] }),
      (span) => ({ ...span, droppedAttributesCount: extremeValue(fuzz) }),
      (span) => ({ ...span, name: extremeValue(fuzz) }),
    ];
    for (let i = 0; i < 60; i++) {
      const body = jsonText(jsonRequest([fuzz.pick(fields)(jsonSpan().span)]));
      const label = `seed 33 case ${i}: ${body.slice(body.indexOf('"spans"'), body.indexOf('"spans"') + 160)}`;
      const response = await post(body, { 'content-type': JSON_TYPE });
      expect(response.status, `${label}: ${response.body.toString('utf8').slice(0, 300)}`).toBeLessThan(500);
      if (response.status >= 400) expectStatus(response, 'json', label);
      else expectExported(response, 'json', label);
    }
    await untilStored(service);
    await expectReadsAnswer200(service.api.url, NOW);
    expect(logged).toEqual([]);
  });

  test('attribute values nested past the limit, in either encoding, are a 400 naming the nesting', async () => {
    const body = nestedAttributeRequest(20_000);
    const proto = await post(body, { 'content-type': PROTOBUF });
    expect(expectStatus(proto, 'protobuf', 'protobuf 20,000 levels'), 'protobuf').toMatch(/nests messages deeper than the decoder allows; only attribute values nest/);

    const deep = `{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":${'{"arrayValue":{"values":['.repeat(5000)}${']}}'.repeat(5000)}}]}}]}`;
    const json = await post(deep, { 'content-type': JSON_TYPE });
    expect(expectStatus(json, 'json', 'JSON 5,000 levels'), 'json').toBe('resourceSpans[0].resource.attributes[0].value nests arrays or key-value lists more than 32 levels deep');
  });

  test('bad gzip, unsupported encodings and bodies over the limit: 4xx Status in the request\'s encoding', async () => {
    const fuzz = new Fuzz(33);
    for (let i = 0; i < CASES.gzip; i++) {
      const encoding = fuzz.pick(['json', 'protobuf'] as const);
      const valid = encoding === 'json' ? Buffer.from(jsonText(jsonRequest([jsonSpan().span]))) : protobufRequest([jsonSpan().span]);
      const zipped = gzipSync(valid);
      const body = fuzz.pick([
        () => fuzz.bytes(1 + fuzz.int(200)),
        () => zipped.subarray(0, 1 + fuzz.int(zipped.length - 2)),
        () => Buffer.concat([zipped.subarray(0, 10), fuzz.bytes(40)]),
      ])();
      const label = `seed 33 case ${i}: ${encoding} gzip ${body.subarray(0, 16).toString('hex')}`;
      const response = await post(body, { 'content-type': encoding === 'json' ? JSON_TYPE : PROTOBUF, 'content-encoding': 'gzip' });
      expect(expectStatus(response, encoding, label), label).toMatch(/^body is not valid gzip: /);
    }
    for (const encoding of ['br', 'deflate', 'gzip, br', 'x-unknown']) {
      const response = await post(protobufRequest([jsonSpan().span]), { 'content-type': PROTOBUF, 'content-encoding': encoding });
      expect(response.status, encoding).toBe(415);
      expect(expectStatus(response, 'protobuf', encoding), encoding).toContain(`content-encoding ${JSON.stringify(encoding)} is not supported`);
    }
    // Small as sent, over the limit once decompressed.
    const bomb = await post(gzipSync(Buffer.alloc(BODY_LIMIT * 4, 0x20)), { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect(expectStatus(bomb, 'json', 'gzip bomb')).toContain('once decompressed');
    for (const chunked of [false, true]) {
      const response = await send(service.otlp?.url ?? '', { path: '/v1/traces', headers: { 'content-type': PROTOBUF }, body: Buffer.alloc(BODY_LIMIT + 1), chunked });
      answered.refused++;
      expect(response.status, `oversized, chunked ${chunked}`).toBe(413);
      expect(expectStatus(response, 'protobuf', 'oversized')).toMatch(/larger than the limit of \d+ bytes/);
    }
  });

  test('other content types are a 415; other paths and methods a 404 or 405; bad targets a 400, all as Status', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/protobuf', 'application/grpc', '', 'application/x-www-form-urlencoded']) {
      const response = await post(jsonText(jsonRequest([jsonSpan().span])), type === '' ? {} : { 'content-type': type });
      expect(response.status, type).toBe(415);
      expect(expectStatus(response, 'json', type)).toContain(`content-type ${JSON.stringify(type)} is not supported`);
    }
    for (const path of ['/', '/v1/logs', '/v1/metrics', '/v1/traces/', '/V1/TRACES', `/${'x'.repeat(3000)}`]) {
      const response = await post('{}', { 'content-type': JSON_TYPE }, path);
      expect(response.status, path.slice(0, 40)).toBe(404);
      expectStatus(response, 'json', path.slice(0, 40));
    }
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const response = await post(method === 'GET' ? '' : '{}', { 'content-type': PROTOBUF }, '/v1/traces', method);
      expect(response.status, method).toBe(405);
      expect(expectStatus(response, 'protobuf', method)).toContain(`${method} is not allowed on /v1/traces`);
    }
    const raw = await sendRawText('127.0.0.1', service.otlp?.address.port ?? 0, 'POST http://[bad/v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    answered.refused++;
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(raw).toContain('is not a valid request target');
    expect(raw).not.toContain('x-amzn-errortype');
  });

  test('afterwards: every request was counted, good exports still go through, earlier spans are still stored', async () => {
    const { traceId, span } = jsonSpan();
    const response = await post(jsonText(jsonRequest([span])), { 'content-type': JSON_TYPE });
    expect(JSON.parse(response.body.toString('utf8'))).toEqual({});
    accepted.push(traceId);
    await untilStored(service);
    const stats = service.stats().otlp;
    expect({ requests: stats?.requests, refusedRequests: stats?.refusedRequests }).toEqual({ requests: answered.ok, refusedRequests: answered.refused });
    const ids = accepted.map((id) => `1-${id.slice(0, 8)}-${id.slice(8)}`);
    const traces = await fetch(`${service.api.url}/Traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ TraceIds: ids }) });
    const body = (await traces.json()) as { Traces: Array<{ Id: string }>; UnprocessedTraceIds: string[] };
    expect(body.UnprocessedTraceIds).toEqual([]);
    expect(body.Traces.map((trace) => trace.Id).sort()).toEqual([...ids].sort());
    expect(logged).toEqual([]);
  });
});
