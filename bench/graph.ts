/**
 * GetServiceGraph over a one-hour window that holds 1M segment documents, next to a full
 * recompute (re-reading and re-walking every document of the window) measured in the same run.
 *
 *   npx tsx bench/graph.ts [documents=1000000] [graph runs=50]
 *
 * The documents are the pattern's request (test/xray/graph/pattern-traces.ts: API stage, the four
 * Lambda flows, DynamoDB, a remote host that fails 40% of the time, the second SNS topic, the SQS
 * queue; 24 documents a trace), spread evenly over one hour and written straight into a
 * SqliteTraceStore in batches of 1,000, as the writer thread would. Every phase is bounded: writing
 * stops after WRITE_SECONDS, recomputes after RECOMPUTE_SECONDS (at least one runs).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { getServiceGraph } from '../src/xray/api/graph.ts';
import { servicesJson, type ServiceJson } from '../src/xray/api/graph-json.ts';
import { AggregateAccumulator, contributionOfTrace, toServiceGraph, type GraphDocument } from '../src/xray/graph/index.ts';
import { SqliteTraceStore, type SegmentRecord } from '../src/xray/store/index.ts';
import { patternTrace } from '../test/xray/graph/pattern-traces.ts';

const TARGET_DOCUMENTS = Number(process.argv[2] ?? 1_000_000);
const GRAPH_RUNS = Number(process.argv[3] ?? 50);
const WRITE_SECONDS = 600;
const RECOMPUTE_SECONDS = 120;
const BATCH = 1000;
const HOUR = 3600;
/** A whole hour from a minute boundary. */
const H0 = 1_750_003_200;
const DOCUMENTS_PER_TRACE = patternTrace(0, H0).documents.length;

function recordOf(doc: Record<string, unknown>): SegmentRecord {
  const inProgress = doc['in_progress'] === true;
  return {
    traceId: doc['trace_id'] as string,
    id: doc['id'] as string,
    parentId: doc['parent_id'] as string | undefined,
    type: doc['type'] === 'subsegment' ? 'subsegment' : 'segment',
    name: doc['name'] as string,
    startTime: doc['start_time'] as number,
    endTime: inProgress ? undefined : (doc['end_time'] as number),
    inProgress,
    document: JSON.stringify(doc),
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** Reads every document of the traces in the window and builds the graph from scratch. */
function fullRecompute(file: string, window: { startTime: number; endTime: number }): ServiceJson[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare(`
      SELECT d.trace_seq AS seq, d.document FROM documents d JOIN traces t ON t.seq = d.trace_seq
      WHERE t.end_time >= ? AND t.start_time < ? ORDER BY d.trace_seq`).iterate(window.startTime, window.endTime) as IterableIterator<{ seq: number; document: string }>;
    const sum = new AggregateAccumulator();
    let trace: GraphDocument[] = [];
    let current = -1;
    for (const row of rows) {
      if (row.seq !== current && trace.length > 0) {
        sum.add(contributionOfTrace(trace));
        trace = [];
      }
      current = row.seq;
      trace.push(JSON.parse(row.document) as GraphDocument);
    }
    if (trace.length > 0) sum.add(contributionOfTrace(trace));
    return servicesJson(toServiceGraph(sum.aggregate, window));
  } finally {
    db.close();
  }
}

/** The graph without its start and end times, which difference updates keep as bounds. */
function statistics(services: readonly ServiceJson[]): unknown {
  return services.map(({ StartTime: _s, EndTime: _e, Edges, ...rest }) => ({ ...rest, Edges: Edges.map(({ StartTime: _a, EndTime: _b, ...edge }) => edge) }));
}

async function main(): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), 'xray-graph-bench-'));
  const file = path.join(folder, 'traces.db');
  try {
    const traceCount = Math.ceil(TARGET_DOCUMENTS / DOCUMENTS_PER_TRACE);
    console.log(`graph bench: ${traceCount} pattern traces (${DOCUMENTS_PER_TRACE} documents each) over one hour; ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}`);
    const store = new SqliteTraceStore({ file });
    const started = performance.now();
    let documents = 0;
    let batch: SegmentRecord[] = [];
    let n = 0;
    for (; n < traceCount && performance.now() - started < WRITE_SECONDS * 1000; n++) {
      const trace = patternTrace(n + 1, H0 + (n * HOUR) / traceCount, { httpFaults: n % 5 < 2, dynamoThrottled: n % 50 === 0 });
      for (const doc of trace.documents) batch.push(recordOf(doc));
      if (batch.length >= BATCH) {
        store.write(batch);
        documents += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) store.write(batch);
    documents += batch.length;
    store.refreshSummaries();
    const writeSeconds = (performance.now() - started) / 1000;
    console.log(`wrote ${documents.toLocaleString('en-US')} documents of ${n.toLocaleString('en-US')} traces in ${writeSeconds.toFixed(1)} s `
      + `(${Math.round(documents / writeSeconds).toLocaleString('en-US')} documents/s, summaries and graph included); file ${(statSync(file).size / 1e6).toFixed(0)} MB`);

    const window = { startTime: H0, endTime: H0 + HOUR };
    const handler = getServiceGraph({ graph: store });
    const graphTimes: number[] = [];
    let fromAggregates: ServiceJson[] = [];
    for (let run = 0; run < GRAPH_RUNS; run++) {
      const t0 = performance.now();
      const answer = (await handler({ StartTime: window.startTime, EndTime: window.endTime })) as { Services: ServiceJson[] };
      graphTimes.push(performance.now() - t0);
      fromAggregates = answer.Services;
    }
    store.close();

    const recomputeTimes: number[] = [];
    let recomputed: ServiceJson[] = [];
    const recomputeStarted = performance.now();
    do {
      const t0 = performance.now();
      recomputed = fullRecompute(file, window);
      recomputeTimes.push(performance.now() - t0);
    } while (recomputeTimes.length < 5 && performance.now() - recomputeStarted < RECOMPUTE_SECONDS * 1000);

    const agree = JSON.stringify(statistics(fromAggregates)) === JSON.stringify(statistics(recomputed));
    const exact = JSON.stringify(fromAggregates) === JSON.stringify(recomputed);
    const requests = fromAggregates.filter((s) => s.Type === 'client').reduce((sum, s) => sum + s.SummaryStatistics.TotalCount, 0);
    console.log('');
    console.log('| GetServiceGraph, one hour | runs | p50 | p90 |');
    console.log('|---|---|---|---|');
    console.log(`| from per-minute aggregates | ${graphTimes.length} | ${percentile(graphTimes, 0.5).toFixed(1)} ms | ${percentile(graphTimes, 0.9).toFixed(1)} ms |`);
    console.log(`| full recompute from the documents | ${recomputeTimes.length} | ${percentile(recomputeTimes, 0.5).toFixed(0)} ms | ${percentile(recomputeTimes, 0.9).toFixed(0)} ms |`);
    console.log('');
    console.log(`${fromAggregates.length} services, ${requests.toLocaleString('en-US')} requests in the window; `
      + `statistics and histograms ${agree ? 'equal' : 'DIFFER from'} the full recompute; start and end times ${exact ? 'equal too' : 'are bounds (differ)'}`);
    console.log(`target: p50 under 500 ms; speed-up over the recompute: ${(percentile(recomputeTimes, 0.5) / percentile(graphTimes, 0.5)).toFixed(0)}x`);
    if (!agree) process.exitCode = 1;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
