/**
 * The daemon under seeded malformed input. UDP: random datagrams (not JSON, bad headers, huge,
 * empty, invalid documents) among good ones; each bad one is counted as rejected under a known
 * reason and every good one is stored. TCP: the sampling endpoints get malformed HTTP bodies and
 * answer an AWS-shaped 4xx, never a 5xx or a hang, and keep answering good requests.
 */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '../../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { badDatagram as sharedBadDatagram, UDP_MAX, type BadDatagram } from '../../support/datagrams.ts';
import { eventually } from '../../support/eventually.ts';
import { badJsonBody, extremeValue, Fuzz, jsonText, pathsOf, preview, Raw, send, showPath, withMember, type FuzzValue, type RawResponse } from '../../support/fuzz.ts';
import { datagram, newId, newTraceId, segment, subsegment } from '../support/documents.ts';
import { expectReadsAnswer200 } from '../support/reads-answer.ts';
import { untilStored } from '../support/until-stored.ts';

const NOW = 1_750_000_000;
const MAX_DATAGRAM = 8 * 1024;
const DATAGRAMS = 300;
const TCP_CASES = 60;
const CLIENT_ID = '0123456789abcdef01234567';
/** Why a datagram can be refused: the wire format's reasons and the validator's codes. */
const REASONS = [
  'DatagramTooLarge', 'MissingHeader', 'InvalidHeader', 'UnsupportedFormat', 'EmptyDocument', 'InvalidEncoding',
  'InvalidJson', 'DocumentTooLarge', 'MissingField', 'InvalidField',
];

const logged: string[] = [];
const logger: Logger = { info: () => {}, warn: () => {}, error: (message) => logged.push(message) };
let service: XrayService;

beforeAll(async () => {
  service = await startXrayService({
    store: new MemoryTraceStore({ nowSeconds: () => NOW }), daemonPort: 0, apiPort: 0, logger, nowMs: () => NOW * 1000,
    maxDatagramBytes: MAX_DATAGRAM, consoleDir: false,
  });
});

afterAll(() => service?.stop());

/** A malformed datagram; `mayBeValid` when the change can leave a valid document (a name of "NaN"). */
function badDatagram(fuzz: Fuzz): BadDatagram {
  return sharedBadDatagram(fuzz, () => segment(newTraceId(NOW), NOW), MAX_DATAGRAM);
}

function sendDatagram(socket: ReturnType<typeof createSocket>, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.send(bytes, service.daemon.udp.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
}

function untilReceived(count: number): Promise<void> {
  return eventually(() => service.stats().udp.received >= count, { what: () => `${count} datagrams; the daemon received ${service.stats().udp.received}` });
}

describe('the daemon under malformed input', () => {
  test('UDP: every bad datagram is counted as rejected under a known reason; every good one is stored', async () => {
    const fuzz = new Fuzz(41);
    const socket = createSocket('udp4');
    const good: Array<{ traceId: string; id: string }> = [];
    try {
      for (let i = 0; i < DATAGRAMS; i++) {
        const before = service.stats().udp;
        let label: string;
        let stored: { traceId: string; id: string } | undefined;
        if (fuzz.chance(0.25)) {
          const document = segment(newTraceId(NOW), NOW);
          label = 'good';
          stored = { traceId: document.trace_id as string, id: document.id as string };
          await sendDatagram(socket, datagram(document));
        } else {
          const bad = badDatagram(fuzz);
          label = bad.label;
          stored = bad.mayBeValid;
          await sendDatagram(socket, bad.bytes);
        }
        // One at a time, so each answer belongs to its datagram.
        await untilReceived(before.received + 1);
        const after = service.stats().udp;
        const what = `seed 41 case ${i}: ${label}`;
        if (after.accepted > before.accepted) {
          expect(stored, `${what} was accepted`).toBeDefined();
          good.push(stored!);
        } else {
          expect(label, `${what} was rejected`).not.toBe('good');
          expect(after.rejected, what).toBe(before.rejected + 1);
        }
      }
    } finally {
      socket.close();
    }
    const stats = service.stats().udp;
    expect({ received: stats.received, accepted: stats.accepted, rejected: stats.rejected })
      .toEqual({ received: DATAGRAMS, accepted: good.length, rejected: DATAGRAMS - good.length });
    expect(Object.keys(stats.rejectedByReason).filter((reason) => !REASONS.includes(reason))).toEqual([]);

    await untilStored(service);
    const ids = good.map((document) => document.traceId);
    for (let at = 0; at < ids.length; at += 5) {
      const response = await fetch(`${service.api.url}/Traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ TraceIds: ids.slice(at, at + 5) }) });
      const body = (await response.json()) as { Traces: Array<{ Segments: Array<{ Id: string }> }>; UnprocessedTraceIds: string[] };
      expect(body.UnprocessedTraceIds).toEqual([]);
      expect(body.Traces.flatMap((trace) => trace.Segments.map((s) => s.Id)).sort()).toEqual(good.slice(at, at + 5).map((document) => document.id).sort());
    }
  });

  test('UDP: extreme numbers and deep nesting in every field are each counted as accepted or rejected, never a crash; reads stay 200', async () => {
    // A start_time nested 5,000 levels deep (a 10 KB datagram) once threw out of the receiver and
    // ended the process: a service with the daemon's own 64 KB limit, so such datagrams get through.
    const wide = await startXrayService({ store: new MemoryTraceStore({ nowSeconds: () => NOW }), daemonPort: 0, apiPort: 0, logger, nowMs: () => NOW * 1000, consoleDir: false });
    const fuzz = new Fuzz(43);
    const socket = createSocket('udp4');
    const shape = segment(newTraceId(NOW), NOW, { subsegments: [subsegment(newTraceId(NOW), newId(), NOW + 0.01)] }) as FuzzValue;
    // Every member gets a deep array, a huge number and a seeded extreme value.
    const cases = pathsOf(shape).flatMap((member) => [new Raw(`${'['.repeat(6000)}${']'.repeat(6000)}`), new Raw('1e308'), extremeValue(fuzz)].map((value) => ({ member, value })));
    try {
      for (const [i, { member, value }] of cases.entries()) {
        const traceId = newTraceId(NOW);
        const valid = segment(traceId, NOW, { subsegments: [subsegment(traceId, newId(), NOW + 0.01)] }) as FuzzValue;
        const bytes = datagram(jsonText(withMember(valid, member, value))).subarray(0, UDP_MAX);
        const before = wide.stats().udp;
        await new Promise<void>((resolve, reject) => socket.send(bytes, wide.daemon.udp.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
        await eventually(() => wide.stats().udp.received >= before.received + 1, { what: `seed 43 case ${i}: the datagram to be received` });
        const after = wide.stats().udp;
        const what = `seed 43 case ${i}: ${showPath(member)} = ${preview(value)}`;
        expect(after.accepted + after.rejected, what).toBe(before.accepted + before.rejected + 1);
        expect(after.rejectedByReason['InternalError'] ?? 0, what).toBe(0);
      }
      await untilStored(wide);
      await expectReadsAnswer200(wide.api.url, NOW);
    } finally {
      socket.close();
      await wide.stop();
    }
  });

  test('TCP: malformed sampling requests get an AWS-shaped 4xx naming the problem; good ones still work', async () => {
    const base = `http://${service.daemon.address}`;
    const templates: Array<[string, FuzzValue]> = [
      ['/GetSamplingRules', {}],
      ['/SamplingTargets', {
        SamplingStatisticsDocuments: [{ RuleName: 'Default', ClientID: CLIENT_ID, Timestamp: NOW, RequestCount: 10, SampledCount: 5, BorrowCount: 1 }],
      }],
    ];
    const fuzz = new Fuzz(42);
    for (let i = 0; i < TCP_CASES; i++) {
      const [route, valid] = fuzz.pick(templates);
      const bad = fuzz.chance(0.2) ? { label: 'random bytes', body: fuzz.bytes(1 + fuzz.int(200)), contentType: 'application/json', kind: 'not-json' as const } : badJsonBody(fuzz, valid);
      const label = `seed 42 case ${i}: POST ${route} ${bad.label}`;
      const response = await send(base, { path: route, headers: bad.contentType === '' ? {} : { 'content-type': bad.contentType }, body: bad.body });
      expect(response.status, `${label}: ${response.body.toString('utf8').slice(0, 300)}`).toBeLessThan(500);
      if (response.status >= 400) {
        const message = awsMessage(response, label);
        if (bad.kind === 'not-json') expect(message, label).toMatch(/^request body is not valid (JSON|UTF-8)/);
        if (bad.kind === 'not-object') expect(message, label).toMatch(/^request body must be a JSON object/);
      }
      else expect(['not-json', 'not-object', 'invalid-utf8'], label).not.toContain(bad.kind);
    }
    const oversized = await send(base, { path: '/SamplingTargets', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(64 * 1024 + 1, 0x20) });
    expect(oversized.status).toBe(413);
    expect(awsMessage(oversized, 'oversized')).toMatch(/larger than the limit/);
    for (const [method, path, status] of [['GET', '/GetSamplingRules', 405], ['POST', '/TraceSegments', 404], ['POST', '/', 404], ['PUT', '/SamplingTargets', 405]] as const) {
      const response = await send(base, { method, path, body: method === 'GET' ? undefined : '{}' });
      expect(response.status, `${method} ${path}`).toBe(status);
      awsMessage(response, `${method} ${path}`);
    }
    const rules = await send(base, { path: '/GetSamplingRules', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(rules.status).toBe(200);
    expect((JSON.parse(rules.body.toString('utf8')) as { SamplingRuleRecords: unknown[] }).SamplingRuleRecords).toHaveLength(1);
    expect(logged).toEqual([]);
  });
});

/** The AWS rest-json error shape; returns the message. */
function awsMessage(response: RawResponse, label: string): string {
  expect(response.status, label).toBeGreaterThanOrEqual(400);
  expect(response.status, label).toBeLessThan(500);
  expect(response.headers['x-amzn-errortype'], label).toMatch(/^[A-Za-z]+Exception$/);
  const body = JSON.parse(response.body.toString('utf8')) as { __type?: unknown; message?: unknown };
  expect(body.__type, label).toBe(response.headers['x-amzn-errortype']);
  expect(typeof body.message, label).toBe('string');
  return body.message as string;
}
