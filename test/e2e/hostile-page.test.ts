/// <reference lib="dom" />
// Callbacks passed to evaluate run in the browser.
/**
 * Localhost is not a trust boundary: a page on another origin, in Chromium, tries to write to and
 * read from every listener (the X-Ray API and console, the daemon's TCP side, OTLP, the AWS
 * endpoint, API Gateway, the HTTPS target) with fetch (no-cors and cors), sendBeacon, form POSTs
 * (urlencoded and text/plain) and images, and then as a DNS-rebinding page (a name that resolves
 * to 127.0.0.1, same-origin to itself); it achieves nothing, while the console still works.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetTracesCommand, GetGroupsCommand, GetSamplingRulesCommand, GetSamplingStatisticSummariesCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LocalAws } from '../../src/cloud/endpoint/index.ts';
import { ApiGateway } from '../../src/cloud/gateway/index.ts';
import { HttpsTarget } from '../../src/cloud/https-target/index.ts';
import type { CloudResource, InvokeResult } from '../../src/cloud/core/types.ts';
import { silentLogger } from '../../src/xray/log/logger.ts';
import { startXrayService } from '../../src/xray/service.ts';
import type { XrayService } from '../../src/xray/service.ts';
import { MemoryTraceStore } from '../../src/xray/store/index.ts';
import { cloudModel, queueArn, queueResource, resource } from '../cloud/endpoint/model.ts';
import { patternLikeModel, TOPIC_ARN } from '../cloud/gateway/support.ts';
import { CHROMIUM, ensureConsoleBuilt } from './console/browser.ts';

/** The rebinding page's name; Chromium resolves it to 127.0.0.1 (--host-resolver-rules). */
const EVIL = 'evil.test';
const REQUEST_TIMEOUT_MS = 3000;
const NOW_S = Math.floor(Date.now() / 1000);
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const SEEDED_TRACE = `1-${hex(NOW_S, 8)}-${'a'.repeat(24)}`;
const ATTACK_TRACE = `1-${hex(NOW_S, 8)}-${'b'.repeat(24)}`;
const ACCOUNT = '000000000000';

interface FetchStep {
  readonly url: string;
  readonly method: string;
  readonly mode: 'cors' | 'no-cors';
  readonly body?: string;
  /** Sent as a Blob with no type: a body with no Content-Type at all. */
  readonly blob?: boolean;
  readonly headers?: Record<string, string>;
}

interface FormStep {
  readonly action: string;
  readonly method: 'GET' | 'POST';
  readonly enctype: string;
  readonly fields: ReadonlyArray<readonly [string, string]>;
}

interface Plan {
  readonly beacons: ReadonlyArray<{ readonly url: string; readonly body: string }>;
  readonly fetches: readonly FetchStep[];
  readonly forms: readonly FormStep[];
  readonly images: readonly string[];
  readonly timeoutMs: number;
}

/** What a listener is asked to do: writes with their JSON bodies, and reads. */
interface Target {
  readonly name: string;
  readonly origin: string;
  readonly writes: ReadonlyArray<{ readonly path: string; readonly json: string; readonly headers?: Record<string, string> }>;
  readonly forms: ReadonlyArray<Omit<FormStep, 'action'> & { readonly path: string }>;
  readonly reads: ReadonlyArray<{ readonly path: string; readonly method: string; readonly json?: string }>;
  readonly images: readonly string[];
}

let dataDir: string;
let service: XrayService;
let xray: XRayClient;
let aws: LocalAws;
let gateway: ApiGateway;
let target: HttpsTarget;
let attacker: Server;
let attackerOrigin: string;
let browser: Browser;
let context: BrowserContext;
let targets: Target[];

function segment(traceId: string, name: string): string {
  return JSON.stringify({ trace_id: traceId, id: hex(Math.floor(Math.random() * 2 ** 48), 16), name, start_time: NOW_S - 5, end_time: NOW_S - 4 });
}

/** SNS Publish, SQS SendMessage (query protocol) and a DynamoDB PutItem, as a page would send them. */
function cloudTargets(endpoint: string, gatewayUrl: string, targetOrigin: string): Target[] {
  const publish: Array<[string, string]> = [['Action', 'Publish'], ['Version', '2010-03-31'], ['TopicArn', TOPIC_ARN], ['Message', 'from a page']];
  const sendMessage: Array<[string, string]> = [['Action', 'SendMessage'], ['Version', '2012-11-05'], ['QueueUrl', `${endpoint}/${ACCOUNT}/direct`], ['MessageBody', 'from a page']];
  return [
    {
      name: 'aws endpoint',
      origin: endpoint,
      writes: [
        { path: '/', json: JSON.stringify({ QueueUrl: `${endpoint}/${ACCOUNT}/direct`, MessageBody: 'x' }), headers: { 'x-amz-target': 'AmazonSQS.SendMessage', 'content-type': 'application/x-amz-json-1.0' } },
        { path: '/', json: JSON.stringify({ TableName: 'Hits', Item: { path: { S: '/pwned' } } }), headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem', 'content-type': 'application/x-amz-json-1.0' } },
        { path: '/', json: new URLSearchParams(publish).toString() },
      ],
      forms: [
        { path: '/', method: 'POST', enctype: 'application/x-www-form-urlencoded', fields: publish },
        { path: '/', method: 'POST', enctype: 'application/x-www-form-urlencoded', fields: sendMessage },
      ],
      reads: [
        { path: '/', method: 'POST', json: JSON.stringify({ TableName: 'Hits', Key: { path: { S: '/seeded' } } }) },
        { path: `/?Action=ListQueues&Version=2012-11-05`, method: 'GET' },
      ],
      images: [],
    },
    {
      name: 'api gateway',
      origin: gatewayUrl,
      writes: [{ path: '/prod/pwned', json: '{}' }],
      forms: [{ path: '/prod/pwned', method: 'GET', enctype: 'application/x-www-form-urlencoded', fields: [['a', 'b']] }],
      reads: [{ path: '/prod/pwned', method: 'GET' }],
      images: [`${gatewayUrl}/prod/pwned-image`],
    },
    { name: 'https target', origin: targetOrigin, writes: [], forms: [], reads: [{ path: '/todos/1', method: 'GET' }], images: [] },
  ];
}

function xrayTargets(): Target[] {
  const api = service.api.url;
  const otlp = service.otlp?.url ?? '';
  const daemon = `http://127.0.0.1:${service.daemon.tcp.port}`;
  const rule = { RuleName: 'pwned', Priority: 1, FixedRate: 0, ReservoirSize: 0, ServiceName: '*', ServiceType: '*', Host: '*', HTTPMethod: '*', URLPath: '*', ResourceARN: '*', Version: 1 };
  const statistics = { SamplingStatisticsDocuments: [{ RuleName: 'Default', ClientID: 'c'.repeat(24), Timestamp: NOW_S, RequestCount: 100, SampledCount: 100, BorrowCount: 0 }] };
  const span = {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'pwned' } }] },
      scopeSpans: [{ spans: [{ traceId: `${hex(NOW_S, 8)}${'c'.repeat(24)}`, spanId: 'd'.repeat(16), name: 'x', kind: 2, startTimeUnixNano: `${(NOW_S - 5) * 1e9}`, endTimeUnixNano: `${(NOW_S - 4) * 1e9}` }] }],
    }],
  };
  // text/plain carries a JSON document when the field name ends where the value starts: `{"a":"` + `=` + `"}`.
  const jsonAsTextPlain = (json: string): Array<[string, string]> => [[json.slice(0, -2), json.slice(-2)]];
  const segments = JSON.stringify({ TraceSegmentDocuments: [segment(ATTACK_TRACE, 'pwned')] });
  return [
    {
      name: 'xray api',
      origin: api,
      writes: [
        { path: '/TraceSegments', json: segments },
        { path: '/CreateGroup', json: JSON.stringify({ GroupName: 'pwned', FilterExpression: 'fault' }) },
        { path: '/CreateSamplingRule', json: JSON.stringify({ SamplingRule: rule }) },
      ],
      forms: [
        { path: '/CreateGroup', method: 'POST', enctype: 'text/plain', fields: jsonAsTextPlain(JSON.stringify({ GroupName: 'pwned2', FilterExpression: 'fault' })) },
        { path: '/TraceSegments', method: 'POST', enctype: 'text/plain', fields: jsonAsTextPlain(segments) },
      ],
      reads: [
        { path: '/TraceSummaries', method: 'POST', json: JSON.stringify({ StartTime: NOW_S - 600, EndTime: NOW_S + 60 }) },
        { path: '/Traces', method: 'POST', json: JSON.stringify({ TraceIds: [SEEDED_TRACE] }) },
        { path: '/', method: 'GET' },
      ],
      images: [],
    },
    {
      name: 'daemon tcp',
      origin: daemon,
      writes: [{ path: '/SamplingTargets', json: JSON.stringify(statistics) }],
      forms: [{ path: '/SamplingTargets', method: 'POST', enctype: 'text/plain', fields: jsonAsTextPlain(JSON.stringify(statistics)) }],
      reads: [{ path: '/GetSamplingRules', method: 'POST', json: '{}' }],
      images: [],
    },
    {
      name: 'otlp',
      origin: otlp,
      writes: [{ path: '/v1/traces', json: JSON.stringify(span) }],
      forms: [{ path: '/v1/traces', method: 'POST', enctype: 'text/plain', fields: jsonAsTextPlain(JSON.stringify(span)) }],
      reads: [],
      images: [],
    },
  ];
}

/** Every way a cross-site page can send to `origin` (which it names by `base`, e.g. a rebinding name). */
function planFor(list: readonly Target[], base: (target: Target) => string): Plan {
  const fetches: FetchStep[] = [];
  const beacons: Array<{ url: string; body: string }> = [];
  const forms: FormStep[] = [];
  for (const t of list) {
    const at = base(t);
    for (const write of t.writes) {
      const url = `${at}${write.path}`;
      beacons.push({ url, body: write.json });
      fetches.push({ url, method: 'POST', mode: 'no-cors', body: write.json });
      fetches.push({ url, method: 'POST', mode: 'no-cors', body: write.json, blob: true });
      fetches.push({ url, method: 'POST', mode: 'cors', body: write.json, headers: { 'content-type': 'application/json', ...write.headers } });
    }
    for (const read of t.reads) {
      fetches.push({ url: `${at}${read.path}`, method: read.method, mode: 'cors', ...(read.json !== undefined ? { body: read.json } : {}) });
      fetches.push({ url: `${at}${read.path}`, method: read.method, mode: 'cors', ...(read.json !== undefined ? { body: read.json, headers: { 'content-type': 'application/json' } } : {}) });
    }
    for (const form of t.forms) forms.push({ action: `${at}${form.path}`, method: form.method, enctype: form.enctype, fields: form.fields });
  }
  return { beacons, fetches, forms, images: list.flatMap((t) => t.images.map((image) => image.replace(t.origin, base(t)))), timeoutMs: REQUEST_TIMEOUT_MS };
}

/** Runs in the page: sends everything, returns each answer the page could read (status and body). */
async function runPlan(plan: Plan): Promise<string[]> {
  const readable: string[] = [];
  for (const beacon of plan.beacons) {
    try {
      navigator.sendBeacon(beacon.url, beacon.body);
    } catch {
      // refused by the browser: nothing sent
    }
  }
  for (const step of plan.fetches) {
    try {
      const init: RequestInit = { method: step.method, mode: step.mode, credentials: 'include', signal: AbortSignal.timeout(plan.timeoutMs) };
      if (step.body !== undefined) init.body = step.blob === true ? new Blob([step.body]) : step.body;
      if (step.headers) init.headers = step.headers;
      const response = await fetch(step.url, init);
      if (response.type !== 'opaque') readable.push(`${step.method} ${step.url} -> ${response.status} ${await response.text()}`);
    } catch {
      // a network error: CORS refused, preflight failed, or a header no-cors may not send
    }
  }
  let index = 0;
  for (const form of plan.forms) {
    const frame = document.createElement('iframe');
    frame.name = `sink${index++}`;
    document.body.append(frame);
    const element = document.createElement('form');
    element.method = form.method;
    element.action = form.action;
    element.enctype = form.enctype;
    element.target = frame.name;
    for (const [name, value] of form.fields) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      element.append(input);
    }
    document.body.append(element);
    await new Promise<void>((resolve) => {
      frame.addEventListener('load', () => resolve(), { once: true });
      setTimeout(resolve, plan.timeoutMs);
      element.submit();
    });
  }
  for (const src of plan.images) {
    await new Promise<void>((resolve) => {
      const image = new Image();
      image.onload = () => resolve();
      image.onerror = () => resolve();
      setTimeout(resolve, plan.timeoutMs);
      image.src = src;
    });
  }
  return readable;
}

/** Same-origin reads and writes of a page whose name now resolves to 127.0.0.1: it can read any answer. */
async function runSameOrigin({ steps, timeoutMs }: { steps: ReadonlyArray<{ path: string; method: string; body?: string; headers?: Record<string, string> }>; timeoutMs: number }): Promise<string[]> {
  const answers: string[] = [];
  for (const step of steps) {
    try {
      const init: RequestInit = { method: step.method, signal: AbortSignal.timeout(timeoutMs) };
      if (step.body !== undefined) init.body = step.body;
      if (step.headers) init.headers = step.headers;
      const response = await fetch(step.path, init);
      answers.push(`${response.status} ${step.method} ${step.path} ${await response.text()}`);
    } catch (error) {
      answers.push(`error ${step.method} ${step.path} ${String(error)}`);
    }
  }
  return answers;
}

beforeAll(async () => {
  ensureConsoleBuilt();
  dataDir = await mkdtemp(join(tmpdir(), 'hostile-page-'));
  service = await startXrayService({ store: new MemoryTraceStore(), daemonPort: 0, apiPort: 0, otlpPort: 0, logger: silentLogger });
  xray = new XRayClient({ endpoint: service.api.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [segment(SEEDED_TRACE, 'seeded')] }));

  // The gateway publishes to the fan-out topic, which delivers to a queue: a publish would be counted there.
  const resources: CloudResource[] = [
    ...patternLikeModel().resources.map((r) => ({ ...r, stack: 'Api' })),
    resource('Api', 'Topic', 'AWS::SNS::Topic', {}, TOPIC_ARN),
    queueResource('Api', 'FanOutQueue', 'fanout'),
    queueResource('Api', 'DirectQueue', 'direct'),
    resource('Api', 'Subscription', 'AWS::SNS::Subscription', { TopicArn: TOPIC_ARN, Protocol: 'sqs', Endpoint: queueArn('fanout'), RawMessageDelivery: 'true' }, `${TOPIC_ARN}:1`),
    resource('Api', 'Table', 'AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'path', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'path', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }, 'Hits'),
  ];
  const model = cloudModel(resources);
  aws = new LocalAws({ model, lambda: { invoke: async (): Promise<InvokeResult> => ({ statusCode: 200 }) }, port: 0, dataDirectory: join(dataDir, 'cloud') });
  await aws.start();
  gateway = new ApiGateway({ model, awsEndpointUrl: aws.url, port: 0, logger: { info: () => {}, warn: () => {}, error: () => {} } });
  await gateway.start();
  target = new HttpsTarget({ caFile: join(dataDir, 'ca.pem'), warn: () => {} });
  await target.start();

  attacker = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>a page on another origin</title><body></body>');
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;

  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      `--host-resolver-rules=MAP ${EVIL} 127.0.0.1`,
      // Chromium's own Local Network Access checks would stop the rebound page first; other
      // browsers have none, so the listeners must refuse it themselves, and that is what is tested.
      '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights',
    ],
  });
  // Certificate errors ignored, so that the HTTPS target is refused by its guard, not by TLS.
  context = await browser.newContext({ ignoreHTTPSErrors: true });
  targets = [...xrayTargets(), ...cloudTargets(aws.url, gateway.url, target.origin)];
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  xray?.destroy();
  await target?.stop();
  await gateway?.stop();
  await aws?.stop();
  await service?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

/** Nothing the pages tried is there: no segment, group, rule, statistics, span, message or item. */
async function expectNothingChanged(): Promise<void> {
  expect(((await xray.send(new GetGroupsCommand({}))).Groups ?? []).map((group) => group.GroupName)).toEqual(['Default']);
  expect((await xray.send(new BatchGetTracesCommand({ TraceIds: [ATTACK_TRACE] }))).Traces ?? []).toEqual([]);
  expect(((await xray.send(new GetSamplingRulesCommand({}))).SamplingRuleRecords ?? []).map((record) => record.SamplingRule?.RuleName)).toEqual(['Default']);
  expect((await xray.send(new GetSamplingStatisticSummariesCommand({}))).SamplingStatisticSummaries ?? []).toEqual([]);
  expect(service.stats().otlp?.acceptedSpans).toBe(0);
  const config = { endpoint: aws.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'any' }, maxAttempts: 1 };
  const sqs = new SQSClient(config);
  const dynamodb = new DynamoDBClient(config);
  try {
    for (const queue of ['fanout', 'direct']) {
      const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${aws.url}/${ACCOUNT}/${queue}`, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      expect(attributes.Attributes, queue).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    }
    expect((await dynamodb.send(new GetItemCommand({ TableName: 'Hits', Key: { path: { S: '/pwned' } } }))).Item).toBeUndefined();
  } finally {
    sqs.destroy();
    dynamodb.destroy();
  }
}

describe('a hostile page in Chromium', () => {
  test('on another origin, writes to and reads from no listener', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${attackerOrigin}/`);
      const readable = await page.evaluate(runPlan, planFor(targets, (t) => t.origin));
      expect(readable).toEqual([]);
      // Beacons and forms were sent first; a round trip through each listener now orders after them.
      await expectNothingChanged();
    } finally {
      await page.close();
    }
  }, 90_000);

  test('as a DNS-rebinding page (same-origin to itself), reads and writes nothing on any listener', async () => {
    for (const t of targets) {
      const origin = new URL(t.origin);
      const rebound = `${origin.protocol}//${EVIL}:${origin.port}`;
      const page = await context.newPage();
      try {
        // The attacker's page was served under its name on the listener's port; then the name was
        // rebound to 127.0.0.1, so what the page sends now reaches the listener, same-origin.
        await page.route(`${rebound}/landing`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>rebinding</title>' }));
        await page.goto(`${rebound}/landing`);
        const steps = [
          { path: '/', method: 'GET' },
          ...t.writes.map((write) => ({ path: write.path, method: 'POST', body: write.json, headers: { 'content-type': 'application/json', ...write.headers } })),
          ...t.reads.map((read) => ({ path: read.path, method: read.method, ...(read.json !== undefined ? { body: read.json, headers: { 'content-type': 'application/json' } } : {}) })),
        ];
        const answers = await page.evaluate(runSameOrigin, { steps, timeoutMs: REQUEST_TIMEOUT_MS });
        for (const answer of answers) expect(answer, t.name).toMatch(/^403 /);
        expect(answers.join('\n')).not.toContain(SEEDED_TRACE);
      } finally {
        await page.close();
      }
    }
    await expectNothingChanged();
  }, 90_000);

  test('the console, opened at its own origin, still lists the traces', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${service.api.url}/#/traces`);
      await expect.poll(() => page.locator(`tr[data-trace-id="${SEEDED_TRACE}"]`).count(), { timeout: 20_000 }).toBe(1);
    } finally {
      await page.close();
    }
  }, 60_000);
});
