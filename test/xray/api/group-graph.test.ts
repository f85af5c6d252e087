import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateGroupCommand, GetServiceGraphCommand, GetTimeSeriesServiceStatisticsCommand, PutTraceSegmentsCommand, XRayClient,
} from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contributionOfTrace, mergeAggregates, toServiceGraph as serviceGraph } from '../../../src/xray/graph/index.ts';
import { servicesJson, type ServiceJson } from '../../../src/xray/api/graph-json.ts';

/** The graph as GetServiceGraph writes it. */
const toServiceGraph = (...args: Parameters<typeof serviceGraph>): ServiceJson[] => servicesJson(serviceGraph(...args));
import { groupMinutes } from '../../../src/xray/api/group-graph.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { parse } from '../../../src/xray/query/index.ts';
import type { GraphReader, TraceReader } from '../../../src/xray/store/index.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { digest } from '../graph/digest.ts';
import { patternTrace, type TraceBuilder } from '../graph/pattern-traces.ts';

// 10 s into a minute; ten requests a second apart.
const T0 = 1_750_000_010;
const WINDOW = { StartTime: new Date((T0 - 10) * 1000), EndTime: new Date((T0 + 50) * 1000) };
const traces: TraceBuilder[] = Array.from({ length: 10 }, (_, i) => patternTrace(i + 1, T0 + i, { httpFaults: i % 5 < 2, dynamoThrottled: i % 3 === 0 }));
const httpFaults = traces.filter((_, i) => i % 5 < 2);
const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-group-graph-'));
let service: XrayService;
let client: XRayClient;
let faultsArn: string | undefined;

beforeAll(async () => {
  service = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => (T0 + 60) * 1000 });
  client = new XRayClient({ endpoint: service.api.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 });
  for (const trace of traces) {
    await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: trace.documents.map((doc) => JSON.stringify(doc)) }));
  }
  faultsArn = (await client.send(new CreateGroupCommand({ GroupName: 'http-faults', FilterExpression: 'service("http-flow") { fault }' }))).Group?.GroupARN;
  await client.send(new CreateGroupCommand({ GroupName: 'everything' }));
  await client.send(new CreateGroupCommand({ GroupName: 'none', FilterExpression: 'annotation.nope = "x"' }));
});

afterAll(async () => {
  client.destroy();
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const graphOf = (members: readonly TraceBuilder[]): ServiceJson[] =>
  toServiceGraph(mergeAggregates(...members.map((t) => contributionOfTrace(t.build()))), { startTime: T0 - 10, endTime: T0 + 50 });

describe('GetServiceGraph scoped to a group', () => {
  test('by name or ARN: the graph of the group\'s traces alone', async () => {
    const byName = await client.send(new GetServiceGraphCommand({ ...WINDOW, GroupName: 'http-faults' }));
    const byArn = await client.send(new GetServiceGraphCommand({ ...WINDOW, GroupARN: faultsArn }));
    expect(digest(byName.Services as unknown as ServiceJson[])).toEqual(digest(graphOf(httpFaults)));
    expect(byArn.Services).toEqual(byName.Services);
    // Four traces: the API stage saw four requests, and the remote host faulted on each.
    const stage = byName.Services?.find((s) => s.Type === 'AWS::ApiGateway::Stage');
    expect(stage?.SummaryStatistics?.TotalCount).toBe(4);
    const remote = byName.Services?.find((s) => s.Type === 'remote');
    expect(remote?.SummaryStatistics).toMatchObject({ TotalCount: 4, FaultStatistics: { TotalCount: 4 } });
  });

  test('a group without a filter, and Default, draw the whole graph; a group matching nothing draws none', async () => {
    const whole = await client.send(new GetServiceGraphCommand(WINDOW));
    expect(digest(whole.Services as unknown as ServiceJson[])).toEqual(digest(graphOf(traces)));
    expect((await client.send(new GetServiceGraphCommand({ ...WINDOW, GroupName: 'everything' }))).Services).toEqual(whole.Services);
    expect((await client.send(new GetServiceGraphCommand({ ...WINDOW, GroupName: 'Default' }))).Services).toEqual(whole.Services);
    expect((await client.send(new GetServiceGraphCommand({ ...WINDOW, GroupName: 'none' }))).Services).toEqual([]);
  });

  test('a window that misses the group\'s traces draws nothing', async () => {
    const later = { StartTime: new Date((T0 + 600) * 1000), EndTime: new Date((T0 + 900) * 1000) };
    expect((await client.send(new GetServiceGraphCommand({ ...later, GroupName: 'http-faults' }))).Services).toEqual([]);
  });
});

describe('GetTimeSeriesServiceStatistics scoped to a group', () => {
  test('the client edge counts the group\'s requests only', async () => {
    const result = await client.send(new GetTimeSeriesServiceStatisticsCommand({ ...WINDOW, GroupName: 'http-faults', Period: 60 }));
    const total = (result.TimeSeriesServiceStatistics ?? []).reduce((sum, entry) => sum + (entry.EdgeSummaryStatistics?.TotalCount ?? 0), 0);
    expect(total).toBe(4);
    const all = await client.send(new GetTimeSeriesServiceStatisticsCommand({ ...WINDOW, Period: 60 }));
    expect((all.TimeSeriesServiceStatistics ?? []).reduce((sum, entry) => sum + (entry.EdgeSummaryStatistics?.TotalCount ?? 0), 0)).toBe(10);
  });
});

describe('groupMinutes', () => {
  test('other work of the process runs between the pages of the read', async () => {
    const events: string[] = [];
    let pages = 0;
    const store = {
      getTraceSummaries: () => {
        events.push(`page ${++pages}`);
        if (pages === 1) setImmediate(() => events.push('other work'));
        return { summaries: [], nextCursor: pages < 3 ? `cursor-${pages}` : undefined, approximateTime: 0, tracesProcessedCount: 0 };
      },
    } as unknown as TraceReader;
    const graph = { getTraceContributions: () => [] } as unknown as GraphReader;
    const aggregate = await groupMinutes({ store, graph }, parse('fault'), { startTime: T0, endTime: T0 + 60 });
    expect(aggregate.minutes.size).toBe(0);
    expect(events).toEqual(['page 1', 'other work', 'page 2', 'page 3']);
  });
});
