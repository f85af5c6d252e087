import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, test } from 'vitest';
import { BatchWriter } from '../../../src/xray/ingest/batch-writer.ts';
import { UdpReceiver } from '../../../src/xray/ingest/udp-receiver.ts';
import type { Logger } from '../../../src/xray/log/logger.ts';
import { validateDocument } from '../../../src/xray/segments/validate.ts';
import type { ValidationResult } from '../../../src/xray/segments/validate.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { eventually } from '../../support/eventually.ts';
import { datagram, newTraceId, segment } from '../support/documents.ts';

const NOW = 1_750_000_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(maxDatagramBytes = 8 * 1024, validate: (document: string) => ValidationResult = validateDocument) {
  const warnings: string[] = [];
  const logger: Logger = { info: () => {}, warn: (line) => warnings.push(line), error: (line) => warnings.push(line) };
  const store = new MemoryTraceStore({ nowSeconds: () => NOW });
  const batches = new BatchWriter({ writer: store, logger, maxBatchSize: 1000, flushIntervalMs: 5 });
  // A clock that stands still: after the first line, the reject log waits for shutdown to report.
  const receiver = await UdpReceiver.start({ host: '127.0.0.1', port: 0, validate, sink: batches, logger, maxDatagramBytes, nowMs: () => 5_000 });
  const sender: Socket = createSocket('udp4');
  cleanups.push(async () => {
    sender.close();
    await receiver.shutdown();
    await batches.shutdown();
  });
  const send = (payload: Buffer): Promise<void> =>
    new Promise((resolve, reject) => sender.send(payload, receiver.address.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  const settle = async (received: number): Promise<void> => {
    await eventually(() => receiver.stats().received >= received, { what: () => `${received} datagrams, got ${receiver.stats().received}` });
    await receiver.shutdown();
    await batches.shutdown();
  };
  return { store, receiver, batches, send, settle, warnings };
}

describe('UdpReceiver', () => {
  test('bad datagrams are counted by reason and logged; good ones before and after are stored', async () => {
    const { store, receiver, send, settle, warnings } = await setup();
    const traceId = newTraceId(NOW);
    const before = segment(traceId, NOW);
    const after = segment(traceId, NOW + 1, { name: 'second' });
    const malformed = segment(traceId, NOW, { id: 'xyz' });

    await send(datagram(before));
    await send(Buffer.from([0xff, 0x00, 0x13, 0x37]));
    await send(Buffer.from('{"format":"json","version":2}\n{}'));
    await send(Buffer.from('not json at all\n{}'));
    await send(datagram('x'.repeat(9000)));
    await send(datagram(malformed));
    await send(datagram('{"name": "cut off'));
    await send(datagram(after));
    await settle(8);

    expect(receiver.stats()).toEqual({
      received: 8,
      accepted: 2,
      rejected: 6,
      rejectedByReason: { MissingHeader: 1, UnsupportedFormat: 1, InvalidHeader: 1, DatagramTooLarge: 1, InvalidField: 1, InvalidJson: 1 },
      // Linux says how many the kernel dropped (none at this pace); elsewhere it is unknown.
      kernelDropped: process.platform === 'linux' ? 0 : undefined,
    });
    const [trace] = store.getTraces([traceId]);
    expect(trace?.segments.map((s) => s.id).sort()).toEqual([before.id, after.id].sort());
    // Rate-limited: the first reject at once, the rest summed up in one line at shutdown.
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^xray daemon: rejected 1 datagram \(MissingHeader 1\); last: datagram does not start with a header line/);
    expect(warnings[1]).toMatch(/^xray daemon: rejected 5 datagrams \(DatagramTooLarge 1, InvalidField 1, InvalidHeader 1, InvalidJson 1, UnsupportedFormat 1\); last: /);
  });

  test('a reject names the document id when it has one', async () => {
    const { send, settle, warnings } = await setup();
    const bad = segment(newTraceId(NOW), NOW, { trace_id: '1-abc' });
    await send(datagram(bad));
    await settle(1);
    expect(warnings[0]).toContain(`last: document ${bad.id as string}: trace_id "1-abc"`);
  });

  test('keeps accepting after a flood of garbage', async () => {
    const { receiver, send, settle } = await setup();
    for (let i = 0; i < 200; i++) await send(Buffer.from(`garbage ${i}`));
    const good = segment(newTraceId(NOW), NOW);
    await send(datagram(good));
    await settle(201);
    expect(receiver.stats()).toMatchObject({ received: 201, accepted: 1, rejected: 200 });
  });

  test('shutdown reads what the kernel already holds before closing', async () => {
    const { receiver, store, send, batches } = await setup();
    const traceId = newTraceId(NOW);
    const docs = Array.from({ length: 100 }, (_, i) => segment(traceId, NOW + i / 1000));
    await Promise.all(docs.map((doc) => send(datagram(doc))));
    await receiver.shutdown();
    await batches.shutdown();
    expect(receiver.stats().accepted).toBe(100);
    expect(store.getTraces([traceId])[0]?.segments).toHaveLength(100);
  });

  test.runIf(process.platform === 'linux')('datagrams the kernel dropped with the buffer full are counted: received plus dropped is what was sent', async () => {
    const warnings: string[] = [];
    const logger: Logger = { info: () => {}, warn: (line) => warnings.push(line), error: () => {} };
    const batches = new BatchWriter({ writer: new MemoryTraceStore({ nowSeconds: () => NOW }), logger });
    // The smallest receive buffer the kernel allows: a few datagrams fit.
    const receiver = await UdpReceiver.start({ host: '127.0.0.1', port: 0, validate: validateDocument, sink: batches, logger, recvBufferBytes: 1 });
    const sent = 300;
    // Another process sends while this one is blocked and reads nothing: the buffer overflows.
    const blast = `const s = require('node:dgram').createSocket('udp4'); let n = 0;
      const next = () => n === ${sent} ? s.close() : s.send(Buffer.alloc(1000, 120), ${receiver.address.port}, '127.0.0.1', () => { n++; next(); }); next();`;
    execFileSync(process.execPath, ['-e', blast]);
    await receiver.shutdown();
    await batches.shutdown();
    const { received, kernelDropped } = receiver.stats();
    expect(kernelDropped).toBeGreaterThan(0);
    expect(received + (kernelDropped ?? 0)).toBe(sent);
    expect(warnings.at(-1)).toBe(`xray daemon: the kernel dropped ${kernelDropped} UDP datagrams with the receive buffer full (${kernelDropped} in all); they never reached the daemon`);
  });

  test('a datagram that makes validation throw is one InternalError reject, and the receiver keeps going', async () => {
    // A defect anywhere behind the socket must cost that datagram only: before, the exception left
    // the socket's handler and ended the process (a field nested 5,000 levels deep did it).
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const validate = (document: string): ValidationResult => {
      if (document.includes('"boom"')) throw new RangeError('Maximum call stack size exceeded');
      if (document.includes('"thrown-null"')) throw null;
      return validateDocument(document);
    };
    const { store, receiver, send, settle, warnings } = await setup(16 * 1024, validate);
    const traceId = newTraceId(NOW);
    const good = segment(traceId, NOW);
    await send(datagram(segment(traceId, NOW, { name: 'boom' })));
    await send(datagram(segment(traceId, NOW, { name: 'thrown-null' })));
    await send(datagram(JSON.stringify(segment(traceId, NOW)).replace(/"start_time":[0-9.]+/, `"start_time":${deep}`)));
    await send(datagram(good));
    await settle(4);
    const stats = receiver.stats();
    expect(stats).toMatchObject({ received: 4, accepted: 1, rejected: 3 });
    expect(stats.rejectedByReason['InternalError']).toBeGreaterThanOrEqual(2);
    expect(store.getTraces([traceId])[0]?.segments.map((s) => s.id)).toEqual([good.id]);
    const logged = warnings.join('\n');
    expect(logged).toMatch(/InternalError/);
    expect(logged.length).toBeLessThan(2000);
  });
});
