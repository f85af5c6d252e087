/**
 * Measures how many Lambda-sized documents a second SqliteTraceStore.write() takes, in the
 * daemon's batch sizes. Not a unit test; run it by hand:
 *
 *   npx tsx test/xray/store/write-throughput.ts [documents=300000] [batch sizes=500,1000,2000] [window=3000] [rate=50000]
 *
 * Each trace is shaped like the pattern's DynamoDB flow (API Gateway segment, Lambda service and
 * function segments, three standalone subsegments, 0.3-1 KB each). Traces interleave: a trace's
 * documents are spread at random over a window of `window` documents, as concurrent invocations
 * arrive. With 3000 (60 ms at 50K documents/s) a trace meets 2-3 batches of 1000; with 50000
 * (a second) nearly every document lands in a batch of its own. Summaries are refreshed on the
 * store's schedule (every second of stream time at `rate` documents a second), so at 50000 a trace
 * is summarized once or twice.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateDocument } from '../../../src/xray/segments/validate.ts';
import { SqliteTraceStore } from '../../../src/xray/store/sqlite-store.ts';
import type { SegmentRecord } from '../../../src/xray/model/trace.ts';

const total = Number(process.argv[2] ?? 300_000);
const batchSizes = (process.argv[3] ?? '500,1000,2000').split(',').map(Number);
const WINDOW = Number(process.argv[4] ?? 3000);
/** Documents a second the stream stands for (the target rate). */
const RATE = Number(process.argv[5] ?? 50_000);

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0').slice(-width);
}

/** A seeded generator (mulberry32), so every run writes the same stream. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function traceDocuments(n: number, next: () => number): string[] {
  const epoch = 1_700_000_000 + Math.floor(n / 50);
  // Random like an SDK's, so index inserts land all over the b-trees as they do in real use.
  const traceId = `1-${hex(epoch, 8)}-${hex(Math.floor(next() * 2 ** 48), 12)}${hex(Math.floor(next() * 2 ** 48), 12)}`;
  const id = (k: number): string => hex(n * 8 + k, 16);
  const t = epoch + (n % 50) / 50;
  const path = `/prod/item-${n % 97}`;
  return [
    {
      name: 'xray-tracer-api/prod', id: id(0), trace_id: traceId, start_time: t, end_time: t + 0.09,
      origin: 'AWS::ApiGateway::Stage', resource_arn: 'arn:aws:apigateway:us-east-1::/restapis/abc123defg/stages/prod',
      http: { request: { method: 'GET', url: `https://abc123defg.execute-api.us-east-1.amazonaws.com${path}`, client_ip: '192.0.2.10', user_agent: 'k6/0.49.0 (https://k6.io/)', x_forwarded_for: true }, response: { status: 200, content_length: 42 } },
      annotations: { AWS_Request_Id: `9f8e7d6c-5b4a-3c2d-1e0f-${hex(n, 12)}` },
      subsegments: [{ id: id(1), name: 'SNS', start_time: t + 0.01, end_time: t + 0.08, namespace: 'aws', http: { response: { status: 200 } }, aws: { operation: 'Publish', region: 'us-east-1', topic_arn: 'arn:aws:sns:us-east-1:123456789012:fan-out', retries: 0, request_id: `${hex(n, 8)}-0000-4000-8000-000000000000` } }],
    },
    { name: 'dynamo-flow', id: id(2), trace_id: traceId, parent_id: id(1), start_time: t + 0.1, end_time: t + 0.3, origin: 'AWS::Lambda', http: { response: { status: 200 } }, aws: { account_id: '123456789012', request_id: `0a1b2c3d-4e5f-6a7b-8c9d-${hex(n, 12)}` } },
    {
      name: 'dynamo-flow', id: id(3), trace_id: traceId, parent_id: id(2), start_time: t + 0.12, end_time: t + 0.29, origin: 'AWS::Lambda::Function',
      resource_arn: 'arn:aws:lambda:us-east-1:123456789012:function:dynamo-flow', aws: { account_id: '123456789012' },
      subsegments: [{ id: id(7), name: 'Invocation', start_time: t + 0.121, end_time: t + 0.285 }],
    },
    { type: 'subsegment', id: id(4), trace_id: traceId, parent_id: id(3), name: '## index.handler', start_time: t + 0.125, end_time: t + 0.28, annotations: { ColdStart: n % 20 === 0, Service: 'dynamo-flow' }, aws: { xray: { sdk: 'X-Ray for Node.js', sdk_version: '3.12.0', package: 'aws-xray-sdk' } } },
    { type: 'subsegment', id: id(5), trace_id: traceId, parent_id: id(4), name: 'DynamoDB Query', start_time: t + 0.13, end_time: t + 0.27, annotations: { path }, metadata: { default: { event: { Records: [{ EventSource: 'aws:sns', Sns: { Type: 'Notification', TopicArn: 'arn:aws:sns:us-east-1:123456789012:fan-out', Message: path, Timestamp: '2023-11-14T22:13:20.000Z' } }] } } } },
    { type: 'subsegment', id: id(6), trace_id: traceId, parent_id: id(5), name: 'DynamoDB', start_time: t + 0.14, end_time: t + 0.26, namespace: 'aws', http: { response: { status: 200, content_length: 34 } }, aws: { operation: 'UpdateItem', region: 'us-east-1', request_id: `R1QK0S2V5N8M3L4J6H7G9F0D1S2A3P4O${hex(n, 16)}`, retries: 0, table_name: 'Hits', resource_names: ['Hits'] } },
  ].map((doc) => JSON.stringify(doc));
}

function buildStream(count: number): SegmentRecord[] {
  const next = random(42);
  const placed: Array<{ at: number; text: string }> = [];
  for (let n = 0; placed.length < count; n++) {
    for (const text of traceDocuments(n, next)) placed.push({ at: n * 6 + next() * WINDOW, text });
  }
  placed.sort((a, b) => a.at - b.at);
  const started = performance.now();
  const records = placed.slice(0, count).map(({ text }) => {
    const result = validateDocument(text);
    if (!result.ok) throw new Error(result.message);
    return result.record;
  });
  const seconds = (performance.now() - started) / 1000;
  const bytes = records.reduce((sum, r) => sum + r.document.length, 0);
  console.log(`stream: ${count} documents, ${Math.round(bytes / count)} bytes on average, window ${WINDOW}; validateDocument: ${Math.round(count / seconds)} documents/s`);
  return records;
}

const records = buildStream(total);
const folder = mkdtempSync(join(tmpdir(), 'xray-write-throughput-'));
try {
  for (const size of batchSizes) {
    const file = join(folder, `batch-${size}.db`);
    // Refreshes are scheduled by time: a clock that reads the stream's own time (documents written
    // at RATE a second) makes them fall as they would at that rate, however fast this machine runs.
    let written = 0;
    const store = new SqliteTraceStore({ file, nowMs: () => (written / RATE) * 1000 });
    let touches = 0;
    for (let at = 0; at < records.length; at += size) touches += new Set(records.slice(at, at + size).map((r) => r.traceId)).size;
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let at = 0; at < records.length; at += size) {
      store.write(records.slice(at, at + size));
      written += size;
    }
    // Summaries are deferred: the time counts until they cover every write.
    store.refreshSummaries();
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const cpuSeconds = (user + system) / 1e6;
    store.close();
    const megabytes = (statSync(file).size / 1e6).toFixed(0);
    // Wall time suffers when other processes share the cores; CPU time says what one core can do.
    console.log(`batches of ${size}: ${Math.round(records.length / seconds)} documents/s wall (${seconds.toFixed(2)} s), `
      + `${Math.round(records.length / cpuSeconds)} documents per CPU second (${cpuSeconds.toFixed(2)} s), `
      + `${(touches / records.length).toFixed(2)} trace touches a document (batches meeting a trace), ${megabytes} MB file`);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
