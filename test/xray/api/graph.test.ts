import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetServiceGraphCommand, GetTimeSeriesServiceStatisticsCommand, GetTraceGraphCommand, PutTraceSegmentsCommand, XRayClient,
} from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contributionOfTrace, mergeAggregates, toServiceGraph as serviceGraph } from '../../../src/xray/graph/index.ts';
import { servicesJson, type ServiceJson } from '../../../src/xray/api/graph-json.ts';

/** The graph as GetServiceGraph writes it. */
const toServiceGraph = (...args: Parameters<typeof serviceGraph>): ServiceJson[] => servicesJson(serviceGraph(...args));
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { digest } from '../graph/digest.ts';
import { patternGolden, rounded } from '../graph/pattern-golden.ts';
import { patternTrace, type TraceBuilder } from '../graph/pattern-traces.ts';

// 10 s into a minute; ten requests a second apart all start in this minute.
const T0 = 1_750_000_010;
const WINDOW = { StartTime: new Date((T0 - 10) * 1000), EndTime: new Date((T0 + 50) * 1000) };
const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-graph-api-'));
let service: XrayService;
let client: XRayClient;
let memory: XrayService;
const traces: TraceBuilder[] = Array.from({ length: 10 }, (_, i) => patternTrace(i + 1, T0 + i, { httpFaults: i % 5 < 2 }));

function newClient(url: string): XRayClient {
  return new XRayClient({ endpoint: url, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 });
}

beforeAll(async () => {
  // The SQLite store behind its writer thread: the path the service really takes.
  service = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => (T0 + 60) * 1000 });
  client = newClient(service.api.url);
  memory = await startXrayService({ store: new MemoryTraceStore(), daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => (T0 + 60) * 1000 });
  for (const trace of traces) {
    const result = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: trace.documents.map((doc) => JSON.stringify(doc)) }));
    expect(result.UnprocessedTraceSegments).toEqual([]);
  }
});

afterAll(async () => {
  client.destroy();
  await service.stop();
  await memory.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(base: string, operation: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}/${operation}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const seconds = (date: Date): number => date.getTime() / 1000;

describe('GetServiceGraph through XRayClient', () => {
  test('draws the pattern: client, API stage, SNS topics, every Lambda as two nodes, the table, the queue, the remote host', async () => {
    // Read right after the writes were acknowledged: the graph covers all of them.
    const result = await client.send(new GetServiceGraphCommand(WINDOW));
    expect(digest(result.Services as unknown as ServiceJson[])).toEqual(rounded(patternGolden(10, 4)));
    expect(result).toMatchObject({ StartTime: WINDOW.StartTime, EndTime: WINDOW.EndTime, ContainsOldGroupVersions: false });
    expect(result.NextToken).toBeUndefined();
  });

  test('node statistics add up to the segments stored; inferred nodes to the calls made', async () => {
    const result = await client.send(new GetServiceGraphCommand(WINDOW));
    const segments = new Map<string, number>();
    for (const doc of traces.flatMap((trace) => trace.documents)) {
      if (doc['type'] === 'subsegment') continue;
      const key = `${String(doc['name'])} | ${String(doc['origin'])}`;
      segments.set(key, (segments.get(key) ?? 0) + 1);
    }
    const active = (result.Services ?? []).filter((s) => s.State === 'active');
    expect(Object.fromEntries(active.map((s) => [`${s.Name} | ${s.Type}`, s.SummaryStatistics?.TotalCount]))).toEqual(Object.fromEntries(segments));
    for (const s of result.Services ?? []) {
      const stats = s.SummaryStatistics!;
      expect(stats.TotalCount).toBe((stats.OkCount ?? 0) + (stats.ErrorStatistics?.TotalCount ?? 0) + (stats.FaultStatistics?.TotalCount ?? 0));
      const histogram = (s.ResponseTimeHistogram ?? []).reduce((sum, entry) => sum + (entry.Count ?? 0), 0);
      expect(histogram).toBe(stats.TotalCount);
    }
    // Every call to the table, the topics and the queue is one subsegment of its caller.
    const calls = (name: string) => traces.flatMap((t) => t.documents).filter((d) => d['namespace'] === 'aws' && JSON.stringify(d['aws']).includes(name)).length
      + traces.flatMap((t) => t.documents).flatMap((d) => (d['subsegments'] as Array<Record<string, unknown>> | undefined) ?? []).filter((d) => JSON.stringify(d['aws']).includes(name)).length;
    const total = (name: string, type: string) => result.Services?.find((s) => s.Name === name && s.Type === type)?.SummaryStatistics?.TotalCount;
    expect(total('Hits', 'AWS::DynamoDB::Table')).toBe(calls('Hits'));
    expect(total('fan-out', 'AWS::SNS')).toBe(calls(':fan-out'));
    expect(total('hits-queue', 'AWS::SQS::Queue')).toBe(calls('hits-queue'));
  });

  test('equals a full recompute from the documents, times included', async () => {
    const { json } = await post(service.api.url, 'ServiceGraph', { StartTime: T0 - 10, EndTime: T0 + 50 });
    const recomputed = toServiceGraph(mergeAggregates(...traces.map((t) => contributionOfTrace(t.build()))), { startTime: T0 - 10, endTime: T0 + 50 });
    expect(json['Services']).toEqual(recomputed);
  });

  test('a window away from the traces is empty; the Default group is the whole graph', async () => {
    const empty = await client.send(new GetServiceGraphCommand({ StartTime: new Date((T0 + 3600) * 1000), EndTime: new Date((T0 + 7200) * 1000) }));
    expect(empty.Services).toEqual([]);
    const all = await client.send(new GetServiceGraphCommand({ ...WINDOW, GroupName: 'Default' }));
    expect(digest(all.Services as unknown as ServiceJson[])).toEqual(rounded(patternGolden(10, 4)));
  });

  test('the in-memory store answers alike', async () => {
    const memoryClient = newClient(memory.api.url);
    try {
      await memoryClient.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: traces.flatMap((t) => t.documents.map((doc) => JSON.stringify(doc))) }));
      const result = await memoryClient.send(new GetServiceGraphCommand(WINDOW));
      expect(digest(result.Services as unknown as ServiceJson[])).toEqual(rounded(patternGolden(10, 4)));
    } finally {
      memoryClient.destroy();
    }
  });
});

describe('GetTraceGraph through XRayClient', () => {
  test('the graph of the given traces only; unknown ids add nothing', async () => {
    const result = await client.send(new GetTraceGraphCommand({ TraceIds: [traces[0]!.traceId, traces[2]!.traceId, '1-00000000-000000000000000000000000'] }));
    // Trace 0 faults at the remote host (i % 5 < 2), trace 2 does not.
    expect(digest(result.Services as unknown as ServiceJson[])).toEqual(rounded(patternGolden(2, 1)));
    const none = await client.send(new GetTraceGraphCommand({ TraceIds: ['1-00000000-000000000000000000000000'] }));
    expect(none.Services).toEqual([]);
  });
});

describe('GetTimeSeriesServiceStatistics through XRayClient', () => {
  const series = async (input: Partial<ConstructorParameters<typeof GetTimeSeriesServiceStatisticsCommand>[0]>) =>
    (await client.send(new GetTimeSeriesServiceStatisticsCommand({ ...WINDOW, ...input }))).TimeSeriesServiceStatistics ?? [];

  test('without a selector: the requests entering the application, one entry a period', async () => {
    // From the minute before the traces' minute to two after it (the last one starts before EndTime).
    const minute = Math.floor(T0 / 60) * 60;
    const entries = await series({ StartTime: new Date((minute - 30) * 1000), EndTime: new Date((minute + 150) * 1000) });
    expect(entries.map((e) => seconds(e.Timestamp!))).toEqual([minute - 60, minute, minute + 60, minute + 120]);
    expect(entries.map((e) => e.EdgeSummaryStatistics?.TotalCount)).toEqual([0, 10, 0, 0]);
    expect(entries[1]?.ServiceSummaryStatistics).toBeUndefined();
  });

  test.each([
    ['service("http-flow"): both Lambda nodes of the function', 'service("http-flow")', 20, 4],
    ['id(name, type): one node', 'id(name: "http-flow", type: "AWS::Lambda::Function")', 10, 4],
    ['a remote host by its name', 'service("jsonplaceholder.typicode.com")', 10, 4],
    ['two services joined with OR', 'service("Hits") OR service(id(name: "dynamo-flow", type: "AWS::Lambda"))', 20, 0],
  ])('%s', async (_what, EntitySelectorExpression, total, faults) => {
    const [entry] = await series({ EntitySelectorExpression });
    expect(entry?.ServiceSummaryStatistics).toMatchObject({ TotalCount: total, FaultStatistics: { TotalCount: faults } });
    expect(entry?.EdgeSummaryStatistics).toBeUndefined();
  });

  test('ForecastStatistics: each period gets a fault band from the periods before it', async () => {
    const minute = Math.floor(T0 / 60) * 60;
    const entries = await series({
      StartTime: new Date((minute - 30) * 1000), EndTime: new Date((minute + 150) * 1000),
      EntitySelectorExpression: 'service("http-flow")', ForecastStatistics: true,
    });
    expect(entries.map((e) => e.ServiceSummaryStatistics?.FaultStatistics?.TotalCount)).toEqual([0, 4, 0, 0]);
    // Nothing before the first period; then the mean of the earlier counts plus or minus two standard deviations.
    expect(entries.map((e) => e.ServiceForecastStatistics)).toEqual([
      { FaultCountHigh: 0, FaultCountLow: 0 },
      { FaultCountHigh: 0, FaultCountLow: 0 },
      { FaultCountHigh: 6, FaultCountLow: 0 }, // [0, 4]: 2 +- 4
      { FaultCountHigh: 6, FaultCountLow: 0 }, // [0, 4, 0]: 1.33 +- 3.77
    ]);
    const plain = await series({ EntitySelectorExpression: 'service("http-flow")' });
    expect(plain[0]?.ServiceForecastStatistics).toBeUndefined();
  });

  test('an edge selector and a longer period', async () => {
    const [entry, ...rest] = await series({ EntitySelectorExpression: 'edge("http-flow", "jsonplaceholder.typicode.com")', Period: 300 });
    expect(rest).toEqual([]);
    expect(seconds(entry!.Timestamp!)).toBe(Math.floor((T0 - 10) / 300) * 300);
    expect(entry?.EdgeSummaryStatistics).toMatchObject({ TotalCount: 10, OkCount: 6, FaultStatistics: { TotalCount: 4 } });
  });
});

describe('graph operations refuse bad requests with InvalidRequestException', () => {
  test.each([
    ['ServiceGraph', {}, 'StartTime is required'],
    ['ServiceGraph', { StartTime: 100, EndTime: 50 }, 'EndTime (50) must not be before StartTime (100)'],
    ['ServiceGraph', { StartTime: 'yesterday', EndTime: 50 }, 'StartTime must be a timestamp in epoch seconds'],
    ['ServiceGraph', { StartTime: 1, EndTime: 2, GroupName: 'errors' }, 'there is no group named "errors"'],
    ['ServiceGraph', { StartTime: 1, EndTime: 2, GroupARN: 'arn:aws:xray:us-east-1:000000000000:group/errors/X' }, 'there is no group with GroupARN'],
    ['ServiceGraph', { StartTime: 1, EndTime: 2, NextToken: 'abc' }, 'NextToken the string "abc" was not issued by this service'],
    ['TraceGraph', {}, 'TraceIds is required'],
    ['TraceGraph', { TraceIds: [] }, 'TraceIds must have at least 1 item'],
    ['TraceGraph', { TraceIds: ['x'.repeat(36)] }, 'TraceIds[0] must be 1 to 35 characters long, got 36'],
    ['TraceGraph', { TraceIds: [7] }, 'TraceIds[0] must be a string'],
    ['TimeSeriesServiceStatistics', { StartTime: 1, EndTime: 2, Period: 90 }, 'Period must be a positive multiple of 60 seconds, got number 90'],
    ['TimeSeriesServiceStatistics', { StartTime: 1, EndTime: 2, Period: 0 }, 'Period must be a positive multiple of 60 seconds'],
    ['TimeSeriesServiceStatistics', { StartTime: 0, EndTime: 60 * 20_000 }, 'StartTime to EndTime holds 20000 periods of 60 s; at most 10000 are allowed'],
    ['TimeSeriesServiceStatistics', { StartTime: 1, EndTime: 2, ForecastStatistics: true }, 'ForecastStatistics: forecast enabled requests require an EntitySelectorExpression'],
    ['TimeSeriesServiceStatistics', { StartTime: 1, EndTime: 2, EntitySelectorExpression: 'service("a"' }, "EntitySelectorExpression: expected ')'"],
    ['TimeSeriesServiceStatistics', { StartTime: 1, EndTime: 2, EntitySelectorExpression: 'id(name: "a" type: "b")' }, 'at column 14'],
    ['TimeSeriesServiceStatistics', { StartTime: 1, EndTime: 2, EntitySelectorExpression: 'service("a") OR id(name: "b")' }, 'id(...) can only be used inside service(...) or edge(...) at column 17'],
    ['TimeSeriesServiceStatistics', { StartTime: 1, EndTime: 2, EntitySelectorExpression: 'responsetime > 2' }, 'EntitySelectorExpression "responsetime > 2" is not supported; use service("name")'],
    ['TimeSeriesServiceStatistics', { StartTime: 1, EndTime: 2, EntitySelectorExpression: 'service("a") { fault }' }, 'is not supported'],
    ['TimeSeriesServiceStatistics', { StartTime: 1, EndTime: 2, EntitySelectorExpression: 'service("a") OR edge("a", "b")' }, 'selects services and edges at once'],
    ['TimeSeriesServiceStatistics', { StartTime: 1, EndTime: 2, EntitySelectorExpression: `service("${'a'.repeat(500)}")` }, 'EntitySelectorExpression is 511 characters long; the limit is 500'],
    ['TimeSeriesServiceStatistics', { StartTime: 1, EndTime: 2, GroupName: 'errors' }, 'there is no group named "errors"'],
  ])('%s %j', async (operation, body, message) => {
    const { status, json } = await post(service.api.url, operation, body);
    expect(status).toBe(400);
    expect(json['__type']).toBe('InvalidRequestException');
    expect(json['message']).toContain(message);
  });

  test('the SDK surfaces the message', async () => {
    await expect(client.send(new GetServiceGraphCommand({ ...WINDOW, GroupName: 'errors' })))
      .rejects.toMatchObject({ name: 'InvalidRequestException', message: 'there is no group named "errors"' });
  });
});

