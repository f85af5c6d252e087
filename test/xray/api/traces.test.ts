import { BatchGetTracesCommand, GetTraceSummariesCommand, paginateGetTraceSummaries, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { startXrayService } from '../../../src/xray/service.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { newTraceId, segment, subsegment } from '../support/documents.ts';

const NOW = 1_750_000_000;
const BODY_LIMIT = 256 * 1024;
let service: XrayService;
let client: XRayClient;

beforeAll(async () => {
  service = await startXrayService({
    store: new MemoryTraceStore({ nowSeconds: () => NOW }),
    daemonPort: 0,
    apiPort: 0,
    logger: silentLogger,
    nowMs: () => NOW * 1000,
    maxBodyBytes: BODY_LIMIT,
    summariesPageSize: 2,
  });
  client = new XRayClient({
    endpoint: service.api.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await service.stop();
});

async function post(path: string, body: string, method = 'POST'): Promise<{ status: number; type: string | null; message: string }> {
  const response = await fetch(`${service.api.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : body });
  const json = (await response.json()) as { message: string };
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), message: json.message };
}

describe('PutTraceSegments through XRayClient', () => {
  test('stores the good documents and returns each malformed one with its reason', async () => {
    const traceId = newTraceId(NOW - 10);
    const root = segment(traceId, NOW - 10);
    const child = subsegment(traceId, root.id as string, NOW - 9.9);
    const badTraceId = segment(traceId, NOW - 10, { trace_id: '1-abc' });
    const noEnd = { ...segment(traceId, NOW - 10) };
    delete noEnd.end_time;
    const badTime = segment(traceId, NOW - 10, { start_time: 1e300 });

    const result = await client.send(
      new PutTraceSegmentsCommand({
        TraceSegmentDocuments: [JSON.stringify(root), JSON.stringify(badTraceId), '{"name": ', JSON.stringify(child), JSON.stringify(noEnd), JSON.stringify(badTime)],
      }),
    );

    const rejects = result.UnprocessedTraceSegments ?? [];
    expect(rejects.map((r) => [r.Id, r.ErrorCode])).toEqual([
      [badTraceId.id, 'InvalidField'],
      [undefined, 'InvalidJson'],
      [noEnd.id, 'MissingField'],
      [badTime.id, 'InvalidField'],
    ]);
    expect(rejects[0]?.Message).toContain('trace_id "1-abc"');
    expect(rejects[1]?.Message).toMatch(/^document is not valid JSON/);
    expect(rejects[2]?.Message).toContain('end_time');
    expect(rejects[3]?.Message).toContain('start_time 1e+300 must be a number of epoch seconds');

    const traces = await client.send(new BatchGetTracesCommand({ TraceIds: [traceId] }));
    expect(traces.Traces).toHaveLength(1);
    const stored = traces.Traces?.[0]?.Segments ?? [];
    // The segment sent, then the inferred DynamoDB segment X-Ray adds for its call.
    expect(stored).toHaveLength(2);
    const document = JSON.parse(stored[0]?.Document ?? '{}') as Record<string, unknown>;
    expect(document.id).toBe(root.id);
    expect((document.subsegments as Array<{ id: string }>).map((s) => s.id)).toEqual([child.id]);
    expect(JSON.parse(stored[1]?.Document ?? '{}')).toMatchObject({ parent_id: child.id, inferred: true, origin: 'AWS::DynamoDB::Table' });
  });
});

describe('BatchGetTraces', () => {
  test('returns Id, Duration, LimitExceeded and Segments, and unknown ids as unprocessed', async () => {
    const traceId = newTraceId(NOW - 20);
    const root = segment(traceId, NOW - 20);
    await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [JSON.stringify(root)] }));
    const unknown = newTraceId(NOW - 20);
    const result = await client.send(new BatchGetTracesCommand({ TraceIds: [traceId, unknown, traceId] }));
    expect(result.Traces?.map((t) => [t.Id, t.Duration, t.LimitExceeded, t.Segments?.map((s) => s.Id)])).toEqual([
      [traceId, 0.25, false, [root.id]],
    ]);
    expect(JSON.parse(result.Traces?.[0]?.Segments?.[0]?.Document ?? '')).toEqual(root);
    expect(result.UnprocessedTraceIds).toEqual([unknown]);
    expect(result.NextToken).toBeUndefined();
  });

  test('refuses more than five ids, as AWS does, with InvalidRequestException', async () => {
    const ids = Array.from({ length: 6 }, () => newTraceId(NOW));
    await expect(client.send(new BatchGetTracesCommand({ TraceIds: ids }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'TraceIds must have at most 5 items, got 6',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('GetTraceSummaries', () => {
  test('lists traces in the time range newest first, with pagination tokens that work', async () => {
    const base = NOW - 3600;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const traceId = newTraceId(base + i);
      ids.push(traceId);
      await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [JSON.stringify(segment(traceId, base + i))] }));
    }
    const request = { StartTime: new Date((base - 1) * 1000), EndTime: new Date((base + 10) * 1000) };
    const result = await client.send(new GetTraceSummariesCommand(request));
    // Pages of two: the newest two, then the oldest behind the token.
    expect(result.TraceSummaries?.map((s) => s.Id)).toEqual([ids[2], ids[1]]);
    expect(result.NextToken).toEqual(expect.any(String));
    const next = await client.send(new GetTraceSummariesCommand({ ...request, NextToken: result.NextToken }));
    expect(next.TraceSummaries?.map((s) => s.Id)).toEqual([ids[0]]);
    expect(next.NextToken).toBeUndefined();
    // The SDK's paginator follows the tokens to the end.
    const paged: string[] = [];
    for await (const page of paginateGetTraceSummaries({ client }, request)) paged.push(...(page.TraceSummaries ?? []).map((s) => s.Id ?? ''));
    expect(paged).toEqual([...ids].reverse());
    const first = result.TraceSummaries?.[0];
    expect(first).toMatchObject({ Id: ids[2], Duration: 0.25, ResponseTime: 0.25, HasFault: false, HasError: false });
    expect(first?.Http).toMatchObject({ HttpMethod: 'GET', HttpStatus: 200, HttpURL: 'https://api.example.com/orders/7' });
    expect(first?.Annotations?.customer?.[0]?.AnnotationValue).toEqual({ StringValue: 'alice' });
    expect(result.ApproximateTime).toBeInstanceOf(Date);
    expect(result.TracesProcessedCount).toBeGreaterThanOrEqual(2);
  });

  test('a bad FilterExpression is refused with its parse error and column', async () => {
    await expect(
      client.send(new GetTraceSummariesCommand({ StartTime: new Date((NOW - 60) * 1000), EndTime: new Date(NOW * 1000), FilterExpression: 'responsetime >' })),
    ).rejects.toMatchObject({ name: 'InvalidRequestException', message: "FilterExpression: expected a number after '>' at column 15" });
  });

  test('Sampling with a FixedRate keeps a stable subset; rate 0 keeps none, rate 1 all', async () => {
    const request = { StartTime: new Date((NOW - 7200) * 1000), EndTime: new Date(NOW * 1000), Sampling: true };
    const all = await client.send(new GetTraceSummariesCommand(request));
    const none = await client.send(new GetTraceSummariesCommand({ ...request, SamplingStrategy: { Name: 'FixedRate', Value: 0 } }));
    const every = await client.send(new GetTraceSummariesCommand({ ...request, SamplingStrategy: { Name: 'FixedRate', Value: 1 } }));
    expect(all.TraceSummaries?.length).toBeGreaterThan(0);
    expect(none.TraceSummaries).toEqual([]);
    expect(every.TraceSummaries?.map((s) => s.Id)).toEqual(all.TraceSummaries?.map((s) => s.Id));
  });
});

describe('bad requests get the right status and a message naming what was wrong', () => {
  test.each([
    ['/TraceSegments', '{}', 'TraceSegmentDocuments is required'],
    ['/TraceSegments', '{"TraceSegmentDocuments": "x"}', 'TraceSegmentDocuments must be an array, got the string "x"'],
    ['/TraceSegments', '{"TraceSegmentDocuments": []}', 'TraceSegmentDocuments must have at least 1 item, got 0'],
    ['/TraceSegments', '{"TraceSegmentDocuments": [{"name": "x"}]}', 'TraceSegmentDocuments[0] must be a string, got an object'],
    ['/Traces', '{}', 'TraceIds is required'],
    ['/Traces', '{"TraceIds": [1]}', 'TraceIds[0] must be a string, got number 1'],
    ['/Traces', '{"TraceIds": [""]}', 'TraceIds[0] must be 1 to 35 characters long, got 0'],
    ['/Traces', '{"TraceIds": ["1-5759e988-bd862e3fe1be46a994272793"], "NextToken": "abc"}', 'NextToken the string "abc" was not issued by this service'],
    ['/TraceSummaries', '{"EndTime": 1}', 'StartTime is required'],
    ['/TraceSummaries', '{"StartTime": 1}', 'EndTime is required'],
    ['/TraceSummaries', '{"StartTime": "yesterday", "EndTime": 2}', 'StartTime must be a timestamp in epoch seconds, got the string "yesterday"'],
    ['/TraceSummaries', '{"StartTime": 5, "EndTime": 2}', 'EndTime (2) must not be before StartTime (5)'],
    ['/TraceSummaries', '{"StartTime": 1, "EndTime": 2, "TimeRangeType": "Month"}', 'TimeRangeType must be one of TraceId, Event, Service, got the string "Month"'],
    ['/TraceSummaries', '{"StartTime": 1, "EndTime": 2, "Sampling": "yes"}', 'Sampling must be a boolean, got the string "yes"'],
    ['/TraceSummaries', '{"StartTime": 1, "EndTime": 2, "SamplingStrategy": {"Name": "FixedRate", "Value": 3}}', 'SamplingStrategy.Value must be a number from 0 to 1, got number 3'],
    ['/TraceSummaries', '{"StartTime": 1, "EndTime": 2, "NextToken": "bm9wZQ"}', 'NextToken: the pagination token is not one this service issued'],
    // A token edited by hand (a negative sequence) is refused, not read as a page.
    ['/TraceSummaries', '{"StartTime": 1, "EndTime": 2, "NextToken": "eyJxIjoiMS8yL1RyYWNlSWQiLCJlIjo1LCJzIjotMSwiYSI6MywidCI6MTB9"}', 'NextToken: the pagination token is not one this service issued'],
    // A token edited by hand (a fractional epoch) is refused, not read as a page.
    ['/TraceSummaries', '{"StartTime": 1, "EndTime": 2, "NextToken": "eyJxIjoiMS8yL1RyYWNlSWQiLCJlIjo1LjUsInMiOjEsImEiOjMsInQiOjEwfQ"}', 'NextToken: the pagination token is not one this service issued'],
    // A token edited by hand (a time past 2100) is refused, not read as a page.
    ['/TraceSummaries', '{"StartTime": 1, "EndTime": 2, "NextToken": "eyJxIjoiMS8yL1RyYWNlSWQiLCJlIjo1LCJzIjoxLCJhIjozLCJ0IjoxZSszMDh9"}', 'NextToken: the pagination token is not one this service issued'],
    ['/TraceSummaries', '{"StartTime": 1, "EndTime": 2', 'request body is not valid JSON'],
    ['/GetSamplingRules', 'null', 'request body must be a JSON object, got null'],
    ['/SamplingTargets', '{}', 'SamplingStatisticsDocuments is required'],
  ])('POST %s %s', async (path, body, message) => {
    const result = await post(path, body);
    expect(result.status).toBe(400);
    expect(result.type).toBe('InvalidRequestException');
    expect(result.message).toContain(message);
  });

  test('an oversized body is a 413', async () => {
    const documents = Array.from({ length: 10 }, () => 'x'.repeat(BODY_LIMIT / 8));
    const result = await post('/TraceSegments', JSON.stringify({ TraceSegmentDocuments: documents }));
    expect(result).toEqual({ status: 413, type: 'RequestEntityTooLargeException', message: `request body is larger than the limit of ${BODY_LIMIT} bytes` });
  });

  test('an unknown path is a 404 and a wrong method a 405', async () => {
    expect(await post('/ServiceGraphs', '{}')).toEqual({ status: 404, type: 'UnknownOperationException', message: 'no operation at POST /ServiceGraphs' });
    expect(await post('/Traces', '', 'GET')).toEqual({ status: 405, type: 'MethodNotAllowedException', message: 'GET is not allowed on /Traces; use POST' });
  });

  test('XRayClient surfaces a bad request as InvalidRequestException with our message', async () => {
    await expect(client.send(new GetTraceSummariesCommand({ StartTime: new Date(5000), EndTime: new Date(2000) }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'EndTime (2) must not be before StartTime (5)',
    });
  });
});
