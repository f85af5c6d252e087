/**
 * The writer's work alone, with the ingest bench's documents: `SqliteTraceStore.write()` in batches
 * of 1,000 pre-validated records, refreshed on the stream's own time (as if they arrived at `rate` a
 * second). Run with `node --cpu-prof --import tsx` to see where the writer's time goes.
 *
 *   npx tsx bench/store-only.ts [documents=200000] [rate=50000] [batch=1000]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { validateDocument } from '../src/xray/segments/validate.ts';
import { SqliteTraceStore } from '../src/xray/store/index.ts';
import type { SegmentRecord } from '../src/xray/store/types.ts';
import { lambdaSubsegment } from './documents.ts';

const total = Number(process.argv[2] ?? 200_000);
const rate = Number(process.argv[3] ?? 50_000);
const BATCH = Number(process.argv[4] ?? 1000);

/** Bytes this process wrote (WAL, checkpoints), per document; Linux only. */
function writtenBytes(): string {
  try {
    const line = readFileSync('/proc/self/io', 'utf8').split('\n').find((l) => l.startsWith('wchar:'));
    return line === undefined ? '' : `, ${Math.round(Number(line.slice(6)) / total)} bytes written a document`;
  } catch {
    return '';
  }
}

const epochSeconds = Math.floor(Date.now() / 1000);
const records: SegmentRecord[] = [];
for (let n = 0; n < total; n++) {
  const result = validateDocument(lambdaSubsegment(1, n, epochSeconds));
  if (!result.ok) throw new Error(result.message);
  records.push(result.record);
}
const folder = mkdtempSync(join(tmpdir(), 'xray-store-only-'));
try {
  let written = 0;
  const store = new SqliteTraceStore({ file: join(folder, 'traces.db'), nowMs: () => (written / rate) * 1000 });
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let at = 0; at < records.length; at += BATCH) {
    store.write(records.slice(at, at + BATCH));
    written += BATCH;
  }
  store.refreshSummaries();
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  store.close();
  console.log(`${total} documents: ${Math.round(total / seconds)} documents/s wall, ${((user + system) / total).toFixed(1)} us of CPU a document (all threads: GC helpers too)${writtenBytes()}`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
