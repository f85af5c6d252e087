/**
 * A Flask app instrumented with the AWS X-Ray SDK for Python's defaults (programs/flask_app.py:
 * XRayMiddleware, patch_all, in_subsegment, capture, annotations, metadata, an outbound `requests`
 * call, a route that raises) against a started service: sampling rules from the daemon's TCP port,
 * documents over UDP through a tap that keeps the exact bytes. Every document is stored and
 * BatchGetTraces returns it byte for byte; GetTraceSummaries finds the traces by annotation.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BatchGetTracesCommand, CreateSamplingRuleCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../src/xray/service.ts';
import { MemoryTraceStore } from '../../src/xray/store/index.ts';
import { untilStored } from '../xray/support/until-stored.ts';
import { startUdpTap, type UdpTap } from './support/udp-tap.ts';
import { runProcess, type ProcessRun } from '../support/run-process.ts';

type Doc = Record<string, unknown>;

const PROGRAM = fileURLToPath(new URL('./programs/flask_app.py', import.meta.url));
const RUN_DEADLINE_MS = 30_000;

const probe = spawnSync('python3', ['-c', 'import flask, requests, boto3, aws_xray_sdk'], { encoding: 'utf8' });
const missing = probe.error !== undefined
  ? 'python3 is missing'
  : probe.status !== 0 ? 'python3 lacks flask, requests, boto3 or aws_xray_sdk (pip install flask requests boto3 aws-xray-sdk)' : undefined;

const serviceLog: string[] = [];
const logger: Logger = { info: () => {}, warn: (line) => serviceLog.push(line), error: (line) => serviceLog.push(line) };
let service: XrayService;
let tap: UdpTap;
let client: XRayClient;

beforeAll(async () => {
  if (missing !== undefined) return;
  service = await startXrayService({ store: new MemoryTraceStore(), daemonPort: 0, apiPort: 0, logger, consoleDir: false });
  tap = await startUdpTap(service.daemon.udp.port);
  client = new XRayClient({ endpoint: service.api.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterAll(async () => {
  client?.destroy();
  await tap?.close();
  await service?.stop();
});

function runFlaskApp(daemonAddress: string, apiUrl: string): Promise<ProcessRun> {
  return runProcess('python3', [PROGRAM], {
    env: { ...process.env, AWS_XRAY_DAEMON_ADDRESS: daemonAddress, XRAY_API_URL: apiUrl }, deadlineMs: RUN_DEADLINE_MS, failAfterDeadline: 'flask_app.py',
  });
}

describe.skipIf(missing !== undefined)(`a Flask app with the AWS X-Ray SDK for Python${missing === undefined ? '' : ` (skipped: ${missing})`}`, () => {
  test('every request traced, every document stored and returned as sent, found by annotation', async () => {
    // A rule of the app's own, read by the SDK from the daemon's TCP port: each segment names the
    // rule that sampled it, so the decision is shown to be the centralized one.
    await client.send(new CreateSamplingRuleCommand({
      SamplingRule: {
        RuleName: 'flask-orders', ResourceARN: '*', Priority: 1, FixedRate: 1, ReservoirSize: 0, ServiceName: 'flask-orders',
        ServiceType: '*', Host: '*', HTTPMethod: '*', URLPath: '*', Version: 1,
      },
    }));
    const run = await runFlaskApp(`udp:127.0.0.1:${tap.port} tcp:127.0.0.1:${service.daemon.tcp.port}`, service.api.url);
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    // The SDK had nothing to warn about (Flask itself logs the exception /charge raises).
    expect(run.stderr.split('\n').filter((text) => /^aws_xray_sdk\S* (WARNING|ERROR|CRITICAL)/.test(text))).toEqual([]);
    expect(run.stderr).toContain('ValueError: card declined');
    const line = run.stdout.split('\n').find((text) => text.startsWith('RESULT '));
    const result = JSON.parse(line?.slice('RESULT '.length) ?? '{}') as { traces: Record<string, string>; rules: string[] };
    expect(result.rules).toContain('flask-orders');
    const traceIds = Object.values(result.traces);
    expect(traceIds).toHaveLength(3);

    const sent = tap.texts();
    // One document per request: each segment is sent whole when the request ends.
    expect(sent.map((text) => (JSON.parse(text) as Doc).trace_id).sort()).toEqual([...traceIds].sort());
    const receivedDeadline = Date.now() + 5000;
    while (service.stats().udp.received < sent.length) {
      if (Date.now() > receivedDeadline) throw new Error(`the daemon received ${service.stats().udp.received} of ${sent.length} documents`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(service.stats().udp).toMatchObject({ accepted: sent.length, rejected: 0 });
    await untilStored(service);

    const batch = await client.send(new BatchGetTracesCommand({ TraceIds: traceIds }));
    expect(batch.UnprocessedTraceIds).toEqual([]);
    const documents = (batch.Traces ?? []).flatMap((trace) => (trace.Segments ?? []).map((segment) => segment.Document ?? ''));
    const returned = documents.filter((document) => (JSON.parse(document) as Doc).inferred !== true);
    expect(returned.sort()).toEqual([...sent].sort());
    // X-Ray's inferred node for the outbound call to the local server.
    expect(documents.map((document) => JSON.parse(document) as Doc).filter((doc) => doc.inferred === true).map((doc) => doc.name)).toContain('127.0.0.1');

    // The app really produced what the test claims to check.
    const byTrace = new Map(sent.map((text) => [(JSON.parse(text) as Doc).trace_id, JSON.parse(text) as Doc]));
    const order = byTrace.get(result.traces['/orders/7']) as Doc;
    expect(order).toMatchObject({
      name: 'flask-orders', annotations: { customer: 'alice', vip: true }, user: 'alice',
      http: { request: { method: 'GET', user_agent: 'flask-round-trip/1.0' }, response: { status: 200 } },
      metadata: { orders: { request: { order: 7, note: null } } },
    });
    const children = order.subsegments as Doc[];
    expect(children.map((child) => [child.name, child.namespace])).toEqual([['load_order', 'local'], ['xray', 'aws'], ['price_order', 'local']]);
    expect(children[1]).toMatchObject({ aws: { operation: 'GetGroups', region: 'us-east-1' }, http: { response: { status: 200 } } });
    expect((children[0]?.subsegments as Doc[])[0]).toMatchObject({
      // The requests patcher writes the method as the caller spelled it: requests passes 'get'.
      name: '127.0.0.1', namespace: 'remote', http: { request: { method: 'get', url: expect.stringMatching(/\/inventory\/A-1$/) }, response: { status: 200 } },
    });
    for (const doc of byTrace.values()) expect(doc.aws).toMatchObject({ xray: { sampling_rule_name: 'flask-orders' } });
    const charge = byTrace.get(result.traces['/charge']) as Doc;
    expect(charge).toMatchObject({ fault: true, http: { response: { status: 500 } }, cause: { exceptions: [{ message: 'card declined', type: 'ValueError' }] } });

    const window = { StartTime: new Date(Date.now() - 300_000), EndTime: new Date(Date.now() + 60_000) };
    const idsFor = async (FilterExpression: string): Promise<string[]> =>
      ((await client.send(new GetTraceSummariesCommand({ ...window, FilterExpression }))).TraceSummaries ?? []).map((summary) => summary.Id ?? '').sort();
    expect(await idsFor('annotation.customer = "alice" AND annotation.vip = true')).toEqual([result.traces['/orders/7']]);
    expect(await idsFor('annotation.customer = "bob" AND fault')).toEqual([result.traces['/charge']]);
    expect(await idsFor('annotation.rows = 3')).toEqual([result.traces['/orders/7']]);
    expect(await idsFor('service("flask-orders")')).toEqual([...traceIds].sort());
    expect(serviceLog).toEqual([]);
  });
});
