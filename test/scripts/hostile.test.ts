/** The hostile-input harness's own logic: reading answers, counting outcomes, and cases that replay from their index. */
import { describe, expect, test } from 'vitest';
import type { HostileCase } from '../../scripts/hostile/cases.ts';
import { caseFuzz, type Listener } from '../../scripts/hostile/listener.ts';
import { daemonTcpListener } from '../../scripts/hostile/listeners/daemon-tcp.ts';
import { daemonUdpListener } from '../../scripts/hostile/listeners/daemon-udp.ts';
import { otlpListener } from '../../scripts/hostile/listeners/otlp.ts';
import { gatewayListener, httpsTargetListener } from '../../scripts/hostile/listeners/web.ts';
import { xrayApiListener } from '../../scripts/hostile/listeners/xray-api.ts';
import { failed, summaryLine, totalsOf } from '../../scripts/hostile/report.ts';
import { deadlineOf, type ListenerReport } from '../../scripts/hostile/run.ts';
import { statusOf } from '../../scripts/hostile/send.ts';
import { bucketOf, LISTED_PER_KIND, Tally } from '../../scripts/hostile/tally.ts';
import { parseUpLog } from '../../scripts/hostile/up-log.ts';

const NOW = 1_750_000_000;
const CASES = 40;

describe('reading an answer', () => {
  test('the status of the first final answer, past 100 Continue; undefined until the status line is whole; garbage is not HTTP', () => {
    expect(statusOf(Buffer.from('HTTP/1.1 413 Payload Too Large\r\n'))).toBe(413);
    expect(statusOf(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\n'))).toBe(503);
    expect(statusOf(Buffer.from('HTTP/1.1 100 Continue\r\n\r\n'))).toBeUndefined();
    expect(statusOf(Buffer.from('HTTP/1.1 2'))).toBeUndefined();
    expect(statusOf(Buffer.from('\u0015\u0003\u0001\u0000\u0002\u0002\u0016 not http at all'))).toBe('garbage');
  });
});

describe('counting outcomes', () => {
  test('status classes, and only 5xx answers and hangs are failures, all counted, a few of each kind listed', () => {
    expect(['200', '302', '404', '500', '999'].map((status) => bucketOf({ kind: 'answered', status: Number(status), text: '' }))).toEqual(['2xx', '3xx', '4xx', '5xx', 'other-status']);
    const tally = new Tally();
    tally.add(0, 'wrong-value', 'ok', { kind: 'answered', status: 400, text: '' });
    tally.add(1, 'slow-body', 'never completes', { kind: 'closed' });
    tally.add(2, 'slow-body', 'never completes', { kind: 'reset' });
    const many = 4 * LISTED_PER_KIND;
    for (let i = 0; i < many; i++) tally.add(10 + i, 'deep-nesting', `deep ${i}`, i % 2 === 0 ? { kind: 'answered', status: 500, text: '' } : { kind: 'hung' });
    tally.add(99, 'huge-count', 'once', { kind: 'hung' });
    expect(tally.sent).toBe(3 + many + 1);
    expect(tally.failureCount).toBe(many + 1);
    expect([...tally.failureKinds.values()].map((kind) => [kind.bucket, kind.inputClass, kind.count, kind.examples.length]))
      .toEqual([['5xx', 'deep-nesting', many / 2, LISTED_PER_KIND], ['hung', 'deep-nesting', many / 2, LISTED_PER_KIND], ['hung', 'huge-count', 1, 1]]);
    expect(tally.failures[0]).toEqual({ index: 10, bucket: '5xx', status: 500, inputClass: 'deep-nesting', label: 'deep 0' });
    expect(tally.byClass.get('slow-body')).toEqual(new Map([['closed', 1], ['reset', 1]]));
  });

  test('the summary line, and the exit code is a failure on any death, 5xx or hang', () => {
    const tally = new Tally();
    tally.add(0, 'wrong-value', 'x', { kind: 'answered', status: 400, text: '' });
    const report = (died: boolean): ListenerReport => ({
      name: 'otlp', where: 'x', tally, elapsedMs: 1, liveness: { ok: true, detail: '' }, processAlive: !died, ...(died ? { died: { between: undefined, how: 'gone' } } : {}),
    });
    expect(summaryLine(totalsOf([report(false), report(false)]))).toBe('hostile: 2 inputs, 0 deaths, 0 5xx, 0 hung');
    expect(failed(totalsOf([report(false)]))).toBe(false);
    expect(failed(totalsOf([report(false), report(true)]))).toBe(true);
  });

  test('a stalled request waits for the server\'s own timeout too; a trickled one for its pieces', () => {
    const base = { transport: 'tcp', inputClass: 'slow-body', label: '', bytes: Buffer.alloc(0) } as const;
    const options = { timeoutMs: 1000, serverTimeoutMs: 30_000 };
    expect(deadlineOf({ ...base, delivery: { kind: 'whole' } }, options)).toBe(1000);
    expect(deadlineOf({ ...base, delivery: { kind: 'stall', withholdBytes: 3 } }, options)).toBe(31_000);
    expect(deadlineOf({ ...base, delivery: { kind: 'trickle', chunks: 4, gapMs: 200 } }, options)).toBe(1800);
  });
});

describe('cases', () => {
  const listeners = (): Listener[] => [
    gatewayListener({ url: 'http://127.0.0.1:3000/prod', timeoutMs: 1000 }),
    xrayApiListener({ url: 'http://127.0.0.1:2001', nowSeconds: NOW, timeoutMs: 1000 }),
    daemonTcpListener({ address: { host: '127.0.0.1', port: 2000 }, nowSeconds: NOW, timeoutMs: 1000 }),
    daemonUdpListener({ address: { host: '127.0.0.1', port: 2000 }, xrayApiUrl: 'http://127.0.0.1:2001', nowSeconds: NOW, timeoutMs: 1000 }),
    otlpListener({ url: 'http://127.0.0.1:4318/v1/traces', nowSeconds: NOW, timeoutMs: 1000 }),
    httpsTargetListener({ url: 'https://127.0.0.1:8443/todos/1', timeoutMs: 1000 }),
  ];
  const casesOf = async (listener: Listener, seed: number): Promise<HostileCase[]> =>
    Promise.all(Array.from({ length: CASES }, (_, index) => listener.caseAt(caseFuzz(seed, listener.name, index), index)));

  test('the same seed and index give the same bytes, also for one case made alone; another seed gives others', async () => {
    for (const [first, second] of listeners().map((listener, i) => [listener, listeners()[i]!] as const)) {
      const run = await casesOf(first, 7);
      const again = await casesOf(second, 7);
      expect(again.map((c) => c.bytes.toString('base64')), first.name).toEqual(run.map((c) => c.bytes.toString('base64')));
      const alone = await second.caseAt(caseFuzz(7, second.name, 23), 23);
      expect(alone.bytes.equals(run[23]!.bytes), `${first.name} case 23 alone`).toBe(true);
      const other = await casesOf(second, 8);
      expect(other.filter((c, i) => c.bytes.equals(run[i]!.bytes)).length, first.name).toBeLessThan(CASES / 2);
    }
  });

  test('each listener\'s cases cover the issue\'s classes', async () => {
    const many = 400;
    for (const listener of listeners()) {
      const classes = new Set<string>();
      for (let index = 0; index < many; index++) classes.add((await listener.caseAt(caseFuzz(3, listener.name, index), index)).inputClass);
      const expected = listener.name === 'daemon-udp' ? ['deep-nesting', 'extreme-number', 'huge-count', 'oversized', 'malformed-datagram', 'bad-utf8', 'random-bytes'] : ['deep-nesting', 'extreme-number', 'huge-count', 'malformed-http', 'bad-utf8', 'random-bytes', 'content-type', 'hostile-target'];
      expect([...classes].sort(), listener.name).toEqual(expect.arrayContaining(expected));
    }
  });
});

describe('npm start\'s output', () => {
  test('gives every address, the HTTPS target\'s too', () => {
    const printed = [
      'Running: the local X-Ray service',
      '  daemon  udp://127.0.0.1:2100 (segments), tcp 127.0.0.1:2100 (sampling)',
      '  otlp    http://127.0.0.1:4418/v1/traces (OTLP/HTTP traces, protobuf or JSON)',
      '  api     http://127.0.0.1:2101',
      'Running: the local cloud',
      '  gateway  http://127.0.0.1:3100/prod/',
      '  aws      http://127.0.0.1:4666 (SNS, SQS, DynamoDB; IAM enforced)',
      "  target   https://127.0.0.1:35259/todos/1 (the HTTP flow's TARGET_URL)",
    ].join('\n');
    expect(parseUpLog(printed)).toEqual({
      gateway: 'http://127.0.0.1:3100/prod', endpoint: 'http://127.0.0.1:4666', xray: 'http://127.0.0.1:2101', daemon: '127.0.0.1:2100',
      otlp: 'http://127.0.0.1:4418/v1/traces', httpsTarget: 'https://127.0.0.1:35259/todos/1',
    });
  });
});
