/**
 * Where the CPU goes during a service blast: the sender process, and each thread of this process
 * (the receiving thread, the writer, the checkpointer), from /proc, for one run of `count` documents.
 *
 *   npx tsx bench/cpu-split.ts [count=150000] [rate=0]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../src/xray/log/logger.ts';
import { startXrayService } from '../src/xray/service.ts';
import type { SendOrder, SendReport } from './sender.ts';

const count = Number(process.argv[2] ?? 150_000);
const rate = Number(process.argv[3] ?? 0);

/** utime + stime in clock ticks (1/100 s) of each thread of a process, by thread name. */
function threadTicks(pid: number | 'self'): Map<string, number> {
  const result = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      result.set(`${name}#${tid}`, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return result;
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-cpu-split-'));
try {
  const service = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, logger: silentLogger, recvBufferBytes: 8 * 1024 * 1024 });
  const child = fork(new URL('./sender.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
  const before = threadTicks('self');
  const started = performance.now();
  const report = await new Promise<SendReport>((resolve) => {
    child.on('message', (message: { started?: number } & Partial<SendReport>) => {
      if (message.started === undefined) resolve(message as SendReport);
    });
    child.send({ host: '127.0.0.1', port: service.daemon.udp.port, count, rate, run: 7, epochSeconds: Math.floor(Date.now() / 1000) } satisfies SendOrder);
  });
  const senderTicks = [...threadTicks(child.pid as number).values()].reduce((a, b) => a + b, 0);
  // Let the writer catch up (nothing pending), then ask for summaries so that it refreshes them too.
  while (service.stats().store.pending > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  const response = await fetch(`${service.api.url}/TraceSummaries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ StartTime: 0, EndTime: 1 }) });
  if (!response.ok) throw new Error(`GetTraceSummaries answered ${response.status}`);
  const seconds = (performance.now() - started) / 1000;
  const after = threadTicks('self');
  const { udp, store } = service.stats();
  console.log(`sent ${report.sent} in ${(report.millis / 1000).toFixed(2)} s; received ${udp.received}, stored ${store.written}; ${seconds.toFixed(2)} s until stored and summarized`);
  console.log(`sender process: ${senderTicks / 100} s of CPU`);
  for (const [name, ticks] of after) {
    const used = ticks - (before.get(name) ?? 0);
    if (used > 0) console.log(`${name}: ${used / 100} s of CPU (${((used / 100 / udp.received) * 1e6).toFixed(1)} us a received document)`);
  }
  await service.stop();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
