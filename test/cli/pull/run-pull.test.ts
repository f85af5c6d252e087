import { BatchGetTracesCommand, GetServiceGraphCommand, GetTraceSummariesCommand, type XRayClient } from '@aws-sdk/client-xray';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentProgress, type Progress } from '../../../src/cli/progress.ts';
import { runPull, type PullFlags } from '../../../src/cli/pull/index.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { patternTrace } from '../../xray/graph/pattern-traces.ts';
import { capture, clientOf, freePort, putDocuments, startService } from '../support/xray-service.ts';

const NOW = 1_750_000_000;
const REQUESTS = 12;
let source: XrayService;
let sourceClient: XRayClient;
const patternIds: string[] = [];
const faultedIds: string[] = [];
const BIG_TRACE = '1-684ee0e8-00000000000000000000b16b';

beforeAll(async () => {
  source = await startService(NOW);
  sourceClient = clientOf(source);
  const documents: object[] = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const trace = patternTrace(i + 1, NOW - 600 + i * 20, { httpFaults: i % 3 === 0 });
    patternIds.push(trace.traceId);
    if (i % 3 === 0) faultedIds.push(trace.traceId);
    documents.push(...trace.documents);
  }
  await putDocuments(source, documents);
  // A segment whose 40 standalone subsegments, folded into it by BatchGetTraces, make a document over 64 KB.
  const big = { name: 'busy-service', id: 'b16b000000000001', trace_id: BIG_TRACE, start_time: NOW - 300, end_time: NOW - 299 };
  const subsegments = Array.from({ length: 40 }, (_, i) => ({
    type: 'subsegment', trace_id: BIG_TRACE, parent_id: big.id, id: `b16b1${i.toString(16).padStart(11, '0')}`, name: `step ${i}`,
    start_time: NOW - 300 + i / 100, end_time: NOW - 300 + i / 100 + 0.005, metadata: { default: { payload: 'p'.repeat(2500) } },
  }));
  await putDocuments(source, [big, ...subsegments]);
});

afterAll(async () => {
  sourceClient.destroy();
  await source.stop();
});

/** A fresh local service to pull into, and the pull run against it. */
async function pullInto(flags: PullFlags, progress: Progress = silentProgress) {
  const target = await startService(NOW);
  const run = await capture(NOW, (output) => runPull({ sourceEndpoint: source.api.url, endpoint: target.api.url, ...flags }, output, progress));
  return { target, run };
}

async function tracesOf(client: XRayClient, ids: readonly string[]): Promise<Map<string, unknown>> {
  const traces = new Map<string, unknown>();
  for (let at = 0; at < ids.length; at += 5) {
    const page = await client.send(new BatchGetTracesCommand({ TraceIds: ids.slice(at, at + 5) }));
    for (const trace of page.Traces ?? []) {
      const segments = (trace.Segments ?? []).map((segment) => JSON.parse(segment.Document ?? '{}') as { id: string }).sort((a, b) => a.id.localeCompare(b.id));
      traces.set(trace.Id ?? '', { duration: trace.Duration, segments });
    }
  }
  return traces;
}

async function graphOf(client: XRayClient): Promise<unknown> {
  const graph = await client.send(new GetServiceGraphCommand({ StartTime: new Date((NOW - 3600) * 1000), EndTime: new Date(NOW * 1000) }));
  return (graph.Services ?? []).map((service) => ({
    name: service.Name, type: service.Type, summary: service.SummaryStatistics,
    edges: (service.Edges ?? []).map((edge) => ({ to: edge.ReferenceId, summary: edge.SummaryStatistics })),
  }));
}

describe('xray-tracer pull', () => {
  test('copies every trace of the range: the same traces, the same service graph, the same filter answers', async () => {
    const counted: number[] = [];
    const progress: Progress = { start: (total) => counted.push(total), increment: (by = 1) => counted.push(by), stop: () => counted.push(-1) };
    const { target, run } = await pullInto({ since: '1h' }, progress);
    const targetClient = clientOf(target);
    try {
      expect(run.err).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.out).toEqual([expect.stringMatching(new RegExp(`^pulled ${REQUESTS + 1} traces \\(\\d+ documents\\) from the X-Ray API at ${source.api.url} into ${target.api.url}$`))]);
      expect(counted[0]).toBe(REQUESTS + 1);
      expect(counted.slice(1, -1).reduce((sum, by) => sum + by, 0)).toBe(REQUESTS + 1);
      expect(counted.at(-1)).toBe(-1);

      const ids = [...patternIds, BIG_TRACE];
      expect(await tracesOf(targetClient, ids)).toEqual(await tracesOf(sourceClient, ids));
      expect(await graphOf(targetClient)).toEqual(await graphOf(sourceClient));
      const faulted = await targetClient.send(new GetTraceSummariesCommand({
        StartTime: new Date((NOW - 3600) * 1000), EndTime: new Date(NOW * 1000), FilterExpression: 'service("http-flow") { fault }',
      }));
      expect((faulted.TraceSummaries ?? []).map((summary) => summary.Id).sort()).toEqual([...faultedIds].sort());
    } finally {
      targetClient.destroy();
      await target.stop();
    }
  });

  test('--filter and --limit choose which traces; this service answers newest first', async () => {
    const { target, run } = await pullInto({ since: '1h', filter: 'service("http-flow") { fault }', limit: '2' });
    const targetClient = clientOf(target);
    try {
      expect(run.code).toBe(0);
      expect(run.out[0]).toMatch(/^pulled 2 traces \(stopped at --limit 2\) \(\d+ documents\)/);
      const newestFaulted = [...faultedIds].reverse().slice(0, 2).sort();
      expect([...(await tracesOf(targetClient, faultedIds)).keys()].sort()).toEqual(newestFaulted);
    } finally {
      targetClient.destroy();
      await target.stop();
    }
  });

  test('says so when the range holds nothing', async () => {
    const { target, run } = await pullInto({ since: '1h', filter: 'annotation.nothing_has_this = "x"' });
    await target.stop();
    expect(run).toEqual({ code: 0, out: [`no traces at the X-Ray API at ${source.api.url} in the last 1h matching annotation.nothing_has_this = "x"`], err: [] });
  });

  test('a filter the source refuses is its message, exit 1', async () => {
    const { target, run } = await pullInto({ filter: 'service("a") {' });
    await target.stop();
    expect(run.code).toBe(1);
    expect(run.err).toEqual([expect.stringMatching(new RegExp(`^xray-tracer pull: the X-Ray API at ${source.api.url} refused: InvalidRequestException: .*column \\d+`))]);
  });

  test('an unreachable local service or source is named, exit 1', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const noTarget = await capture(NOW, (output) => runPull({ sourceEndpoint: source.api.url, endpoint: closed }, output, silentProgress));
    expect(noTarget.code).toBe(1);
    expect(noTarget.err).toEqual([`xray-tracer pull: cannot reach the X-Ray service at ${closed} (ECONNREFUSED); start it with \`npx xray-tracer xray\` or point --endpoint at it`]);
    const target = await startService(NOW);
    const noSource = await capture(NOW, (output) => runPull({ sourceEndpoint: closed, endpoint: target.api.url }, output, silentProgress));
    await target.stop();
    expect(noSource.code).toBe(1);
    expect(noSource.err).toEqual([`xray-tracer pull: cannot reach the X-Ray API at ${closed} (ECONNREFUSED)`]);
  });

  test('documents the local service refuses are listed with its reasons, exit 1; the rest are stored', async () => {
    // A source holding what this service refuses, as another implementation might: a segment over
    // 64 KB with no subsegments to take out, and a start time past the year 2100.
    const traceId = '1-684ee0e8-0000000000000000000bad01';
    const good = { name: 'ok', id: 'aaaa000000000001', trace_id: traceId, start_time: NOW - 60, end_time: NOW - 59 };
    const huge = { name: 'huge', id: 'aaaa000000000002', trace_id: traceId, start_time: NOW - 60, end_time: NOW - 59, metadata: { default: { blob: 'x'.repeat(70 * 1024) } } };
    const dashed = { name: 'far-future', id: 'aaaa000000000003', trace_id: traceId, start_time: 5e9, end_time: 5e9 + 1 };
    const fake = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/TraceSummaries') return response.end(JSON.stringify({ TraceSummaries: [{ Id: traceId }] }));
      if (request.url === '/Traces') {
        return response.end(JSON.stringify({
          Traces: [{ Id: traceId, Duration: 1, Segments: [good, huge, dashed].map((doc) => ({ Id: doc.id, Document: JSON.stringify(doc) })) }],
          UnprocessedTraceIds: [],
        }));
      }
      response.statusCode = 404;
      response.end('{}');
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', () => resolve()));
    const fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    const target = await startService(NOW);
    const targetClient = clientOf(target);
    try {
      const run = await capture(NOW, (output) => runPull({ sourceEndpoint: fakeUrl, endpoint: target.api.url }, output, silentProgress));
      expect(run.code).toBe(1);
      expect(run.out).toEqual([`pulled 1 trace (1 document) from the X-Ray API at ${fakeUrl} into ${target.api.url}`]);
      expect(run.err[0]).toBe(`xray-tracer pull: 2 document(s) were refused by ${target.api.url}:`);
      expect(run.err.slice(1)).toEqual([
        expect.stringMatching(new RegExp(`^  ${traceId} aaaa000000000002: \\S+ .*bytes.*64 KB`)),
        expect.stringMatching(new RegExp(`^  ${traceId} aaaa000000000003: \\S+ .*start_time`)),
      ]);
      const stored = await targetClient.send(new BatchGetTracesCommand({ TraceIds: [traceId] }));
      expect(stored.Traces?.[0]?.Segments?.map((segment) => segment.Id)).toEqual(['aaaa000000000001']);
    } finally {
      targetClient.destroy();
      await target.stop();
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });
});
