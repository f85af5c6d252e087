import {
  BatchGetTracesCommand, CancelTraceRetrievalCommand, GetIndexingRulesCommand, GetRetrievedTracesGraphCommand, GetTraceSegmentDestinationCommand,
  GetTraceSummariesCommand, ListRetrievedTracesCommand, PutTraceSegmentsCommand, StartTraceRetrievalCommand, UpdateIndexingRuleCommand,
  UpdateTraceSegmentDestinationCommand, type XRayClient,
} from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashShare } from '../../../src/xray/transaction-search/indexing.ts';
import { newTraceId, segment, subsegment } from '../support/documents.ts';
import { failure, NOW, startApiService, type ApiService } from '../support/api-service.ts';

async function put(client: XRayClient, documents: Array<Record<string, unknown>>): Promise<void> {
  const answer = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: documents.map((d) => JSON.stringify(d)) }));
  expect(answer.UnprocessedTraceSegments).toEqual([]);
}

/** Asks until the retrieval has finished; each request lets the scheduled retrieval run. Bounded. */
async function finished(client: XRayClient, token: string): Promise<string | undefined> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const status = (await client.send(new ListRetrievedTracesCommand({ RetrievalToken: token }))).RetrievalStatus;
    if (status !== 'SCHEDULED' && status !== 'RUNNING') return status;
  }
  return undefined;
}

describe('Transaction Search through XRayClient', () => {
  let api: ApiService;
  beforeAll(async () => {
    api = await startApiService({ settingsTransitionMs: 10_000 });
  });
  afterAll(async () => api.stop());

  test('the destination: XRay until changed; CloudWatchLogs is PENDING, then ACTIVE; asking again changes nothing', async () => {
    api.clock.nowSeconds = NOW;
    expect(await api.client.send(new GetTraceSegmentDestinationCommand({}))).toMatchObject({ Destination: 'XRay', Status: 'ACTIVE' });
    // Retrievals read aws/spans, which exists only with Transaction Search on.
    expect(await failure(api.client.send(new StartTraceRetrievalCommand({ TraceIds: [], StartTime: new Date(0), EndTime: new Date(NOW * 1000) })))).toMatchObject({
      name: 'ResourceNotFoundException', status: 404, ResourceName: 'aws/spans',
    });
    expect(await api.client.send(new UpdateTraceSegmentDestinationCommand({ Destination: 'CloudWatchLogs' }))).toMatchObject({ Destination: 'CloudWatchLogs', Status: 'PENDING' });
    api.clock.nowSeconds = NOW + 10;
    expect(await api.client.send(new GetTraceSegmentDestinationCommand({}))).toMatchObject({ Destination: 'CloudWatchLogs', Status: 'ACTIVE' });
    expect(await api.client.send(new UpdateTraceSegmentDestinationCommand({ Destination: 'CloudWatchLogs' }))).toMatchObject({ Status: 'ACTIVE' });
    // aws/spans exists now, so its key can no longer be chosen here.
    expect(await failure(api.client.send(new UpdateTraceSegmentDestinationCommand({
      Destination: 'CloudWatchLogs', CloudWatchLogsConfiguration: { SpansLogGroupKmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k' },
    })))).toMatchObject({ name: 'InvalidRequestException' });
    expect(await failure(api.client.send(new UpdateTraceSegmentDestinationCommand({
      Destination: 'XRay', CloudWatchLogsConfiguration: { SpansLogGroupKmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k' },
    })))).toEqual({ name: 'InvalidRequestException', status: 400, message: 'CloudWatchLogsConfiguration applies only when Destination is CloudWatchLogs' });
  });

  test('the Default indexing rule: 1% unless changed, and with CloudWatchLogs only indexed traces are summarised or returned', async () => {
    await api.client.send(new UpdateTraceSegmentDestinationCommand({ Destination: 'CloudWatchLogs' }));
    const rules = await api.client.send(new GetIndexingRulesCommand({}));
    expect(rules.IndexingRules).toEqual([{ Name: 'Default', ModifiedAt: new Date(NOW * 1000), Rule: { Probabilistic: { DesiredSamplingPercentage: 1, ActualSamplingPercentage: 1 } } }]);

    api.clock.nowSeconds = NOW + 20;
    const updated = await api.client.send(new UpdateIndexingRuleCommand({ Name: 'Default', Rule: { Probabilistic: { DesiredSamplingPercentage: 50 } } }));
    expect(updated.IndexingRule).toEqual({ Name: 'Default', ModifiedAt: new Date((NOW + 20) * 1000), Rule: { Probabilistic: { DesiredSamplingPercentage: 50, ActualSamplingPercentage: 50 } } });

    const traceIds = Array.from({ length: 20 }, () => newTraceId(NOW + 15));
    await put(api.client, traceIds.map((id) => segment(id, NOW + 15)));
    const indexed = traceIds.filter((id) => hashShare(id) < 0.5);
    expect(indexed.length).toBeGreaterThan(0);
    expect(indexed.length).toBeLessThan(traceIds.length);
    const summaries = await api.client.send(new GetTraceSummariesCommand({ StartTime: new Date((NOW + 14) * 1000), EndTime: new Date((NOW + 16) * 1000) }));
    expect(summaries.TraceSummaries?.map((s) => s.Id).sort()).toEqual([...indexed].sort());
    const batch = await api.client.send(new BatchGetTracesCommand({ TraceIds: traceIds.slice(0, 5) }));
    expect(batch.Traces?.map((t) => t.Id).sort()).toEqual(traceIds.slice(0, 5).filter((id) => indexed.includes(id)).sort());

    // Back to XRay: every trace is indexed again.
    await api.client.send(new UpdateTraceSegmentDestinationCommand({ Destination: 'XRay' }));
    const all = await api.client.send(new GetTraceSummariesCommand({ StartTime: new Date((NOW + 14) * 1000), EndTime: new Date((NOW + 16) * 1000) }));
    expect(all.TraceSummaries).toHaveLength(20);
  });

  test.each([
    ['an unknown rule', { Name: 'Other', Rule: { Probabilistic: { DesiredSamplingPercentage: 5 } } }, 'ResourceNotFoundException'],
    ['a percentage over 100', { Name: 'Default', Rule: { Probabilistic: { DesiredSamplingPercentage: 101 } } }, 'InvalidRequestException'],
    ['no Probabilistic rule', { Name: 'Default', Rule: {} }, 'InvalidRequestException'],
  ])('UpdateIndexingRule refuses %s', async (_what, input, name) => {
    expect((await failure(api.client.send(new UpdateIndexingRuleCommand(input as never)))).name).toBe(name);
  });

  test('a retrieval runs and completes; its traces in X-Ray and OTel form, its graph; unknown tokens are ResourceNotFoundException', async () => {
    await api.client.send(new UpdateTraceSegmentDestinationCommand({ Destination: 'CloudWatchLogs' }));
    const traceId = newTraceId(NOW + 30);
    const root = segment(traceId, NOW + 30, { subsegments: [subsegment(traceId, 'ignored', NOW + 30.05, { type: undefined, trace_id: undefined, parent_id: undefined, name: 'Hits' })] });
    await put(api.client, [root]);
    const started = await api.client.send(new StartTraceRetrievalCommand({ TraceIds: [traceId, newTraceId(NOW)], StartTime: new Date((NOW + 29) * 1000), EndTime: new Date((NOW + 31) * 1000) }));
    const token = started.RetrievalToken!;
    expect(await finished(api.client, token)).toBe('COMPLETE');

    const xray = await api.client.send(new ListRetrievedTracesCommand({ RetrievalToken: token, TraceFormat: 'XRAY' }));
    expect(xray.TraceFormat).toBe('XRAY');
    expect(xray.Traces?.map((t) => t.Id)).toEqual([traceId]);
    expect(JSON.parse(xray.Traces![0]!.Spans![0]!.Document!)).toMatchObject({ id: root.id, name: 'orders-api' });

    const otel = await api.client.send(new ListRetrievedTracesCommand({ RetrievalToken: token, TraceFormat: 'OTEL' }));
    const spans = otel.Traces![0]!.Spans!.map((s) => JSON.parse(s.Document!) as Record<string, unknown>);
    expect(spans).toHaveLength(2);
    expect(spans[0]).toMatchObject({ traceId: traceId.slice(2).replace('-', ''), spanId: root.id, name: 'orders-api', kind: 'SERVER', status: { code: 'UNSET' } });
    expect(spans[1]).toMatchObject({ parentSpanId: root.id, name: 'Hits', kind: 'CLIENT' });

    const graph = await api.client.send(new GetRetrievedTracesGraphCommand({ RetrievalToken: token }));
    expect(graph.RetrievalStatus).toBe('COMPLETE');
    expect(graph.Services?.map((s) => s.Service?.Name)).toContain('orders-api');

    // A finished retrieval keeps its status when cancelled.
    await api.client.send(new CancelTraceRetrievalCommand({ RetrievalToken: token }));
    expect((await api.client.send(new ListRetrievedTracesCommand({ RetrievalToken: token }))).RetrievalStatus).toBe('COMPLETE');
    for (const command of [new ListRetrievedTracesCommand({ RetrievalToken: 'nope' }), new GetRetrievedTracesGraphCommand({ RetrievalToken: 'nope' }), new CancelTraceRetrievalCommand({ RetrievalToken: 'nope' })]) {
      expect(await failure(api.client.send(command as never))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    }
  });

  test('ListRetrievedTraces pages 10 traces at a time; a NextToken of another retrieval is refused', async () => {
    await api.client.send(new UpdateTraceSegmentDestinationCommand({ Destination: 'CloudWatchLogs' }));
    const traceIds = Array.from({ length: 12 }, () => newTraceId(NOW + 40));
    await put(api.client, traceIds.map((id) => segment(id, NOW + 40)));
    const range = { StartTime: new Date((NOW + 39) * 1000), EndTime: new Date((NOW + 41) * 1000) };
    const token = (await api.client.send(new StartTraceRetrievalCommand({ TraceIds: traceIds, ...range }))).RetrievalToken!;
    expect(await finished(api.client, token)).toBe('COMPLETE');
    const first = await api.client.send(new ListRetrievedTracesCommand({ RetrievalToken: token }));
    expect(first.Traces).toHaveLength(10);
    const second = await api.client.send(new ListRetrievedTracesCommand({ RetrievalToken: token, NextToken: first.NextToken }));
    expect(second.Traces).toHaveLength(2);
    expect(second.NextToken).toBeUndefined();
    expect([...first.Traces!, ...second.Traces!].map((t) => t.Id).sort()).toEqual([...traceIds].sort());

    const other = (await api.client.send(new StartTraceRetrievalCommand({ TraceIds: traceIds.slice(0, 1), ...range }))).RetrievalToken!;
    expect((await failure(api.client.send(new ListRetrievedTracesCommand({ RetrievalToken: other, NextToken: first.NextToken })))).name).toBe('InvalidRequestException');
  });

  test('StartTraceRetrieval takes at most 100 trace ids', async () => {
    await api.client.send(new UpdateTraceSegmentDestinationCommand({ Destination: 'CloudWatchLogs' }));
    const ids = Array.from({ length: 101 }, () => newTraceId(NOW));
    expect(await failure(api.client.send(new StartTraceRetrievalCommand({ TraceIds: ids, StartTime: new Date(0), EndTime: new Date(NOW * 1000) })))).toEqual({
      name: 'InvalidRequestException', status: 400, message: 'TraceIds must have at most 100 items, got 101',
    });
  });
});
