import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerLoad } from '../../../src/cli/commands/load.ts';
import { planLoad } from '../../../src/cli/load/options.ts';
import type { Progress } from '../../../src/cli/progress.ts';
import { GatewayUnreachableError, runLoad } from '../../../src/cli/load/run-load.ts';
import { summarize } from '../../../src/cli/load/summary.ts';

const run = promisify(execFile);

/** A port nothing listens on: one just freed. */
async function closedPort(): Promise<number> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return port;
}

/** Counts progress calls. */
function countingProgress(): Progress & { total: number; done: number; stopped: boolean } {
  const progress = { total: -1, done: 0, stopped: false, start: (total: number) => (progress.total = total), increment: () => (progress.done += 1), stop: () => (progress.stopped = true) };
  return progress;
}

/** An echo server: answers the path back; `/fail/...` with 503. Tracks the most requests in flight. */
function echoServer(): { server: Server; paths: string[]; maxInFlight: () => number } {
  const paths: string[] = [];
  let inFlight = 0;
  let max = 0;
  const server = createServer((request, response) => {
    inFlight += 1;
    max = Math.max(max, inFlight);
    paths.push(request.url ?? '');
    // A short pause so that concurrent requests overlap.
    setTimeout(() => {
      inFlight -= 1;
      response.writeHead(request.url?.includes('/fail') ? 503 : 200, { 'content-type': 'text/plain' });
      response.end(request.url);
    }, 5);
  });
  return { server, paths, maxInFlight: () => max };
}

describe('runLoad against a local echo server', () => {
  const echo = echoServer();
  let base: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => echo.server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(echo.server.address() as AddressInfo).port}/prod`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => echo.server.close(() => resolve()));
  });

  it('sends exactly N requests, cycling the paths, with at most C in flight', async () => {
    echo.paths.length = 0;
    const progress = countingProgress();
    const plan = planLoad({ requests: '30', concurrency: '5', url: base, path: ['/a', '/fail/b', '/c'] });
    const result = await runLoad(plan, { progress });
    expect(result.results).toHaveLength(30);
    expect(echo.paths).toHaveLength(30);
    expect(echo.paths.filter((path) => path === '/prod/a')).toHaveLength(10);
    expect(echo.paths.filter((path) => path === '/prod/fail/b')).toHaveLength(10);
    expect(echo.paths.filter((path) => path === '/prod/c')).toHaveLength(10);
    expect(echo.maxInFlight()).toBeLessThanOrEqual(5);
    expect(echo.maxInFlight()).toBeGreaterThan(1);
    expect(progress).toMatchObject({ total: 30, done: 30, stopped: true });
    expect(summarize(result).statuses).toEqual([[200, 20], [503, 10]]);
  });

  it('stops and says so when nothing listens at the URL', async () => {
    const port = await closedPort();
    const progress = countingProgress();
    const plan = planLoad({ requests: '1000', concurrency: '2', url: `http://127.0.0.1:${port}/prod` });
    const error = await runLoad(plan, { progress }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayUnreachableError);
    expect((error as Error).message).toContain(`cannot reach the gateway at http://127.0.0.1:${port}/prod (ECONNREFUSED)`);
    expect(progress.done).toBe(0);
    expect(progress.stopped).toBe(true);
  });

  it('runs as `xray-tracer load`, printing the summary', async () => {
    echo.paths.length = 0;
    const { stdout } = await run(process.execPath, ['bin/xray-tracer.js', 'load', '-n', '4', '--url', base, '--path', '/x'], { timeout: 30_000 });
    expect(stdout).toMatch(new RegExp(`^4 requests to ${base} in \\d+\\.\\d\\d s \\(\\d+\\.\\d requests/s, concurrency 4\\)\nstatus: 200 x4\nlatency: p50 `));
    expect(echo.paths).toEqual(['/prod/x', '/prod/x', '/prod/x', '/prod/x']);
  }, 60_000);

  it('exits 1 with a clear message when the gateway is unreachable or an option is wrong', async () => {
    const port = await closedPort();
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((message: string) => errors.push(message));
    try {
      for (const args of [['--url', `http://127.0.0.1:${port}/prod`], ['-n', 'many']]) {
        process.exitCode = undefined;
        const program = new Command('xray-tracer').exitOverride();
        registerLoad(program);
        await program.parseAsync(['load', ...args], { from: 'user' });
        expect(process.exitCode).toBe(1);
      }
    } finally {
      process.exitCode = undefined;
      spy.mockRestore();
    }
    expect(errors).toEqual([
      `xray-tracer load: cannot reach the gateway at http://127.0.0.1:${port}/prod (ECONNREFUSED); is the local cloud running? Start it with \`npm start\`, or point --url at the gateway`,
      'xray-tracer load: -n/--requests "many" is not a whole number',
    ]);
  });
});

describe('runLoad with injected timings', () => {
  it('measures each request by the clock: percentiles come out of the timings given', async () => {
    // Each request takes the next of these milliseconds on a fake clock.
    const durations = [12, 3, 7, 100, 5, 9, 1, 30, 15, 8];
    let now = 1000;
    let call = 0;
    const fakeFetch = async () => {
      now += durations[call] ?? 0;
      call += 1;
      return { status: 200, arrayBuffer: async () => new ArrayBuffer(0) };
    };
    const plan = planLoad({ requests: '10', concurrency: '1', url: 'http://unused.invalid/prod' });
    const result = await runLoad(plan, { fetch: fakeFetch, clock: () => now, progress: countingProgress() });
    expect(result.results.map((request) => request.latencyMillis)).toEqual(durations);
    expect(result.elapsedMillis).toBe(190);
    const summary = summarize(result);
    // Sorted: 1 3 5 7 8 9 12 15 30 100 -> ranks 5, 9 and 10.
    expect(summary.latency).toEqual({ p50: 8, p90: 30, p99: 100, max: 100 });
    expect(summary.requestsPerSecond).toBeCloseTo(10 / 0.19, 6);
  });

  it('counts a request without an answer after the gateway has answered, instead of stopping', async () => {
    let call = 0;
    const flaky = async () => {
      call += 1;
      if (call === 2) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      if (call === 3) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      return { status: 200, arrayBuffer: async () => new ArrayBuffer(0) };
    };
    const result = await runLoad(planLoad({ requests: '4', concurrency: '1' }), { fetch: flaky, progress: countingProgress() });
    expect(summarize(result)).toMatchObject({ statuses: [[200, 2]], failures: [['ECONNRESET', 1], ['ECONNREFUSED', 1]] });
  });
});
