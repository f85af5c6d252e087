// The example app of examples/serverless-app as a user runs it: `cdk synth` in its folder, then
// `xray-tracer up --no-synth --assembly <dir>` from another folder, and every request does what it
// does on AWS (messages queued, items written and read back), each hop traced.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../support/run-process.ts';
import { waitFor } from './support/local-cloud.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP_DIR = join(ROOT, 'examples', 'serverless-app');
const work = mkdtempSync(join(tmpdir(), 'e2e-example-app-'));
const assemblyDir = join(work, 'cdk.out');
let child: ChildProcessByStdio<null, Readable, Readable> | undefined;
let output = '';

/** The user's own credentials: any key that is not a role's acts as the account. */
const outside = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'any' }, maxAttempts: 1 });

function printed(pattern: RegExp, what: string): string {
  const found = pattern.exec(output)?.[1];
  if (found === undefined) throw new Error(`up printed no ${what}:\n${output}`);
  return found;
}

const stage = (name: string): string => printed(new RegExp(`gateway {2}(http://127\\.0\\.0\\.1:\\d+/${name}/)`), `${name} stage`);
const endpointUrl = (): string => printed(/aws {6}(http:\/\/127\.0\.0\.1:\d+)/, 'AWS endpoint');
const xrayApi = (): string => printed(/api {5}(http:\/\/127\.0\.0\.1:\d+)/, 'X-Ray API');
/** The names the start lists for a kind (`queues`, `tables`). */
const listed = (kind: string): string[] => printed(new RegExp(`\\d+ ${kind}: (.*)\\n`), `${kind} line`).split(', ');
function named(kind: string, logicalId: string): string {
  const found = listed(kind).find((name) => name.startsWith(`ServerlessExample-${logicalId}`));
  if (found === undefined) throw new Error(`no ${kind} ${logicalId} in ${listed(kind).join()}`);
  return found;
}
const tableNamed = (logicalId: string): string => named('tables', logicalId);
const queueUrlOf = (logicalId: string): string => `${endpointUrl()}/000000000000/${named('queues', logicalId)}`;

interface Entity { name?: string; origin?: string; namespace?: string; subsegments?: Entity[] }

/** Every segment and subsegment of a trace (inferred ones included), as the X-Ray API returns it. */
async function traceEntities(traceId: string): Promise<Entity[]> {
  const response = await fetch(`${xrayApi()}/Traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ TraceIds: [traceId] }) });
  const body = (await response.json()) as { Traces?: Array<{ Segments?: Array<{ Document?: string }> }> };
  const all: Entity[] = [];
  const visit = (entity: Entity): void => {
    all.push(entity);
    for (const child of entity.subsegments ?? []) visit(child);
  };
  for (const segment of body.Traces?.[0]?.Segments ?? []) visit(JSON.parse(segment.Document ?? '{}') as Entity);
  return all;
}

function traceIdOf(response: Response): string {
  const header = response.headers.get('x-amzn-trace-id') ?? '';
  const root = /Root=([^;]+)/.exec(header)?.[1];
  if (root === undefined) throw new Error(`no trace id in "${header}"`);
  return root;
}

/** Waits until the trace holds an entity for each (name or origin, namespace) asked. */
async function expectHops(traceId: string, hops: ReadonlyArray<Partial<Entity>>): Promise<void> {
  const has = (entities: Entity[], hop: Partial<Entity>): boolean =>
    entities.some((entity) => Object.entries(hop).every(([key, value]) => entity[key as keyof Entity] === value));
  let entities: Entity[] = [];
  await waitFor(`trace ${traceId} to hold ${JSON.stringify(hops)}`, 20_000, async () => {
    entities = await traceEntities(traceId);
    return hops.every((hop) => has(entities, hop));
  }).catch((error: unknown) => {
    throw new Error(`${String(error)}; it holds ${JSON.stringify(entities.map(({ name, origin, namespace }) => ({ name, origin, namespace })))}`, { cause: error });
  });
}

beforeAll(async () => {
  const synth = await runProcess('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', assemblyDir], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? work, CDK_DISABLE_VERSION_CHECK: '1' },
    deadlineMs: 180_000,
    failAfterDeadline: 'cdk synth of the example app',
    cwd: APP_DIR,
  });
  if (synth.code !== 0) throw new Error(`cdk synth failed (${synth.code}):\n${synth.stdout}\n${synth.stderr}`);

  // From a folder with no node_modules above it: the assembly alone must run.
  const spawned = spawn(process.execPath, [
    join(ROOT, 'bin', 'xray-tracer.js'), 'up', '--no-synth', '--assembly', assemblyDir, '--data-dir', join(work, 'data'),
    '--daemon-address', '127.0.0.1:0', '--api-port', '0', '--otlp-port', 'off', '--gateway-port', '0', '--endpoint-port', '0',
  ], { cwd: work, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child = spawned;
  spawned.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  spawned.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor('the local cloud to start', 120_000, () => {
    if (spawned.exitCode !== null) throw new Error(`up exited:\n${output}`);
    return output.includes('Ctrl-C stops.');
  });
}, 300_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child?.on('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('the example serverless app, synthesized and run with up --no-synth --assembly', () => {
  it('counts what runs and names what does not, never listing the S3 bucket as created', () => {
    const runs = printed(/runs {5}(.*)\n/, 'runs line');
    // Each kind on its own: other kinds join the line as the local cloud runs more (HTTP APIs, function URLs).
    for (const kind of ['7 functions', '5 queues', '3 tables', '1 topic', '2 REST APIs', '1 HTTP API', '1 function URL']) expect(runs.split(', '), runs).toContain(kind);
    const queues = listed('queues');
    expect(queues).toHaveLength(5);
    expect(queues.some((name) => /^ServerlessExample-Messages[\w-]+$/.test(name)), queues.join()).toBe(true);
    expect(queues.some((name) => name.endsWith('.fifo')), queues.join()).toBe(true);
    // The FIFO queue, the filter policies, the stream and the rule all run: none is named as not run.
    expect(output).not.toMatch(/FilterPolicy|StreamSpecification|AWS::Events::Rule\)|OrdersFifo\w* \(AWS::SQS::Queue\)/);
    expect(output).toMatch(/ServerlessExample\/Uploads\w+ \(AWS::S3::Bucket\): this resource type is not run locally: the resource is not created/);
  });

  it('LambdaRestApi: the proxy event reaches the function and its answer comes back, traced stage -> Lambda -> function', async () => {
    const response = await fetch(`${stage('proxy')}some/path?x=1`);
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { message: 'hello', method: 'GET', path: '/some/path', query: { x: '1' } },
    });
    await expectHops(traceIdOf(response), [
      { name: 'ProxyApi/proxy', origin: 'AWS::ApiGateway::Stage' },
      { name: 'Lambda', namespace: 'aws' },
      { origin: 'AWS::Lambda' },
      { origin: 'AWS::Lambda::Function' },
    ]);
  });

  it('SQS SendMessage integration: the message is on the queue, read back with the user\'s own credentials', async () => {
    const response = await fetch(`${stage('prod')}messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"order":42}' });
    expect(response.status).toBe(200);
    const { messageId } = (await response.json()) as { messageId: string };
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    const sqs = new SQSClient(outside(endpointUrl()));
    try {
      const queueUrl = `${endpointUrl()}/000000000000/${printed(/queues?: (?:.*, )?(ServerlessExample-Messages[\w-]+)/, 'queue')}`;
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      expect(received.Messages?.map((message) => [message.MessageId, message.Body])).toEqual([[messageId, '{"order":42}']]);
    } finally {
      sqs.destroy();
    }
    await expectHops(traceIdOf(response), [
      { name: 'DirectApi/prod', origin: 'AWS::ApiGateway::Stage' },
      { name: 'SQS', namespace: 'aws' },
      { name: 'SQS', origin: 'AWS::SQS::Queue' },
    ]);
  });

  it('DynamoDB PutItem and Query integrations: the item is written, read back through the API and with the SDK', async () => {
    const put = await fetch(`${stage('prod')}items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"o-1","name":"first"}' });
    expect({ status: put.status, body: await put.text() }).toEqual({ status: 200, body: '{"stored":true}' });
    const read = await fetch(`${stage('prod')}items/o-1`);
    expect({ status: read.status, body: await read.json() }).toEqual({ status: 200, body: { count: 1, name: 'first' } });
    const dynamodb = new DynamoDBClient(outside(endpointUrl()));
    try {
      const table = tableNamed('Items');
      const item = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'o-1' } } }));
      expect(item.Item).toEqual({ id: { S: 'o-1' }, name: { S: 'first' } });
    } finally {
      dynamodb.destroy();
    }
    for (const response of [put, read]) {
      await expectHops(traceIdOf(response), [
        { name: 'DirectApi/prod', origin: 'AWS::ApiGateway::Stage' },
        { name: 'DynamoDB', namespace: 'aws' },
        { name: 'DynamoDB', origin: 'AWS::DynamoDB::Table' },
      ]);
    }
  });

  // Each needs what another branch builds; the app already declares the flow (examples/serverless-app/stack.ts).
  it('GET /prod/chain: Caller invokes Callee with @aws-sdk/client-lambda and answers its payload, traced Caller -> Lambda subsegment -> AWS::Lambda -> Callee', async () => {
    const response = await fetch(`${stage('prod')}chain`);
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { callee: { greeting: 'hello from the callee', from: 'caller' } },
    });
    const traceId = traceIdOf(response);
    await expectHops(traceId, [{ name: 'Lambda', namespace: 'aws' }]);
    const entities = await traceEntities(traceId);
    const functions = entities.filter((entity) => entity.origin === 'AWS::Lambda::Function').map((entity) => entity.name ?? '');
    expect(functions.some((name) => name.includes('Caller')), functions.join()).toBe(true);
    expect(functions.some((name) => name.includes('Callee')), functions.join()).toBe(true);
  });
  it('HTTP API: GET <HttpApi>/hello reaches Hello with a payload 2.0 event; the function\'s segment starts the trace, as on AWS', async () => {
    const url = printed(/http api (http:\/\/127\.0\.0\.1:\d+\/)/, 'HTTP API URL');
    const response = await fetch(`${url}hello?x=2`);
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { message: 'hello', method: 'GET', path: '/hello', query: { x: '2' } },
    });
  });

  it('function URL: GET <FunctionUrl>/hello reaches Hello with the function URL event', async () => {
    const url = printed(/fn url {3}(http:\/\/127\.0\.0\.1:\d+\/)/, 'function URL');
    const response = await fetch(`${url}hello`, { method: 'POST', body: 'x' });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { message: 'hello', method: 'POST', path: '/hello', query: {} },
    });
  });

  describe('event flows started by POST /prod/drive/{flow}', () => {
    const drive = (flow: string, run: string): Promise<Response> =>
      fetch(`${stage('prod')}drive/${flow}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ run }) });

    /** Every message on the queue now (the sends were answered, so they are there), read with the user's own credentials. */
    async function drain(logicalId: string): Promise<string[]> {
      const sqs = new SQSClient(outside(endpointUrl()));
      const bodies: string[] = [];
      try {
        for (;;) {
          const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrlOf(logicalId), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
          if ((received.Messages ?? []).length === 0) return bodies;
          bodies.push(...(received.Messages ?? []).map((message) => message.Body ?? ''));
        }
      } finally {
        sqs.destroy();
      }
    }

    /** The `Seen` table's list at `id` once it holds `count` entries (the consumers run after the request). */
    async function seen(id: string, count: number): Promise<string[]> {
      const dynamodb = new DynamoDBClient(outside(endpointUrl()));
      let entries: string[] = [];
      try {
        await waitFor(`Seen ${id} to hold ${count}`, 30_000, async () => {
          const item = await dynamodb.send(new GetItemCommand({ TableName: tableNamed('Seen'), Key: { id: { S: id } }, ConsistentRead: true }));
          entries = (item.Item?.['seen']?.L ?? []).map((entry) => entry.S ?? '');
          return entries.length >= count;
        });
        return entries;
      } finally {
        dynamodb.destroy();
      }
    }

    async function functionsIn(traceId: string): Promise<string[]> {
      return (await traceEntities(traceId)).filter((entity) => entity.origin === 'AWS::Lambda::Function').map((entity) => entity.name ?? '');
    }

    it('SNS filter policies: of 3 messages, the attribute-filtered queue gets the red one, the body-filtered queue the big one, the third goes nowhere', async () => {
      const response = await drive('publish', 'p1');
      expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { flow: 'publish', done: ['published 3'] } });
      expect(await drain('RedOrders')).toEqual([JSON.stringify({ run: 'p1', size: 'small' })]);
      expect(await drain('BigOrders')).toEqual([JSON.stringify({ run: 'p1', size: 'big' })]);
      await expectHops(traceIdOf(response), [
        { name: 'DirectApi/prod', origin: 'AWS::ApiGateway::Stage' },
        { origin: 'AWS::Lambda::Function' },
        { name: 'SNS', namespace: 'aws' },
        { origin: 'AWS::SNS' },
      ]);
    });

    it('SQS FIFO: the consumer sees each group\'s messages in the order they were sent, and continues the sender\'s trace', async () => {
      const response = await drive('fifo', 'f1');
      expect(response.status).toBe(200);
      expect((await seen('fifo-f1-A', 3)).map(Number)).toEqual([1, 2, 3]);
      expect((await seen('fifo-f1-B', 2)).map(Number)).toEqual([1, 2]);
      const traceId = traceIdOf(response);
      await expectHops(traceId, [{ name: 'SQS', namespace: 'aws' }, { origin: 'AWS::SQS::Queue' }]);
      await waitFor('the FIFO consumer in the sender\'s trace', 20_000, async () => (await functionsIn(traceId)).some((name) => name.includes('FifoConsumer')));
    });

    it('DynamoDB Streams: the stream feeds the function an INSERT then a MODIFY with their images, in a trace of its own', async () => {
      const response = await drive('stream', 's1');
      expect(response.status).toBe(200);
      const records = (await seen('stream-s1', 2)).map((entry) => JSON.parse(entry) as { eventName: string; oldImage: unknown; newImage: unknown; trace: string });
      expect(records.map(({ eventName, oldImage, newImage }) => ({ eventName, oldImage, newImage }))).toEqual([
        { eventName: 'INSERT', oldImage: null, newImage: { id: { S: 's1' }, status: { S: 'new' } } },
        { eventName: 'MODIFY', oldImage: { id: { S: 's1' }, status: { S: 'new' } }, newImage: { id: { S: 's1' }, status: { S: 'paid' } } },
      ]);
      const writer = traceIdOf(response);
      await expectHops(writer, [{ name: 'DynamoDB', namespace: 'aws' }, { name: 'DynamoDB', origin: 'AWS::DynamoDB::Table' }]);
      // A stream-triggered invocation starts its own trace, as on AWS: not the writer's.
      const own = records[0]?.trace ?? '';
      expect(own).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(own).not.toBe(writer);
      await expectHops(own, [{ origin: 'AWS::Lambda' }, { origin: 'AWS::Lambda::Function' }]);
      expect((await functionsIn(own)).some((name) => name.includes('StreamConsumer'))).toBe(true);
    });

    it('EventBridge: the rule routes the matching event to the queue and the function in the sender\'s trace; the other event goes nowhere', async () => {
      const response = await drive('events', 'e1');
      expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { flow: 'events', done: ['put 2'] } });
      const traceId = traceIdOf(response);
      const consumed = (await seen('event-e1', 1)).map((entry) => JSON.parse(entry) as { detailType: string; kind: string; trace: string });
      expect(consumed).toEqual([{ detailType: 'OrderPlaced', kind: 'matched', trace: traceId }]);
      const queued = (await drain('RoutedEvents')).map((body) => JSON.parse(body) as { 'detail-type': string; detail: unknown });
      expect(queued.map((event) => [event['detail-type'], event.detail])).toEqual([['OrderPlaced', { run: 'e1', kind: 'matched' }]]);
      await expectHops(traceId, [{ name: 'EventBridge', namespace: 'aws' }, { origin: 'AWS::Lambda' }]);
      await waitFor('the event consumer in the sender\'s trace', 20_000, async () => (await functionsIn(traceId)).some((name) => name.includes('EventConsumer')));
      // Nothing more arrives for the ignored event: the function saw one event only.
      expect(await seen('event-e1', 1)).toHaveLength(1);
    });
  });
});
