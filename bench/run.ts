/**
 * `npm run bench`: UDP ingest throughput of the X-Ray service next to the raw ceiling, and the loss at
 * fixed offered rates. The sender is a child process; receivers run here. Every phase is bounded in
 * count and time. Results are printed as a table (bench/README.md has the write-up).
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../src/xray/log/logger.ts';
import { UdpReceiver } from '../src/xray/ingest/udp-receiver.ts';
import { validateDocument } from '../src/xray/segments/validate.ts';
import { startXrayService } from '../src/xray/service.ts';
import { SqliteTraceStore } from '../src/xray/store/index.ts';
import { startCeilingReceiver } from './ceiling.ts';
import { SUBSEGMENTS_PER_TRACE, traceIdOf } from './documents.ts';
import type { SendOrder, SendReport } from './sender.ts';

const HOST = '127.0.0.1';
const RECV_BUFFER_BYTES = 8 * 1024 * 1024;
const BLAST_COUNT = Number(process.env.BENCH_BLAST_COUNT ?? 150_000);
const FIXED_RATE_SECONDS = Number(process.env.BENCH_FIXED_SECONDS ?? 5);
/** Which phases to run, e.g. `ceiling,20k` for a quicker comparison; all by default. */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'ceiling,receive,service,20k,50k').split(','));
/**
 * `BENCH_NEIGHBOUR=1`: a process that only spins runs beside each service phase, as other work on a
 * shared machine does, so the loss under contention can be measured on purpose rather than by luck.
 */
const NEIGHBOUR = process.env.BENCH_NEIGHBOUR === '1';
/** The neighbour ends itself after this long should the bench die without stopping it. */
const NEIGHBOUR_MAX_SECONDS = 60;
/** A phase that has not finished by then is reported as it stands. */
const PHASE_TIMEOUT_MILLIS = 20_000;
/** The receiver counts as done once nothing changed for this long after the sender finished. */
const QUIET_MILLIS = 300;
/** With a settle step: the batch writer's flush interval, so a last partial batch is on its way. */
const SETTLE_QUIET_MILLIS = 60;

const wallClock = (): number => performance.timeOrigin + performance.now();
let run = Math.floor(Math.random() * 0xffffff);

interface SenderResult extends SendReport {
  readonly startedAt: number;
}

function startSender(order: Omit<SendOrder, 'run' | 'epochSeconds'>): { done: Promise<SenderResult>; runId: number; epochSeconds: number } {
  const runId = ++run;
  const epochSeconds = Math.floor(Date.now() / 1000);
  const child = fork(new URL('./sender.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
  const done = new Promise<SenderResult>((resolve, reject) => {
    let startedAt = 0;
    child.on('message', (message: { started?: number } & Partial<SendReport>) => {
      if (message.started !== undefined) startedAt = message.started;
      else resolve({ ...(message as SendReport), startedAt });
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`sender exited with ${code}`))));
  });
  child.send({ ...order, run: runId, epochSeconds } satisfies SendOrder);
  return { done, runId, epochSeconds };
}

/**
 * Polls a counter until the sender is done and the counter has been still for a while. With
 * `settle` (the service: summaries are deferred), the phase ends only once a call to it, made
 * after the last change, returned with the counter still unchanged, and `lastChangeAt` is when that
 * call returned: the documents are then stored and summarized.
 */
async function watch(
  count: () => number,
  sender: Promise<SenderResult>,
  settle?: () => Promise<void>,
): Promise<{ count: number; lastChangeAt: number; report: SenderResult }> {
  let report: SenderResult | undefined;
  void sender.then((r) => (report = r));
  let last = count();
  let lastChangeAt = wallClock();
  const deadline = wallClock() + PHASE_TIMEOUT_MILLIS;
  while (wallClock() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const now = count();
    if (now !== last) {
      last = now;
      lastChangeAt = wallClock();
    } else if (report && settle && wallClock() - lastChangeAt > SETTLE_QUIET_MILLIS) {
      await settle();
      if (count() === last) return { count: last, lastChangeAt: wallClock(), report };
    } else if (report && !settle && wallClock() - lastChangeAt > QUIET_MILLIS) break;
  }
  return { count: last, lastChangeAt, report: report ?? (await sender) };
}

interface PhaseResult {
  readonly name: string;
  readonly offered: string;
  readonly sent: number;
  /** Datagrams the receiver read off the socket; the rest the kernel dropped. */
  readonly received: number;
  /** Parsed (ceiling) or committed to SQLite (service). */
  readonly processed: number;
  /** Read back from the SQLite file after the service stopped. */
  readonly verified?: number;
  /** Accepted but dropped because the store fell too far behind. */
  readonly dropped?: number;
  readonly perSecond: number;
  readonly meanBytes: number;
}

async function ceilingBlast(): Promise<PhaseResult> {
  const receiver = await startCeilingReceiver(HOST, RECV_BUFFER_BYTES);
  console.log(`socket receive buffer: ${RECV_BUFFER_BYTES / 1024 / 1024} MiB asked, ${(receiver.recvBufferBytes / 1024 / 1024).toFixed(1)} MiB granted`);
  const sender = startSender({ host: HOST, port: receiver.port, count: BLAST_COUNT, rate: 0 });
  const { count, lastChangeAt, report } = await watch(() => receiver.count(), sender.done);
  await receiver.close();
  return {
    name: 'raw ceiling (dgram + JSON.parse)',
    offered: 'max',
    sent: report.sent,
    received: count,
    processed: count,
    perSecond: count / ((lastChangeAt - report.startedAt) / 1000),
    meanBytes: report.meanBytes,
  };
}

/** Where the time goes, part 2: the daemon's receiving thread (unwrap + validate) with no store behind it. */
async function receiverBlast(): Promise<PhaseResult> {
  let accepted = 0;
  const receiver = await UdpReceiver.start({
    host: HOST,
    port: 0,
    validate: validateDocument,
    sink: { add: () => void accepted++ },
    logger: silentLogger,
    recvBufferBytes: RECV_BUFFER_BYTES,
  });
  const sender = startSender({ host: HOST, port: receiver.address.port, count: BLAST_COUNT, rate: 0 });
  const { count, lastChangeAt, report } = await watch(() => accepted, sender.done);
  await receiver.shutdown();
  return {
    name: 'daemon receive + validate, no store',
    offered: 'max',
    sent: report.sent,
    received: receiver.stats().received,
    processed: count,
    perSecond: count / ((lastChangeAt - report.startedAt) / 1000),
    meanBytes: report.meanBytes,
  };
}

/** A child process that busy-loops until killed (or for NEIGHBOUR_MAX_SECONDS). */
function startNeighbour(): { stop(): void } {
  const child = spawn(process.execPath, ['-e', `const end = Date.now() + ${NEIGHBOUR_MAX_SECONDS * 1000}; while (Date.now() < end);`], { stdio: 'ignore' });
  return { stop: () => void child.kill() };
}

async function servicePhase(name: string, count: number, rate: number): Promise<PhaseResult & { verified: number }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-bench-'));
  const neighbour = NEIGHBOUR ? startNeighbour() : undefined;
  try {
    const service = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, logger: silentLogger, recvBufferBytes: RECV_BUFFER_BYTES });
    const sender = startSender({ host: HOST, port: service.daemon.udp.port, count, rate });
    // Asking for summaries makes the service refresh them first: the phase includes that work.
    const summarized = async (): Promise<void> => {
      const response = await fetch(`${service.api.url}/TraceSummaries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ StartTime: 0, EndTime: 1 }) });
      if (!response.ok) throw new Error(`GetTraceSummaries answered ${response.status}: ${await response.text()}`);
    };
    const { lastChangeAt, report } = await watch(() => service.stats().store.written, sender.done, summarized);
    await service.stop();
    const { store, udp } = service.stats();
    if (udp.rejected > 0) throw new Error(`the service rejected ${udp.rejected} documents: ${JSON.stringify(udp.rejectedByReason)}`);
    const verified = countStored(service.dataFile as string, sender.runId, sender.epochSeconds, report.sent);
    return {
      name,
      offered: rate === 0 ? 'max' : `${rate / 1000}K/s`,
      sent: report.sent,
      received: udp.received,
      processed: store.written,
      dropped: store.dropped,
      perSecond: store.written / ((lastChangeAt - report.startedAt) / 1000),
      meanBytes: report.meanBytes,
      verified,
    };
  } finally {
    neighbour?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Reads every trace of the run back from the SQLite file: documents stored, not just counted. */
function countStored(file: string, runId: number, epochSeconds: number, sent: number): number {
  const store = new SqliteTraceStore({ file });
  try {
    const ids: string[] = [];
    for (let n = 0; n < sent; n += SUBSEGMENTS_PER_TRACE) ids.push(traceIdOf(runId, n, epochSeconds));
    let stored = 0;
    for (let i = 0; i < ids.length; i += 500) {
      for (const trace of store.getTraces(ids.slice(i, i + 500))) stored += trace.segments.length;
    }
    return stored;
  } finally {
    store.close();
  }
}

const format = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`bench: ${BLAST_COUNT} Lambda subsegments per blast, fixed rates for ${FIXED_RATE_SECONDS} s, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}${NEIGHBOUR ? ', a busy-looping neighbour beside each service phase' : ''}`);
  const ceiling = PHASES.has('ceiling') ? await ceilingBlast() : undefined;
  const receiving = PHASES.has('receive') ? await receiverBlast() : undefined;
  const blast = PHASES.has('service') ? await servicePhase('X-Ray service (validate + SQLite)', BLAST_COUNT, 0) : undefined;
  const at20k = PHASES.has('20k') ? await servicePhase('X-Ray service at 20K/s', 20_000 * FIXED_RATE_SECONDS, 20_000) : undefined;
  const at50k = PHASES.has('50k') ? await servicePhase('X-Ray service at 50K/s', 50_000 * FIXED_RATE_SECONDS, 50_000) : undefined;
  const rows = [ceiling, receiving, blast, at20k, at50k].filter((row): row is PhaseResult => row !== undefined);
  console.log('');
  console.log('| phase | offered | sent | read off the socket | stored | read back | lost | docs/s |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const stored = row.verified === undefined ? '-' : `${format(row.processed)}${row.dropped ? ` (${format(row.dropped)} dropped)` : ''}`;
    const readBack = row.verified === undefined ? '-' : format(row.verified);
    const lost = row.sent - (row.verified ?? row.processed);
    console.log(`| ${row.name} | ${row.offered} | ${format(row.sent)} | ${format(row.received)} | ${stored} | ${readBack} | ${format(lost)} | ${format(row.perSecond)} |`);
  }
  console.log('');
  if (rows[0] !== undefined) console.log(`mean datagram ${rows[0].meanBytes} bytes; docs/s = documents parsed (ceiling), received and validated (receive + validate) or committed and summarized (service) per second from the first send to the last change (service: to when the summaries covered them)`);
  if (ceiling && receiving) console.log(`receive + validate / ceiling: ${(receiving.perSecond / ceiling.perSecond).toFixed(2)}x`);
  if (ceiling && blast) console.log(`service / ceiling: ${(blast.perSecond / ceiling.perSecond).toFixed(2)}x (target >= 0.5x); service max: ${format(blast.perSecond)} docs/s (target >= 50,000)`);
  if (at20k) console.log(`loss at 20K/s: ${format(at20k.sent - at20k.verified)} of ${format(at20k.sent)} (target 0)`);
  if (at50k) console.log(`loss at 50K/s: ${format(at50k.sent - at50k.verified)} of ${format(at50k.sent)}`);
  console.log(`bench took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
