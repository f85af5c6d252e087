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
    for (const kind of ['3 functions', '2 queues', '1 table', '2 REST APIs', '1 HTTP API', '1 function URL']) expect(runs.split(', '), runs).toContain(kind);
    const queues = printed(/2 queues: (.*)\n/, 'queues line').split(', ');
    expect(queues.some((name) => /^ServerlessExample-Messages[\w-]+$/.test(name)), queues.join()).toBe(true);
    expect(queues.some((name) => name.endsWith('.fifo')), queues.join()).toBe(true);
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
      const table = printed(/1 table: (ServerlessExample-Items[\w-]+)/, 'table');
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
});
