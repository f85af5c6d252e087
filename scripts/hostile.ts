/**
 * Sends seeded hostile inputs to every listener of a running `npm start` and reports, per listener,
 * the answers by status class, resets, closes and hangs, and whether the listener and the process
 * still work afterwards. The last line is `hostile: N inputs, D deaths, F 5xx, H hung`; the exit
 * code is 1 when any of those is non-zero. Every 5xx and hang is listed with its case index:
 * `--replay LISTENER:INDEX` (with the same --seed) sends that one input again and shows the answer.
 *
 *   npx tsx scripts/hostile.ts [--count N] [--seed S] [--pid PID] [--only gateway,otlp] [--json]
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { isSlow } from './hostile/cases.ts';
import { caseFuzz, LISTENER_NAMES, type Listener, type ListenerName } from './hostile/listener.ts';
import { daemonTcpListener } from './hostile/listeners/daemon-tcp.ts';
import { daemonUdpListener } from './hostile/listeners/daemon-udp.ts';
import { endpointListener } from './hostile/listeners/endpoint.ts';
import { otlpListener } from './hostile/listeners/otlp.ts';
import { gatewayListener, httpsTargetListener } from './hostile/listeners/web.ts';
import { xrayApiListener } from './hostile/listeners/xray-api.ts';
import { describeListener, failed, summaryLine, totalsOf } from './hostile/report.ts';
import { deadlineOf, runListener, type ListenerReport } from './hostile/run.ts';
import { sendStream, type Address } from './hostile/send.ts';
import { httpRequestBytes } from './hostile/http-bytes.ts';
import { parseUpLog } from './hostile/up-log.ts';

interface Flags {
  count: number;
  seed: number;
  gateway: string;
  endpoint: string;
  xray: string;
  daemon: string;
  otlp: string;
  httpsTarget?: string;
  upLog?: string;
  region: string;
  timeoutMs: number;
  serverTimeoutMs: number;
  concurrency: number;
  slowConcurrency: number;
  maxHangs: number;
  settleMs: number;
  pid?: number;
  only?: string;
  replay?: string;
  list?: string;
  json?: boolean;
}

const whole = (name: string, min = 0) => (value: string): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
  return number;
};

const program: Command = new Command('hostile')
  .description('send seeded hostile inputs to every listener of a running npm start and count 5xx answers, hangs and deaths')
  .option('--count <n>', 'hostile inputs per listener', whole('--count', 1), 10_000)
  .option('--seed <s>', 'seed of the inputs (a case is replayed with the same seed)', whole('--seed'), 1)
  .option('--gateway <url>', 'the gateway stage', 'http://127.0.0.1:3000/prod')
  .option('--endpoint <url>', 'the AWS endpoint (SNS, SQS, DynamoDB)', 'http://127.0.0.1:4566')
  .option('--xray <url>', 'the X-Ray API (and console)', 'http://127.0.0.1:2001')
  .option('--daemon <host:port>', 'the X-Ray daemon, UDP and TCP', '127.0.0.1:2000')
  .option('--otlp <url>', 'the OTLP/HTTP trace receiver', 'http://127.0.0.1:4318/v1/traces')
  .option('--https-target <url>', 'the HTTPS target, on a port picked at start (npm start prints it as `target`); without it, not run')
  .option('--up-log <file>', "npm start's output (npm start | tee up.log): every address it prints, the HTTPS target's too; flags given win")
  .option('--region <region>', 'the region SigV4 signs for', 'us-east-1')
  .option('--timeout-ms <ms>', 'how long an answer may take once a request is sent; none by then is a hang', whole('--timeout-ms', 1), 10_000)
  .option('--server-timeout-ms <ms>', "the listeners' own request timeout: a request that never completes may wait this long more", whole('--server-timeout-ms'), 30_000)
  .option('--concurrency <n>', 'requests in flight per listener', whole('--concurrency', 1), 16)
  .option('--slow-concurrency <n>', 'slow requests (trickled, stalled) in flight beside those', whole('--slow-concurrency', 1), 64)
  .option('--max-hangs <n>', "stop a listener's run after this many hangs", whole('--max-hangs', 1), 200)
  .option('--settle-ms <ms>', 'how long to wait for a listener that does not answer (frozen by an earlier input) before and after its run', whole('--settle-ms'), 60_000)
  .option('--pid <pid>', 'the npm start process, to check that it stays alive', whole('--pid', 1))
  .option('--only <listeners>', `some of: ${LISTENER_NAMES.join(', ')}`)
  .option('--replay <listener:index>', 'send one case again and show its answer')
  .option('--list <listener:from-to>', 'print the cases (class and what each is) without sending them')
  .option('--json', 'print the report as JSON (the summary line goes to stderr)')
  .parse();

const flags = program.opts<Flags>();
if (flags.upLog !== undefined) {
  const printed = parseUpLog(readFileSync(flags.upLog, 'utf8'));
  for (const [key, value] of Object.entries(printed)) {
    if (value !== undefined && program.getOptionValueSource(key) !== 'cli') (flags as unknown as Record<string, string>)[key] = value;
  }
}
const nowSeconds = Math.floor(Date.now() / 1000);
const daemonAddress = parseAddress(flags.daemon);

function parseAddress(text: string): Address {
  const at = text.lastIndexOf(':');
  const port = Number(text.slice(at + 1));
  if (at < 0 || !Number.isInteger(port)) program.error(`error: --daemon must be host:port, got ${JSON.stringify(text)}`, { exitCode: 2 });
  return { host: text.slice(0, at), port };
}

function processAlive(): boolean | undefined {
  if (flags.pid === undefined) return undefined;
  try {
    process.kill(flags.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // An ended process not yet reaped still takes signals: its state is Z.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${flags.pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** A process seen failing may still be ending: wait a little for it before calling it alive. */
async function settledAlive(): Promise<boolean | undefined> {
  for (let waited = 0; waited < 5000 && processAlive() === true; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
  return processAlive();
}

async function makeListener(name: ListenerName): Promise<Listener | string> {
  const { timeoutMs } = flags;
  switch (name) {
    case 'gateway':
      return gatewayListener({ url: flags.gateway, timeoutMs });
    case 'endpoint':
      return endpointListener({ url: flags.endpoint, region: flags.region, timeoutMs });
    case 'xray-api':
      return xrayApiListener({ url: flags.xray, nowSeconds, timeoutMs });
    case 'daemon-tcp':
      return daemonTcpListener({ address: daemonAddress, nowSeconds, timeoutMs });
    case 'daemon-udp':
      return daemonUdpListener({ address: daemonAddress, xrayApiUrl: flags.xray, nowSeconds, timeoutMs });
    case 'otlp':
      return otlpListener({ url: flags.otlp, nowSeconds, timeoutMs });
    case 'https-target': {
      const url = flags.httpsTarget;
      return url === undefined ? 'not run: its port is picked at start; pass --https-target or --up-log (npm start prints it as `target`)' : httpsTargetListener({ url, timeoutMs });
    }
  }
}

/** The daemon answers on TCP: the UDP run's sign of life. */
async function daemonAnswers(): Promise<boolean> {
  const bytes = httpRequestBytes({ method: 'POST', target: '/GetSamplingRules', host: flags.daemon, headers: [['Content-Type', 'application/json']], body: '{}' });
  const outcome = await sendStream(daemonAddress, { transport: 'tcp', inputClass: 'wrong-value', label: 'probe', bytes, delivery: { kind: 'whole' } }, flags.timeoutMs);
  return outcome.kind === 'answered';
}

function replayCommand(listener: string, index: number): string {
  return `--replay ${listener}:${index}${flags.seed === 1 ? '' : ` --seed ${flags.seed}`}`;
}

function selected(): ListenerName[] {
  if (flags.only === undefined) return [...LISTENER_NAMES];
  const names = flags.only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(LISTENER_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) program.error(`error: --only takes ${LISTENER_NAMES.join(', ')}; not ${unknown.join(', ')}`, { exitCode: 2 });
  return names as ListenerName[];
}

async function replay(spec: string): Promise<void> {
  const [name, indexText] = spec.split(':');
  const index = Number(indexText);
  if (!(LISTENER_NAMES as readonly string[]).includes(name ?? '') || !Number.isInteger(index) || index < 0) {
    program.error(`error: --replay takes LISTENER:INDEX with a listener of ${LISTENER_NAMES.join(', ')}`, { exitCode: 2 });
  }
  const listener = await makeListener(name as ListenerName);
  if (typeof listener === 'string') program.error(`error: ${name}: ${listener}`, { exitCode: 2 });
  await listener.prepare?.();
  const hostile = await listener.caseAt(caseFuzz(flags.seed, listener.name, index), index);
  const head = hostile.bytes.subarray(0, 600).toString('latin1').replace(/[^\x20-\x7e\r\n]/g, (char: string) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
  console.log(`${listener.name} case ${index} (seed ${flags.seed}): [${hostile.inputClass}] ${hostile.label}`);
  console.log(`${hostile.transport}, ${hostile.bytes.length} bytes${hostile.transport === 'udp' ? '' : `, delivered ${hostile.delivery.kind}`}; the first 600:`);
  console.log(head);
  if (hostile.transport === 'udp') {
    const { DatagramSender } = await import('./hostile/send.ts');
    const sender = new DatagramSender(listener.address);
    console.log(`sent: ${JSON.stringify(await sender.send(hostile.bytes))}`);
    sender.close();
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } else {
    const deadline = deadlineOf(hostile, flags);
    const started = Date.now();
    const outcome = await sendStream(listener.address, hostile, deadline, true);
    console.log(`--- ${outcome.kind === 'answered' ? `answered ${outcome.status}` : outcome.kind} after ${Date.now() - started} ms${isSlow(hostile) ? ` (deadline ${deadline} ms)` : ''}`);
    if (outcome.kind === 'answered') console.log(outcome.text);
  }
  const liveness = await listener.liveness();
  const alive = processAlive();
  console.log(`--- after: ${liveness.ok ? 'ok' : 'FAILED'}: ${liveness.detail}; process ${alive === undefined ? 'not checked (no --pid)' : alive ? 'alive' : 'GONE'}`);
}

async function list(spec: string): Promise<void> {
  const match = /^([a-z-]+)(?::(\d+)-(\d+))?$/.exec(spec);
  const name = match?.[1] ?? '';
  if (match === null || !(LISTENER_NAMES as readonly string[]).includes(name)) program.error(`error: --list takes LISTENER[:FROM-TO]`, { exitCode: 2 });
  const listener = await makeListener(name as ListenerName);
  if (typeof listener === 'string') program.error(`error: ${name}: ${listener}`, { exitCode: 2 });
  const from = Number(match[2] ?? 0);
  const to = Number(match[3] ?? flags.count - 1);
  for (let index = from; index <= to; index++) {
    const hostile = await listener.caseAt(caseFuzz(flags.seed, listener.name, index), index);
    console.log(`#${index} [${hostile.inputClass}] ${hostile.label}`);
  }
}

async function main(): Promise<void> {
  if (flags.replay !== undefined) return replay(flags.replay);
  if (flags.list !== undefined) return list(flags.list);
  const reports: ListenerReport[] = [];
  const skipped: string[] = [];
  let dead = false;
  for (const name of selected()) {
    if (dead) {
      skipped.push(`${name}: not run, the process died before`);
      continue;
    }
    const listener = await makeListener(name);
    if (typeof listener === 'string') {
      skipped.push(`${name}: ${listener}`);
      continue;
    }
    if (!flags.json) process.stderr.write(`${name}: sending ${flags.count} inputs to ${listener.where}...\n`);
    const report = await runListener(listener, {
      // Datagrams one at a time, so a death is placed within the few sent since the last probe.
      seed: flags.seed, count: flags.count, concurrency: name === 'daemon-udp' ? 1 : flags.concurrency, slowConcurrency: flags.slowConcurrency, timeoutMs: flags.timeoutMs,
      serverTimeoutMs: flags.serverTimeoutMs, maxHangs: flags.maxHangs, settleMs: flags.settleMs, processAlive,
      ...(name === 'daemon-udp' ? { probe: daemonAnswers, probeEvery: 10 } : {}),
    });
    if (report.died !== undefined && report.processAlive === true) report.processAlive = await settledAlive();
    reports.push(report);
    dead = report.died !== undefined && report.processAlive !== true;
    if (!flags.json) {
      for (const line of describeListener(report, replayCommand)) console.log(line);
      const window = report.died?.between;
      if (window !== undefined) {
        console.log(`  the cases sent in that window (replay each against a restarted system to find the one):`);
        for (let index = window[0]; index <= window[1]; index++) {
          const hostile = await listener.caseAt(caseFuzz(flags.seed, listener.name, index), index);
          console.log(`    #${index} [${hostile.inputClass}] ${hostile.label}`);
        }
      }
      console.log('');
    }
  }
  const totals = totalsOf(reports);
  if (flags.json) {
    console.log(JSON.stringify({
      seed: flags.seed, count: flags.count, totals, skipped,
      listeners: reports.map((report) => ({
        name: report.name, where: report.where, inputs: report.tally.sent, elapsedMs: report.elapsedMs, counts: Object.fromEntries(report.tally.counts),
        byClass: Object.fromEntries([...report.tally.byClass].map(([inputClass, map]) => [inputClass, Object.fromEntries(map)])),
        failures: report.tally.failures, failureCount: report.tally.failureCount, note: report.note, stoppedEarly: report.stoppedEarly, died: report.died,
        liveness: report.liveness, processAlive: report.processAlive,
      })),
    }, null, 2));
  } else {
    for (const line of skipped) console.log(line);
    if (totals.notLive > 0) console.log(`${totals.notLive} listener(s) failed the check after their run (see "after the run" above)`);
  }
  const line = summaryLine(totals);
  if (flags.json) console.error(line);
  else console.log(line);
  process.exitCode = failed(totals) || totals.notLive > 0 ? 1 : 0;
}

await main();
