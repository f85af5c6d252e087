/**
 * Every HTTP listener answers (or closes) a request that stops arriving, within its configured
 * time: a head that never ends, a body whose declared length never arrives, a body that stalls.
 * The timeouts are injected at a few hundred milliseconds; the test waits for the answer itself.
 */
import { createServer } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerTimeouts } from '../../src/common/server-timeouts.ts';
import { applyServerTimeouts } from '../../src/common/server-timeouts.ts';
import { AwsEndpoint } from '../../src/cloud/endpoint/index.ts';
import { ApiGateway } from '../../src/cloud/gateway/index.ts';
import { HttpsTarget } from '../../src/cloud/https-target/index.ts';
import { silentLogger } from '../../src/xray/log/logger.ts';
import { startXrayService } from '../../src/xray/service.ts';
import { MemoryTraceStore } from '../../src/xray/store/index.ts';
import { patternLikeModel } from '../cloud/gateway/support.ts';
import { Fuzz } from '../support/fuzz.ts';
import { malformedRequest } from '../support/malformed-http.ts';

const TIMEOUTS: ServerTimeouts = { headersTimeoutMs: 200, requestTimeoutMs: 1500, bodyIdleTimeoutMs: 200, keepAliveTimeoutMs: 200 };
/** Far over the timeouts, far under the old behaviour (node's 300 s request timeout checked every 30 s). */
const GIVE_UP_MS = 5000;

interface Outcome {
  readonly answer: string;
  readonly closed: boolean;
  readonly elapsedMs: number;
}

/** Sends `raw` and reports the status line (if any) once the server closes, or gives up. */
function exchange(open: () => Duplex, raw: string): Promise<Outcome> {
  const startedMs = Date.now();
  return new Promise((resolve) => {
    let received = '';
    const socket = open();
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ answer: received.split('\r\n')[0] ?? '', closed: false, elapsedMs: Date.now() - startedMs });
    }, GIVE_UP_MS);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ answer: received.split('\r\n')[0] ?? '', closed: true, elapsedMs: Date.now() - startedMs });
    });
    socket.write(raw);
  });
}

/** Requests that stop part way, on a connection kept open, to a path that reads a body. */
const STALLED: Readonly<Record<string, (path: string) => string>> = {
  'a head that never ends': (path) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `,
  'a declared length that never arrives': (path) =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\nAction=`,
  'a chunked body that stops': (path) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":`,
};

interface Listener {
  readonly name: string;
  /** The largest body it takes, for those that read one. */
  readonly maxBodyBytes?: number;
  /** False for a listener that answers this request without reading its body (then any 4xx, and a close). */
  readonly readsBody: boolean;
  /** A path it reads a POST body for. */
  readonly path: string;
  /** The listener's port, for connections below HTTP (TCP that sends nothing, no TLS handshake). */
  readonly port: number;
  open(): Duplex;
}

describe('every listener times out a request that stops arriving', () => {
  const listeners: Listener[] = [];
  const stops: Array<() => Promise<void>> = [];
  /** What the gateway logged as errors: a client that stops or goes away is not one. */
  const gatewayErrors: string[] = [];
  const xrayErrors: string[] = [];
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'server-timeouts-'));
    const endpoint = new AwsEndpoint({ services: [], port: 0, timeouts: TIMEOUTS });
    await endpoint.start();
    stops.push(() => endpoint.stop());
    listeners.push({ name: 'AWS endpoint', readsBody: true, path: '/', port: endpoint.port, maxBodyBytes: 16 * 1024 * 1024, open: () => connect(endpoint.port, '127.0.0.1') });

    const gateway = new ApiGateway({
      model: patternLikeModel(),
      awsEndpointUrl: 'http://127.0.0.1:1',
      port: 0,
      serviceClient: { call: async () => ({ status: 200, headers: {}, body: '{}' }) },
      logger: { info: () => undefined, warn: () => undefined, error: (message) => gatewayErrors.push(message) },
      timeouts: TIMEOUTS,
    });
    await gateway.start();
    stops.push(() => gateway.stop());
    const gatewayPort = Number(new URL(gateway.url).port);
    listeners.push({ name: 'API gateway', readsBody: true, path: '/prod/', port: gatewayPort, maxBodyBytes: 10 * 1024 * 1024, open: () => connect(gatewayPort, '127.0.0.1') });

    const xray = await startXrayService({
      store: new MemoryTraceStore(),
      apiPort: 0,
      daemonPort: 0,
      otlpPort: 0,
      consoleDir: false,
      logger: { ...silentLogger, error: (message) => xrayErrors.push(message.split('\n')[0] ?? '') },
      serverTimeouts: TIMEOUTS,
    });
    stops.push(() => xray.stop());
    const local = (port: number) => () => connect(port, '127.0.0.1');
    listeners.push({ name: 'X-Ray API', readsBody: true, path: '/TraceSegments', port: xray.api.address.port, maxBodyBytes: 6 * 1024 * 1024, open: local(xray.api.address.port) });
    listeners.push({ name: 'X-Ray daemon TCP', readsBody: true, path: '/GetSamplingRules', port: xray.daemon.tcp.port, maxBodyBytes: 64 * 1024, open: local(xray.daemon.tcp.port) });
    const otlpPort = xray.otlp?.address.port ?? 0;
    listeners.push({ name: 'OTLP receiver', readsBody: true, path: '/v1/traces', port: otlpPort, maxBodyBytes: 20 * 1024 * 1024, open: local(otlpPort) });

    const target = new HttpsTarget({ caFile: join(folder, 'ca.pem'), timeouts: TIMEOUTS });
    await target.start();
    stops.push(() => target.stop());
    const targetPort = Number(new URL(target.origin).port);
    listeners.push({ name: 'HTTPS target', readsBody: false, path: '/todos', port: targetPort, open: () => tlsConnect({ port: targetPort, host: '127.0.0.1', rejectUnauthorized: false }) });
  });

  afterAll(async () => {
    expect(gatewayErrors).toEqual([]);
    expect(xrayErrors).toEqual([]);
    for (const stop of stops) await stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it.each(Object.entries(STALLED))('%s is answered 408 and closed on every listener', async (_name, stalled) => {
    const outcomes = await Promise.all(listeners.map(async (listener) => ({ listener, ...(await exchange(() => listener.open(), stalled(listener.path))) })));
    for (const { listener, closed, answer, elapsedMs } of outcomes) {
      expect({ listener: listener.name, closed }).toEqual({ listener: listener.name, closed: true });
      if (listener.readsBody || !stalled(listener.path).includes('\r\n\r\n')) expect({ listener: listener.name, answer }).toEqual({ listener: listener.name, answer: 'HTTP/1.1 408 Request Timeout' });
      else expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
      // The head and idle timeouts answer, well before the whole request's.
      expect(elapsedMs).toBeLessThan(TIMEOUTS.requestTimeoutMs);
    }
  });

  it('a body that keeps arriving slowly is limited by the whole request time', async () => {
    const listener = listeners[0] as Listener;
    const startedMs = Date.now();
    const outcome = await new Promise<Outcome>((resolve) => {
      let received = '';
      const socket = listener.open();
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
      });
      socket.on('error', () => undefined);
      socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n');
      // One byte every 50 ms: never idle for the 200 ms body timeout, always short of the body.
      const drip = setInterval(() => socket.write('a'), 50);
      socket.on('close', () => {
        clearInterval(drip);
        resolve({ answer: received.split('\r\n')[0] ?? '', closed: true, elapsedMs: Date.now() - startedMs });
      });
    });
    expect(outcome.answer).toBe('HTTP/1.1 408 Request Timeout');
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeoutMs);
    expect(outcome.elapsedMs).toBeLessThan(GIVE_UP_MS);
  });

  it('a CONNECT is answered 405 on every listener instead of dropped', async () => {
    for (const listener of listeners) {
      const outcome = await exchange(() => listener.open(), 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
      expect({ listener: listener.name, answer: outcome.answer }).toEqual({ listener: listener.name, answer: 'HTTP/1.1 405 Method Not Allowed' });
    }
  });

  it('a declared length over the listener’s limit is answered 413 at once, before any body', async () => {
    for (const listener of listeners) {
      if (listener.maxBodyBytes === undefined) continue;
      const head = `POST ${listener.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${listener.maxBodyBytes + 1}\r\n\r\n`;
      const outcome = await exchange(() => listener.open(), head);
      expect({ listener: listener.name, answer: outcome.answer, closed: outcome.closed }).toEqual({ listener: listener.name, answer: expect.stringMatching(/^HTTP\/1\.1 413 /), closed: true });
      // Not the body timeout: the answer came without waiting for the body.
      expect(outcome.elapsedMs).toBeLessThan(TIMEOUTS.bodyIdleTimeoutMs);
    }
  });

  it('an undeclared (chunked) body over the gateway’s 10 MB is answered 413 and its connection closed', async () => {
    const gateway = listeners[1] as Listener;
    const chunk = 'x'.repeat(1024 * 1024);
    const chunked = `${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(11);
    const outcome = await exchange(() => gateway.open(), `POST /prod/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}0\r\n\r\n`);
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 413 /);
    // The rest of the body is not read as a next request: the connection is closed after the answer.
    expect(outcome.closed).toBe(true);
  });

  it('seeded malformed requests: every listener answers each without a 5xx, or closes, within its timeouts', async () => {
    const CASES = 60;
    for (const [index, listener] of listeners.entries()) {
      const fuzz = new Fuzz(7000 + index);
      const cases = Array.from({ length: CASES }, () => malformedRequest(fuzz, listener.path));
      // In parallel: a case that is not answered at once waits for the head or body timeout.
      const outcomes = await Promise.all(cases.map((request) => exchange(() => listener.open(), request.raw)));
      outcomes.forEach((outcome, i) => {
        const label = `${listener.name}, seed ${7000 + index} case ${i}: ${cases[i]?.label ?? ''}`;
        expect(outcome.closed || outcome.answer !== '', `${label}: no answer and still open after ${GIVE_UP_MS} ms`).toBe(true);
        if (outcome.answer !== '') expect(outcome.answer, label).toMatch(/^HTTP\/1\.[01] [1-4]\d\d /);
      });
    }
  }, 60_000);

  it('a connection that sends nothing (not even a TLS handshake) is closed within the head timeout', async () => {
    const outcomes = await Promise.all(listeners.map(async (listener) => ({ listener, ...(await exchange(() => connect(listener.port, '127.0.0.1'), '')) })));
    for (const { listener, closed, elapsedMs } of outcomes) {
      expect({ listener: listener.name, closed }).toEqual({ listener: listener.name, closed: true });
      expect(elapsedMs).toBeLessThan(TIMEOUTS.requestTimeoutMs);
    }
  });
});

describe('the timeouts leave legitimate slow work alone', () => {
  it('a handler slower than every timeout (a long poll) still answers, and an idle keep-alive connection is reused', async () => {
    const short: ServerTimeouts = { headersTimeoutMs: 100, requestTimeoutMs: 200, bodyIdleTimeoutMs: 100, keepAliveTimeoutMs: 3000 };
    const server = createServer((request, response) => {
      request.resume();
      // Three times the whole-request timeout, as a long poll waits for a message.
      request.on('end', () => setTimeout(() => response.end('late'), 3 * short.requestTimeoutMs));
    });
    applyServerTimeouts(server, short);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const answers = await new Promise<string[]>((resolve) => {
        let received = '';
        const socket = connect(port, '127.0.0.1');
        const request = 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nab';
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString('latin1');
          const statuses = received.match(/HTTP\/1\.1 \d{3}/g) ?? [];
          // The second request goes on the same connection after it idled past the head and body timeouts.
          if (statuses.length === 1 && received.endsWith('late')) setTimeout(() => socket.write(request), 3 * short.headersTimeoutMs);
          if (statuses.length === 2 && received.endsWith('late')) {
            socket.destroy();
            resolve(statuses);
          }
        });
        socket.on('close', () => resolve(received.match(/HTTP\/1\.1 \d{3}/g) ?? []));
        socket.write(request);
      });
      expect(answers).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 20_000);
});
