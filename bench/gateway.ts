/**
 * `npm run bench:gateway`: a gateway request to all six Lambdas done, p50/p95, and a Lambda proxy
 * request answered end to end (bench/lambda-proxy.ts), next to a bare node:http echo server
 * measured in the same run with the same client (fetch) and concurrency.
 *
 *   npx tsx bench/gateway.ts [requests=500] [concurrency=4]   (BENCH_ASSEMBLY=cdk.out, BENCH_PROFILE=file,
 *   BENCH_ONLY=lambda-proxy for the echo and the Lambda proxy phase alone, without the pattern's assembly)
 *
 * Runs the synthesized assembly (`npm run synth` first) on the local cloud and the local X-Ray
 * service, on free loopback ports and a temporary data folder. A request is timed from sending it
 * to the moment the six functions it caused have finished their first run (bench/completion.ts;
 * the SQS consumer's finish minus the message's 1 s DelaySeconds). Each client slot waits for its
 * request to be done before sending the next, so at most `concurrency` requests are in the system.
 * WARMUP requests first start the execution environments; they are not counted. Every phase is
 * bounded in time, every request too.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalCloud } from '../src/cloud/index.ts';
import { silentLogger } from '../src/xray/log/logger.ts';
import { startXrayService } from '../src/xray/service.ts';
import { RequestCompletion } from './completion.ts';
import { cpuBetween, cpuSnapshot } from './cpu.ts';
import { startLambdaProxyCloud } from './lambda-proxy.ts';
import { startProfile } from './profile.ts';
import type { RequestTimes } from './completion.ts';

const COUNT = Number(process.argv[2] ?? 500);
const CONCURRENCY = Number(process.argv[3] ?? 4);
const ASSEMBLY = path.resolve(process.env.BENCH_ASSEMBLY ?? 'cdk.out');
const WARMUP = 20;
const SQS_DELAY_MILLIS = 1000;
/** A request not done by then is counted as not done. */
const REQUEST_TIMEOUT_MILLIS = 30_000;
/** A phase stops sending after this long. */
const PHASE_MILLIS = 300_000;
const PATHS = ['/bench/a', '/bench/b', '/bench/c', '/bench/d'];
const PROXY_ONLY = process.env.BENCH_ONLY === 'lambda-proxy';
/** The Lambda proxy phase's target p50 (issue 14). */
const PROXY_TARGET_MILLIS = 15;

/** The Lambda service's default clock, so request times and its reports compare. */
const clock = (): number => performance.timeOrigin + performance.now();

/** Sends `count` requests, `concurrency` at a time, each slot waiting for its request; stops sending at the deadline. */
async function closedLoop<T>(count: number, concurrency: number, one: (index: number) => Promise<T | undefined>): Promise<T[]> {
  const results: T[] = [];
  const deadline = Date.now() + PHASE_MILLIS;
  let next = 0;
  const slot = async (): Promise<void> => {
    while (next < count && Date.now() < deadline) {
      const result = await one(next++);
      if (result !== undefined) results.push(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, slot));
  return results;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function stats(values: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1] ?? Number.NaN };
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

function lineCount(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/** One GET with the benchmark's client; undefined when it could not be made or timed out (counted as not done). */
async function get(url: string): Promise<{ code: number; traceHeader: string | null } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS) });
    await response.arrayBuffer();
    return { code: response.status, traceHeader: response.headers.get('x-amzn-trace-id') };
  } catch {
    return undefined;
  }
}

async function startEcho(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: request.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function measureEcho(url: string, count: number): Promise<number[]> {
  return closedLoop(count, CONCURRENCY, async (index) => {
    const sentAt = clock();
    const status = await get(`${url}${PATHS[index % PATHS.length] ?? '/'}`);
    return status?.code === 200 ? clock() - sentAt : undefined;
  });
}

/** The Lambda proxy phase: warm-up, then `count` requests answered end to end, with the echo measured just before. */
async function measureLambdaProxy(root: string, daemonAddress: string, echoUrl: string, errors: string[]): Promise<void> {
  const { cloud, stageUrl } = await startLambdaProxyCloud(path.join(root, 'proxy'), daemonAddress, (line) => errors.push(line));
  try {
    const proxyRequest = async (index: number): Promise<number | undefined> => {
      const sentAt = clock();
      const status = await get(`${stageUrl}${PATHS[index % PATHS.length] ?? '/'}`);
      return status?.code === 200 ? clock() - sentAt : undefined;
    };
    await closedLoop(WARMUP, CONCURRENCY, proxyRequest);
    const echoTimes = await measureEcho(echoUrl, COUNT);
    const stopProfile = await startProfile();
    const proxyStart = clock();
    const proxyTimes = await closedLoop(COUNT, CONCURRENCY, proxyRequest);
    const proxyElapsed = clock() - proxyStart;
    const profileFile = await stopProfile();
    if (profileFile !== undefined) console.log(`CPU profile of the Lambda proxy phase: ${profileFile}`);
    const echoStats = stats(echoTimes);
    const proxyStats = stats(proxyTimes);
    console.log('');
    console.log('| measured | requests | done | p50 | p95 | max | elapsed |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(`| bare HTTP echo (node:http, 127.0.0.1) | ${COUNT} | ${echoTimes.length} | ${ms(echoStats.p50)} | ${ms(echoStats.p95)} | ${ms(echoStats.max)} | |`);
    console.log(`| Lambda proxy (LambdaRestApi -> handler -> answer) | ${COUNT} | ${proxyTimes.length} | ${ms(proxyStats.p50)} | ${ms(proxyStats.p95)} | ${ms(proxyStats.max)} | ${(proxyElapsed / 1000).toFixed(2)} s |`);
    console.log(`Lambda proxy p50 / echo p50: ${(proxyStats.p50 / echoStats.p50).toFixed(1)}x; target p50 < ${PROXY_TARGET_MILLIS} ms: ${proxyStats.p50 < PROXY_TARGET_MILLIS ? 'met' : 'missed'}`);
  } finally {
    await cloud.stop();
  }
}

async function main(): Promise<void> {
  console.log(`load average at start: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  console.log(`${COUNT} requests, concurrency ${CONCURRENCY}, ${WARMUP} warm-up requests first; assembly ${ASSEMBLY}`);
  const root = mkdtempSync(path.join(tmpdir(), 'bench-gateway-'));
  const errors: string[] = [];
  const xray = await startXrayService({ daemonPort: 0, apiPort: 0, dataDir: path.join(root, 'xray'), logger: silentLogger });
  if (PROXY_ONLY) {
    const echo = await startEcho();
    try {
      await measureLambdaProxy(root, xray.daemon.address, echo.url, errors);
      if (errors.length > 0) console.log(`local cloud errors: ${errors.length}, first: ${errors[0] ?? ''}`);
    } finally {
      await echo.stop();
      await xray.stop();
      rmSync(root, { recursive: true, force: true });
    }
    return;
  }
  const cloud = await startLocalCloud({
    assemblyDir: ASSEMBLY,
    dataDir: path.join(root, 'cloud'),
    daemonAddress: xray.daemon.address,
    gatewayPort: 0,
    endpointPort: 0,
    logger: { info: () => {}, warn: () => {}, error: (line) => errors.push(line) },
  });
  const echo = await startEcho();
  try {
    const functions = cloud.started.functions;
    const consumer = functions.find((name) => name.split('-')[1]?.startsWith('SqsSubscribe'));
    if (functions.length !== 6 || consumer === undefined) throw new Error(`expected the pattern's six functions, got ${functions.join(', ')}`);
    const completion = new RequestCompletion(functions, consumer, SQS_DELAY_MILLIS);
    cloud.lambda.onInvocationDone((done) => completion.record(done));
    const stageUrl = (cloud.stageUrls[0] ?? '').replace(/\/$/, '');
    let failures = 0;

    const gatewayRequest = async (index: number): Promise<RequestTimes | undefined> => {
      const sentAt = clock();
      const status = await get(`${stageUrl}${PATHS[index % PATHS.length] ?? '/'}`);
      const answeredAt = clock();
      const traceId = /Root=([^;]+)/.exec(status?.traceHeader ?? '')?.[1];
      if (status?.code !== 200 || traceId === undefined) {
        failures += 1;
        return undefined;
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), REQUEST_TIMEOUT_MILLIS - (answeredAt - sentAt))));
      const times = await Promise.race([completion.expect(traceId, sentAt, answeredAt), timedOut]);
      clearTimeout(timer);
      if (times === undefined) {
        completion.abandon(traceId);
        failures += 1;
      }
      return times;
    };

    const warmupStart = clock();
    await closedLoop(WARMUP, CONCURRENCY, gatewayRequest);
    console.log(`warm-up: ${WARMUP} requests in ${ms(clock() - warmupStart)} (environments: ${functions.map((name) => cloud.lambda.environmentCount(name)).join(', ')})`);

    const echoStart = clock();
    const echoTimes = await measureEcho(echo.url, COUNT);
    const echoElapsed = clock() - echoStart;
    failures = 0;
    const stopProfile = await startProfile();
    const datagramsBefore = xray.stats().udp.received;
    const logLinesBefore = lineCount(cloud.logFile);
    const cpuBefore = cpuSnapshot();
    const gatewayStart = clock();
    const gatewayTimes = await closedLoop(COUNT, CONCURRENCY, gatewayRequest);
    const gatewayElapsed = clock() - gatewayStart;
    // Retries of failed HTTP flow events may still run: they count as CPU of the requests that caused them.
    await cloud.lambda.drain();
    const cpu = cpuBetween(cpuBefore, cpuSnapshot());
    const datagrams = xray.stats().udp.received - datagramsBefore;
    const logLines = lineCount(cloud.logFile) - logLinesBefore;
    const profileFile = await stopProfile();
    if (profileFile !== undefined) console.log(`CPU profile of the measured phase (this process's main thread): ${profileFile}`);
    const gatewayFailures = failures;
    console.log(`load average at end: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);

    const echoStats = stats(echoTimes);
    const doneStats = stats(gatewayTimes.map((times) => times.doneAfter));
    const answerStats = stats(gatewayTimes.map((times) => times.answeredAfter));
    console.log('');
    console.log('| measured | requests | done | p50 | p95 | max | elapsed |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(`| bare HTTP echo (node:http, 127.0.0.1) | ${COUNT} | ${echoTimes.length} | ${ms(echoStats.p50)} | ${ms(echoStats.p95)} | ${ms(echoStats.max)} | ${(echoElapsed / 1000).toFixed(2)} s |`);
    console.log(`| gateway answer (API Gateway -> SNS Publish) | ${COUNT} | ${gatewayTimes.length} | ${ms(answerStats.p50)} | ${ms(answerStats.p95)} | ${ms(answerStats.max)} | |`);
    console.log(`| all six functions done (consumer minus 1 s) | ${COUNT} | ${gatewayTimes.length} | ${ms(doneStats.p50)} | ${ms(doneStats.p95)} | ${ms(doneStats.max)} | ${(gatewayElapsed / 1000).toFixed(1)} s |`);
    console.log('');
    console.log('| function (first run) | started after sending, p50 | p95 | run (invocation + overhead), p50 | p95 | finished after sending, p50 | p95 |');
    console.log('|---|---|---|---|---|---|---|');
    for (const name of functions) {
      const of = (pick: (times: RequestTimes) => number | undefined): ReturnType<typeof stats> => stats(gatewayTimes.flatMap((times) => pick(times) ?? []));
      const started = of((times) => times.startedAfter.get(name));
      const finished = of((times) => times.finishedAfter.get(name));
      const run = of((times) => {
        const [start, end] = [times.startedAfter.get(name), times.finishedAfter.get(name)];
        return start === undefined || end === undefined ? undefined : end - start;
      });
      const label = (name.split('-')[1] ?? name).replace(/Function[0-9A-F]{8}$/, '');
      console.log(`| ${label}${name === consumer ? ' (minus 1 s)' : ''} | ${ms(started.p50)} | ${ms(started.p95)} | ${ms(run.p50)} | ${ms(run.p95)} | ${ms(finished.p50)} | ${ms(finished.p95)} |`);
    }
    console.log('');
    console.log('| process | CPU a request | share |');
    console.log('|---|---|---|');
    const cpuTotal = [...cpu.values()].reduce((sum, millis) => sum + millis, 0);
    for (const [name, millis] of [...cpu].sort((a, b) => b[1] - a[1])) {
      const label = name === 'self' ? 'local cloud + X-Ray service + client (one process)' : (name.split('-')[1] ?? name).replace(/Function[0-9A-F]{8}$/, '');
      console.log(`| ${label} | ${ms(millis / gatewayTimes.length)} | ${((100 * millis) / cpuTotal).toFixed(0)} % |`);
    }
    console.log(`| all | ${ms(cpuTotal / gatewayTimes.length)} | ${(cpuTotal / gatewayElapsed).toFixed(2)} cores busy on average |`);
    console.log('');
    const last = new Map<string, number>();
    for (const times of gatewayTimes) {
      const [name] = [...times.finishedAfter].reduce((latest, entry) => (entry[1] > latest[1] ? entry : latest));
      last.set(name, (last.get(name) ?? 0) + 1);
    }
    console.log(`finished last: ${[...last].sort((a, b) => b[1] - a[1]).map(([name, count]) => `${(name.split('-')[1] ?? name).replace(/Function[0-9A-F]{8}$/, '')} ${count}`).join(', ')}`);
    console.log(`a request (retries included): ${(datagrams / gatewayTimes.length).toFixed(1)} X-Ray datagrams, ${(logLines / gatewayTimes.length).toFixed(1)} function log lines`);
    console.log(`done p50 / echo p50: ${(doneStats.p50 / echoStats.p50).toFixed(1)}x; done p95 / echo p95: ${(doneStats.p95 / echoStats.p95).toFixed(1)}x`);
    console.log(`not done (failed or over ${REQUEST_TIMEOUT_MILLIS / 1000} s): ${gatewayFailures}; target p50 < 50 ms: ${doneStats.p50 < 50 ? 'met' : 'missed'}`);
    console.log('');
    console.log('Lambda proxy phase:');
    await measureLambdaProxy(root, xray.daemon.address, echo.url, errors);
    if (errors.length > 0) console.log(`local cloud errors: ${errors.length}, first: ${errors[0] ?? ''}`);
  } finally {
    await echo.stop();
    await cloud.stop();
    await xray.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
