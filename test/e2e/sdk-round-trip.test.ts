import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatchGetTracesCommand, GetTraceSummariesCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '../../src/xray/log/logger.ts';
import { startXrayService } from '../../src/xray/service.ts';
import { eventually } from '../support/eventually.ts';
import type { XrayService } from '../../src/xray/service.ts';
import { entitiesById, expectIntact } from './support/documents.ts';
import { runProgram } from './support/programs.ts';
import { startUdpTap } from './support/udp-tap.ts';
import type { UdpTap } from './support/udp-tap.ts';

type Doc = Record<string, unknown>;

const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-round-trip-'));
const serviceLog: string[] = [];
const logger: Logger = { info: () => {}, warn: (line) => serviceLog.push(line), error: (line) => serviceLog.push(line) };
let service: XrayService;
let tap: UdpTap;
let client: XRayClient;

beforeAll(async () => {
  service = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, logger });
  tap = await startUdpTap(service.daemon.udp.port);
  client = new XRayClient({
    endpoint: service.api.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await tap.close();
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** UDP is asynchronous: wait (bounded) until the daemon has taken every datagram the tap saw. */
function untilIngested(): Promise<void> {
  const expected = tap.documents().length;
  return eventually(() => {
    const { udp, store } = service.stats();
    return udp.received >= expected && store.written + store.pending >= udp.accepted && store.pending === 0;
  }, { what: () => `${expected} datagrams stored; the daemon took ${service.stats().udp.received}` });
}

async function fetchEntities(traceIds: string[]): Promise<Map<string, Doc>> {
  const result = await client.send(new BatchGetTracesCommand({ TraceIds: traceIds }));
  expect(result.UnprocessedTraceIds).toEqual([]);
  return entitiesById((result.Traces ?? []).flatMap((trace) => (trace.Segments ?? []).map((segment) => segment.Document ?? '')));
}

/** Lines an SDK logs at warn or error level, or any failure it reports. */
function complaints(output: string): string[] {
  return output.split('\n').filter((line) => /\[(WARN|ERROR)\]|Failed|Error occured|Missing AWS Lambda trace data/i.test(line));
}

describe('round trip through the daemon and the X-Ray API', () => {
  test('aws-xray-sdk-core: segments with subsegments, annotations, metadata, http, aws, remote and a captured exception', async () => {
    const before = tap.documents().length;
    const run = await runProgram('xray-sdk-app.ts', {
      AWS_XRAY_DAEMON_ADDRESS: `udp:127.0.0.1:${tap.port} tcp:127.0.0.1:${service.daemon.tcp.port}`,
      AWS_XRAY_LOG_LEVEL: 'info',
    });
    expect(run.code, run.stderr).toBe(0);
    const output = run.stdout + run.stderr;
    // The SDK fetched our sampling rules over TCP and had nothing to complain about.
    expect(output).toContain('Successfully refreshed centralized sampling rule cache.');
    expect(complaints(output)).toEqual([]);

    const { traceIds } = run.result as { traceIds: string[] };
    expect(traceIds).toHaveLength(2);
    const sent = tap.documents().slice(before);
    expect(sent.map((doc) => doc.trace_id)).toEqual(traceIds);
    await untilIngested();

    const now = Date.now();
    const summaries = await client.send(new GetTraceSummariesCommand({ StartTime: new Date(now - 300_000), EndTime: new Date(now + 60_000) }));
    const listed = new Map((summaries.TraceSummaries ?? []).map((summary) => [summary.Id, summary]));
    for (const id of traceIds) expect(listed.has(id), `${id} listed`).toBe(true);
    const summary = listed.get(traceIds[1]);
    expect(summary?.Http).toMatchObject({ HttpMethod: 'POST', HttpStatus: 201, UserAgent: 'round-trip-test/1.0' });
    expect(summary?.Annotations?.customer?.[0]?.AnnotationValue).toEqual({ StringValue: 'alice' });
    expect(summary?.Annotations?.order_total?.[0]?.AnnotationValue).toEqual({ NumberValue: 42.5 });
    expect(summary?.Annotations?.vip?.[0]?.AnnotationValue).toEqual({ BooleanValue: true });
    expect(summary?.Users?.map((user) => user.UserName)).toEqual(['alice']);

    // Found by an annotation filter expression, as the console or `aws xray get-trace-summaries` would.
    const filtered = await client.send(new GetTraceSummariesCommand({
      StartTime: new Date(now - 300_000), EndTime: new Date(now + 60_000), FilterExpression: 'annotation.customer = "alice" AND annotation.order_total > 40',
    }));
    expect((filtered.TraceSummaries ?? []).map((s) => s.Id).filter((id) => traceIds.includes(id ?? '')).sort()).toEqual([...traceIds].sort());
    const none = await client.send(new GetTraceSummariesCommand({
      StartTime: new Date(now - 300_000), EndTime: new Date(now + 60_000), FilterExpression: 'annotation.customer = "bob"',
    }));
    expect((none.TraceSummaries ?? []).filter((s) => traceIds.includes(s.Id ?? ''))).toEqual([]);

    // Every document the SDK sent comes back byte for byte; X-Ray's inferred segments are extra.
    const texts = tap.texts().slice(before);
    const batch = await client.send(new BatchGetTracesCommand({ TraceIds: traceIds }));
    const returned = (batch.Traces ?? []).flatMap((trace) => (trace.Segments ?? []).map((segment) => segment.Document ?? ''))
      .filter((document) => (JSON.parse(document) as { inferred?: unknown }).inferred !== true);
    expect(returned.sort()).toEqual([...texts].sort());

    const stored = await fetchEntities(traceIds);
    for (const doc of sent) expectIntact(doc, stored.get(doc.id as string));

    // The program really produced what the test claims to check.
    const second = stored.get(sent[1]?.id as string) as Doc;
    expect(second.aws).toMatchObject({ xray: { rule_name: 'Default' } });
    expect(second.annotations).toEqual({ customer: 'alice', order_total: 42.5, vip: true });
    expect(second.metadata).toEqual({ shop: { cart: { items: [{ sku: 'A-1', qty: 2, price: 21.25 }], currency: 'EUR', note: null } } });
    expect(second.http).toMatchObject({ request: { method: 'POST', user_agent: 'round-trip-test/1.0' }, response: { status: 201 } });
    const children = new Map((second.subsegments as Doc[]).map((child) => [child.name, child]));
    expect(children.get('compute-price')).toMatchObject({ annotations: { discount_applied: true }, metadata: { default: { rules: ['vip-5%', 'free-shipping'] } } });
    expect(children.get('DynamoDB')).toMatchObject({ namespace: 'aws', aws: { operation: 'GetItem', table_name: 'Orders', region: 'eu-west-1' } });
    expect(children.get('charge-card')).toMatchObject({ fault: true, cause: { exceptions: [{ message: 'card declined', type: 'Error' }] } });
    // captureHTTPsGlobal's subsegment for the outbound call, and the remote node X-Ray infers for it.
    expect(children.get('127.0.0.1')).toMatchObject({ namespace: 'remote', http: { request: { method: 'GET', url: expect.stringMatching(/\/inventory\/A-1$/) }, response: { status: 200 } } });
    const inferred = (batch.Traces ?? []).flatMap((trace) => (trace.Segments ?? []).map((segment) => JSON.parse(segment.Document ?? '{}') as Doc))
      .filter((doc) => doc.inferred === true);
    expect(inferred.some((doc) => doc.name === '127.0.0.1')).toBe(true);
    expect(serviceLog).toEqual([]);
  });

  test('Powertools Tracer in Lambda mode: streamed subsegments fold into the function segment', async () => {
    const epoch = Math.floor(Date.now() / 1000);
    const traceId = `1-${epoch.toString(16)}-${randomBytes(12).toString('hex')}`;
    const functionSegmentId = randomBytes(8).toString('hex');
    const before = tap.documents().length;
    const run = await runProgram('powertools-lambda.ts', {
      _X_AMZN_TRACE_ID: `Root=${traceId};Parent=${functionSegmentId};Sampled=1`,
      LAMBDA_TASK_ROOT: '/var/task',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      AWS_LAMBDA_FUNCTION_NAME: 'orders-fn',
      AWS_REGION: 'eu-west-1',
      AWS_XRAY_DAEMON_ADDRESS: `udp:127.0.0.1:${tap.port} tcp:127.0.0.1:${service.daemon.tcp.port}`,
      AWS_XRAY_LOG_LEVEL: 'info',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toEqual({ statusCode: 202 });
    expect(complaints(run.stdout + run.stderr)).toEqual([]);

    // One datagram per subsegment, each standalone.
    const sent = tap.documents().slice(before);
    expect(sent.map((doc) => [doc.name, doc.type, doc.trace_id])).toEqual(
      expect.arrayContaining([
        ['DynamoDB', 'subsegment', traceId],
        ['validate-address', 'subsegment', traceId],
        ['## index.handler', 'subsegment', traceId],
      ]),
    );
    expect(sent).toHaveLength(3);
    const handlerDoc = sent.find((doc) => doc.name === '## index.handler') as Doc;
    expect(handlerDoc.parent_id).toBe(functionSegmentId);
    await untilIngested();

    // What the Lambda service itself would send: the function segment the subsegments hang under.
    const functionSegment = {
      name: 'orders-fn',
      id: functionSegmentId,
      trace_id: traceId,
      origin: 'AWS::Lambda::Function',
      start_time: (handlerDoc.start_time as number) - 0.01,
      end_time: (handlerDoc.end_time as number) + 0.01,
    };
    const put = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [JSON.stringify(functionSegment)] }));
    expect(put.UnprocessedTraceSegments).toEqual([]);

    const traces = await client.send(new BatchGetTracesCommand({ TraceIds: [traceId] }));
    // The segment sent; X-Ray's inferred segments for its downstream calls follow it.
    const segments = (traces.Traces?.[0]?.Segments ?? []).filter((segment) => (JSON.parse(segment.Document ?? '{}') as { inferred?: boolean }).inferred !== true);
    expect(segments.map((segment) => segment.Id)).toEqual([functionSegmentId]);
    const stored = entitiesById(segments.map((segment) => segment.Document ?? ''));
    for (const doc of sent) expectIntact(doc, stored.get(doc.id as string));
    expectIntact(functionSegment, stored.get(functionSegmentId));

    const handler = stored.get(handlerDoc.id as string) as Doc;
    expect((stored.get(functionSegmentId)?.subsegments as Doc[]).map((child) => child.name)).toEqual(['## index.handler']);
    expect((handler.subsegments as Doc[]).map((child) => child.name)).toEqual(['DynamoDB', 'validate-address']);
    expect(handler.annotations).toMatchObject({ Service: 'orders', order_id: 'o-42', items: 3, express: false });
    expect(handler.metadata).toMatchObject({ orders: { order: { id: 'o-42', lines: [{ sku: 'A-1', qty: 3 }] } } });
    const validate = (handler.subsegments as Doc[])[1];
    expect(validate).toMatchObject({ fault: true, cause: { exceptions: [{ message: 'address not found' }] } });
    expect((handler.subsegments as Doc[])[0]).toMatchObject({ namespace: 'aws', aws: { operation: 'PutItem', table_name: 'Orders' } });

    const summaries = await client.send(
      new GetTraceSummariesCommand({ StartTime: new Date((epoch - 60) * 1000), EndTime: new Date((epoch + 60) * 1000) }),
    );
    const summary = summaries.TraceSummaries?.find((s) => s.Id === traceId);
    expect(summary?.Annotations?.order_id?.[0]?.AnnotationValue).toEqual({ StringValue: 'o-42' });
    expect(summary?.Annotations?.items?.[0]?.AnnotationValue).toEqual({ NumberValue: 3 });
    expect(summary?.Annotations?.express?.[0]?.AnnotationValue).toEqual({ BooleanValue: false });
    expect(serviceLog).toEqual([]);
  });
});
