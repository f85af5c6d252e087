import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../src/xray/log/logger.ts';
import { startXrayService } from '../../src/xray/service.ts';
import { SqliteTraceStore } from '../../src/xray/store/index.ts';
import { eventually } from '../support/eventually.ts';
import { datagram, newTraceId, segment } from './support/documents.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'xray-service-'));
  dirs.push(dir);
  return dir;
}

describe('startXrayService', () => {
  test('binds the daemon on one port for UDP and TCP, and the API on its own', async () => {
    const service = await startXrayService({ dataDir: tempDir(), daemonPort: 0, apiPort: 0, logger: silentLogger });
    try {
      expect(service.daemon.udp.port).toBe(service.daemon.tcp.port);
      expect(service.daemon.address).toBe(`127.0.0.1:${service.daemon.udp.port}`);
      expect(service.api.url).toBe(`http://127.0.0.1:${service.api.address.port}`);
      const rules = await fetch(`http://${service.daemon.address}/GetSamplingRules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(((await rules.json()) as { SamplingRuleRecords: unknown[] }).SamplingRuleRecords).toHaveLength(1);
      const sameOnApi = await fetch(`${service.api.url}/GetSamplingRules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(sameOnApi.status).toBe(200);
    } finally {
      await service.stop();
    }
  });

  test('the OTLP receiver is off unless asked for; on, its spans reach the same store as UDP documents', async () => {
    const off = await startXrayService({ dataDir: tempDir(), daemonPort: 0, apiPort: 0, logger: silentLogger });
    expect(off.otlp).toBeUndefined();
    expect(off.stats().otlp).toBeUndefined();
    await off.stop();

    const dataDir = tempDir();
    const service = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, otlpPort: 0, logger: silentLogger, flushIntervalMs: 60_000 });
    const otlp = service.otlp;
    expect(otlp?.tracesUrl).toBe(`http://127.0.0.1:${otlp?.address.port}/v1/traces`);
    const nanos = BigInt(Math.round(Date.now())) * 1_000_000n;
    const span = { traceId: '0123456789abcdef0123456789abcdef', spanId: '0123456789abcdef', name: 'job', kind: 2, startTimeUnixNano: String(nanos), endTimeUnixNano: String(nanos + 1_000_000n) };
    const response = await fetch(otlp?.tracesUrl ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }),
    });
    expect(response.status).toBe(200);
    expect(service.stats().otlp).toEqual({ requests: 1, refusedRequests: 0, acceptedSpans: 1, rejectedSpans: 0, retryableSpans: 0 });
    // The 200 came after the commit, flush interval or not: another connection reads the span already.
    expect(service.stats().store).toMatchObject({ written: 1, pending: 0 });
    const reopened = new SqliteTraceStore({ file: service.dataFile as string, readOnly: true });
    try {
      expect(reopened.getTraces(['1-01234567-89abcdef0123456789abcdef'])[0]?.segments.map((s) => s.id)).toEqual(['0123456789abcdef']);
    } finally {
      reopened.close();
    }
    await service.stop();
  });

  test('stop() writes the UDP documents still waiting in a batch, then closes the store', async () => {
    const dataDir = tempDir();
    const service = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, logger: silentLogger, flushIntervalMs: 60_000 });
    const now = Date.now() / 1000;
    const traceId = newTraceId(now);
    const documents = Array.from({ length: 10 }, (_, i) => segment(traceId, now + i / 100));
    const socket = createSocket('udp4');
    for (const document of documents) {
      await new Promise<void>((resolve, reject) =>
        socket.send(datagram(document), service.daemon.udp.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      );
    }
    socket.close();
    await eventually(() => service.stats().udp.accepted >= 10, { what: () => `10 accepted datagrams, got ${service.stats().udp.accepted}` });
    expect(service.stats().store).toEqual({ written: 0, failed: 0, dropped: 0, refused: 0, pending: 10 });

    await Promise.all([service.stop(), service.stop()]);
    expect(service.stats().store).toEqual({ written: 10, failed: 0, dropped: 0, refused: 0, pending: 0 });
    const reopened = new SqliteTraceStore({ file: service.dataFile as string });
    try {
      expect(reopened.getTraces([traceId])[0]?.segments.map((s) => s.id).sort()).toEqual(documents.map((d) => d.id as string).sort());
    } finally {
      reopened.close();
    }
  });

  test('a port in use fails the start with EADDRINUSE, and the data folder can be used again at once', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busyPort = (blocker.address() as AddressInfo).port;
    const dataDir = tempDir();
    try {
      await expect(startXrayService({ dataDir, daemonPort: 0, apiPort: busyPort, logger: silentLogger })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      // The store was closed: another service can open the same folder at once.
      const again = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, logger: silentLogger });
      await again.stop();
    } finally {
      blocker.close();
    }
  });
});
