/**
 * Datagrams whose document nests thousands deep or holds extreme numbers, in every member. One such
 * datagram of about 10 KB (a deep array in start_time) used to throw out of the receiver while its
 * error message was being written, ending the process. Each must now be counted as rejected under
 * the validator's reason, or stored, and the daemon must go on storing good documents.
 */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '../../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { eventually } from '../../support/eventually.ts';
import { Raw } from '../../support/fuzz.ts';
import { datagram, newId, newTraceId, segment } from '../support/documents.ts';
import { deepValues, hostileDocuments } from '../support/hostile-documents.ts';
import { untilStored } from '../support/until-stored.ts';

const NOW = 1_750_000_000;
const DEEP = 5000;

const logged: string[] = [];
const logger: Logger = { info: () => {}, warn: () => {}, error: (message) => logged.push(message) };
let service: XrayService;
const socket = createSocket('udp4');

beforeAll(async () => {
  service = await startXrayService({
    store: new MemoryTraceStore({ nowSeconds: () => NOW }), daemonPort: 0, apiPort: 0, logger, nowMs: () => NOW * 1000, consoleDir: false,
  });
});

afterAll(async () => {
  socket.close();
  await service?.stop();
});

async function sendOne(bytes: Buffer): Promise<void> {
  const before = service.stats().udp.received;
  await new Promise<void>((resolve, reject) => socket.send(bytes, service.daemon.udp.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  await eventually(() => service.stats().udp.received !== before, { what: 'the daemon to receive the datagram', intervalMs: 2 });
}

function isInferred(document: string): boolean {
  return (JSON.parse(document) as { inferred?: unknown }).inferred === true;
}

async function storedIds(traceIds: readonly string[]): Promise<string[]> {
  await untilStored(service);
  const ids: string[] = [];
  for (let at = 0; at < traceIds.length; at += 5) {
    const response = await fetch(`${service.api.url}/Traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ TraceIds: traceIds.slice(at, at + 5) }) });
    const body = (await response.json()) as { Traces: Array<{ Segments: Array<{ Id: string; Document: string }> }> };
    // The inferred segments BatchGetTraces adds for downstream calls were not sent.
    ids.push(...body.Traces.flatMap((trace) => trace.Segments.filter((s) => !isInferred(s.Document)).map((s) => s.Id)));
  }
  return ids.sort();
}

describe('the daemon under deep and extreme documents', () => {
  test('a 10 KB datagram with start_time an array 5,000 deep is rejected, and the next good one stored', async () => {
    const traceId = newTraceId(NOW);
    const text = `{"name":"x","id":"${newId()}","trace_id":"${traceId}","start_time":${'['.repeat(DEEP)}${']'.repeat(DEEP)},"end_time":2}`;
    expect(text.length).toBeGreaterThan(10_000);
    const before = service.stats().udp;
    await sendOne(datagram(text));
    const good = segment(newTraceId(NOW), NOW);
    await sendOne(datagram(good));
    const after = service.stats().udp;
    expect(after.rejectedByReason['InvalidField']).toBe((before.rejectedByReason['InvalidField'] ?? 0) + 1);
    expect(after.accepted).toBe(before.accepted + 1);
    expect(await storedIds([good.trace_id as string])).toEqual([good.id]);
  });

  test('every member nested thousands deep or holding an extreme number: rejected, or stored as sent', async () => {
    const documents = hostileDocuments(NOW, [...deepValues(), new Raw('1e400'), new Raw('-1e400'), 1e300, new Raw('5e-324')]);
    const kept: Array<{ traceId: string; id: string }> = [];
    for (const { label, text, traceId, id } of documents) {
      const before = service.stats().udp;
      await sendOne(datagram(text));
      const after = service.stats().udp;
      if (after.accepted > before.accepted) {
        expect(id, `${label} was accepted`).toBeDefined();
        if (id !== undefined) kept.push({ traceId, id });
      } else {
        const reasons = Object.entries(after.rejectedByReason).filter(([reason, count]) => count !== before.rejectedByReason[reason]).map(([reason]) => reason);
        expect(reasons, label).toEqual([expect.stringMatching(/^(InvalidField|MissingField)$/)]);
      }
    }
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(documents.length);
    expect(await storedIds(kept.map((document) => document.traceId))).toEqual(kept.map((document) => document.id).sort());
    // Reads over the range work on what was stored.
    for (const [route, body] of [
      ['/TraceSummaries', { StartTime: NOW - 60, EndTime: NOW + 60 }],
      ['/ServiceGraph', { StartTime: NOW - 60, EndTime: NOW + 60 }],
    ] as const) {
      const response = await fetch(`${service.api.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, `${route}: ${await response.clone().text()}`).toBe(200);
    }
    expect(logged).toEqual([]);
  });
});
