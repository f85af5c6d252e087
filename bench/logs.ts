/**
 * FilterLogEvents for one trace id over 1M stored log events (`npm run bench:logs`).
 *
 *   npx tsx bench/logs.ts [events=1000000] [runs=30]
 *
 * One group, `/aws/lambda/bench`, 100 streams; each invocation writes START, three Powertools
 * JSON lines carrying `xray_trace_id`, END and REPORT (with `XRAY TraceId:`), i.e. 6 events a
 * trace, written through the store's `append` as Lambda writes them. Then, on random traces of
 * the store, each run times the whole first page of FilterLogEvents (pattern compiled, lines read
 * and matched) for: the trace id as a quoted term, as a JSON equality on `$.xray_trace_id`, and,
 * for comparison, a term that no index helps (a full scan, bounded per page at 200,000 events).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { filterLogEvents } from '../src/cloud/logs/filter-events.ts';
import { LogStore } from '../src/cloud/logs/store.ts';

const TARGET_EVENTS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 30);
const GROUP = '/aws/lambda/bench';
const LINES_PER_TRACE = 6;

function traceId(n: number): string {
  return `1-${(0x67500000 + Math.floor(n / 10)).toString(16)}-${n.toString(16).padStart(24, '0')}`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const dir = mkdtempSync(path.join(tmpdir(), 'bench-logs-'));
const file = path.join(dir, 'logs.db');
const store = new LogStore({ file });
try {
  const traces = Math.ceil(TARGET_EVENTS / LINES_PER_TRACE);
  const startMs = Date.UTC(2026, 11, 1);
  const writeStart = performance.now();
  for (let t = 0; t < traces; t++) {
    const id = traceId(t);
    const at = startMs + t * 10;
    const requestId = `${t.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    const json = (level: string, message: string, extra: string): string =>
      `{"level":"${level}","message":"${message}","timestamp":"${new Date(at).toISOString()}","service":"bench","xray_trace_id":"${id}"${extra}}`;
    store.append(GROUP, `2026/12/01/[$LATEST]${(t % 100).toString(16).padStart(32, '0')}`, [
      { timestampMs: at, message: `START RequestId: ${requestId} Version: $LATEST`, traceId: id },
      { timestampMs: at + 1, message: json('INFO', 'received', `,"path":"/p${t % 8}"`), traceId: id },
      { timestampMs: at + 2, message: json(t % 10 === 0 ? 'ERROR' : 'INFO', t % 10 === 0 ? 'SSL Cert Exception' : 'called', `,"status":${t % 10 === 0 ? 500 : 200}`), traceId: id },
      { timestampMs: at + 3, message: json('INFO', 'done', ''), traceId: id },
      { timestampMs: at + 4, message: `END RequestId: ${requestId}`, traceId: id },
      { timestampMs: at + 5, message: `REPORT RequestId: ${requestId}\tDuration: 3.00 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tXRAY TraceId: ${id} SegmentId: 0000000000000000 Sampled: true`, traceId: id },
    ], { createStream: true });
  }
  const writeSeconds = (performance.now() - writeStart) / 1000;
  const events = traces * LINES_PER_TRACE;
  const bytes = statSync(file).size + (() => { try { return statSync(`${file}-wal`).size; } catch { return 0; } })();
  console.log(`wrote ${events.toLocaleString('en')} events (${traces.toLocaleString('en')} traces) in ${writeSeconds.toFixed(1)} s (${Math.round(events / writeSeconds).toLocaleString('en')} events/s), ${(bytes / 1e6).toFixed(0)} MB; load ${os.loadavg()[0]?.toFixed(1)}`);

  const cases: Array<{ name: string; pattern: (id: string) => string; expected: number }> = [
    { name: 'quoted trace id term', pattern: (id) => `"${id}"`, expected: 4 },
    { name: 'JSON $.xray_trace_id equality', pattern: (id) => `{ $.xray_trace_id = "${id}" }`, expected: 3 },
    { name: 'trace id and ERROR', pattern: (id) => `"${id}" ERROR`, expected: -1 },
  ];
  console.log('| pattern | runs | events found | p50 ms | p95 ms | max ms |');
  console.log('|---|---|---|---|---|---|');
  for (const benchCase of cases) {
    const times: number[] = [];
    let found = 0;
    for (let run = 0; run < RUNS; run++) {
      const id = traceId(Math.floor(Math.random() * traces));
      const t0 = performance.now();
      const page = filterLogEvents(store, { groupName: GROUP, pattern: benchCase.pattern(id) });
      times.push(performance.now() - t0);
      found = page.events.length;
      if (benchCase.expected >= 0 && found !== benchCase.expected) throw new Error(`${benchCase.name}: found ${found}, expected ${benchCase.expected}`);
    }
    console.log(`| ${benchCase.name} | ${RUNS} | ${found} | ${percentile(times, 50).toFixed(2)} | ${percentile(times, 95).toFixed(2)} | ${Math.max(...times).toFixed(2)} |`);
  }
  // No index helps a term that is not a trace id: one page reads up to 200,000 events.
  const t0 = performance.now();
  const page = filterLogEvents(store, { groupName: GROUP, pattern: '"SSL Cert Exception"', limit: 10_000 });
  console.log(`| "SSL Cert Exception" (scan, first page) | 1 | ${page.events.length} | ${(performance.now() - t0).toFixed(2)} | - | - |`);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
