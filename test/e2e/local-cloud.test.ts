import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetTracesCommand, GetGroupsCommand, XRayClient } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalCloud } from '../../src/cloud/index.ts';
import type { LocalCloud } from '../../src/cloud/index.ts';
import { RoleCredentials } from '../../src/cloud/iam/credentials.ts';
import type { RoleCredential } from '../../src/cloud/iam/credentials.ts';
import { buildApp } from '../../src/pattern/infra/build-app.ts';
import { fillIn, HTTP_FAULTS_FILTER } from '../../src/pattern/infra/pattern-groups.ts';
import { startXrayService } from '../../src/xray/service.ts';
import type { XrayService } from '../../src/xray/service.ts';
import { allSegments, hitsOf, messageIdOf, snsEvent, waitFor } from './support/local-cloud.ts';

const root = mkdtempSync(join(tmpdir(), 'e2e-local-cloud-'));
const assemblyDir = join(root, 'cdk.out');
const lines: string[] = [];
let xray: XrayService;
let cloud: LocalCloud;
let xrayClient: XRayClient;

beforeAll(async () => {
  buildApp({ outdir: assemblyDir, env: {}, cloudFormationValidation: false }).app.synth();
  xray = await startXrayService({ daemonPort: 0, apiPort: 0, dataDir: join(root, 'xray') });
  cloud = await startLocalCloud({
    assemblyDir,
    dataDir: join(root, 'cloud'),
    daemonAddress: xray.daemon.address,
    xrayApiUrl: xray.api.url,
    gatewayPort: 0,
    endpointPort: 0,
    retryDelaysMs: [100, 200],
    logger: { info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) },
  });
  xrayClient = new XRayClient({ endpoint: xray.api.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}, 240_000);

afterAll(async () => {
  xrayClient?.destroy();
  await cloud?.stop();
  await xray?.stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

function fn(prefix: string): string {
  const name = cloud.started.functions.find((candidate) => candidate.split('-')[1]?.startsWith(prefix));
  if (name === undefined) throw new Error(`no function ${prefix} in ${cloud.started.functions.join(', ')}`);
  return name;
}

/** A role's credentials, derived from the install secret in the cloud's data folder as the cloud derives them. */
function roleCredentials(logicalIdPrefix: string): RoleCredential {
  const role = cloud.model.byType('AWS::IAM::Role').find((resource) => resource.logicalId.startsWith(logicalIdPrefix));
  if (role?.arn === undefined) throw new Error(`no role ${logicalIdPrefix}`);
  return RoleCredentials.forDataFolder(cloud.dataDir).forRole(role.arn);
}

/** The function log lines of one function and trace. */
function logged(functionPrefix: string, traceId: string): string[] {
  const name = fn(functionPrefix);
  return lines.filter((line) => line.startsWith(`[${name} ${traceId}]`));
}

describe('the whole pattern on the local cloud', () => {
  const traceIds: string[] = [];

  test('20 requests to two paths through the gateway: each 200 with the JSON body', async () => {
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${cloud.stageUrls[0]}${i % 2 === 0 ? 'alpha' : 'beta'}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ message: 'message added to SNS topic' });
      const header = /Root=([^;]+)/.exec(response.headers.get('x-amzn-trace-id') ?? '');
      expect(header?.[1]).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      traceIds.push(header?.[1] ?? '');
    }
    expect(new Set(traceIds).size).toBe(20);
  });

  test('every flow ran: Hits counts per path, the second topic\'s subscriber, and the SQS consumer on the producer\'s trace', async () => {
    const sentIds = (): Map<string, string | undefined> => new Map(traceIds.map((id) => [id, messageIdOf(logged('SqsPublish', id), 'message sent')]));
    const received = (): Array<{ traceId: string; messageId: string | undefined }> => {
      const name = fn('SqsSubscribe');
      return lines.filter((line) => line.startsWith(`[${name} `) && line.includes('"message received"'))
        .map((line) => ({ traceId: line.slice(name.length + 2).split(']')[0] ?? '', messageId: messageIdOf([line], 'message received') }));
    };
    await waitFor('every request to reach the SQS consumer and the second topic\'s subscriber', 30_000, () => {
      const consumed = new Set(received().map((record) => record.messageId));
      return [...sentIds().values()].every((messageId) => messageId !== undefined && consumed.has(messageId)) &&
        traceIds.every((id) => logged('SnsSubscribe', id).some((line) => line.includes('message received')));
    });
    // A batch runs on its first record's trace (AWSTraceHeader), as on AWS: each consumer run is on a
    // producer's trace, and the run that got a request's message first is on that request's trace when
    // the message came alone or first.
    const byMessage = new Map([...sentIds()].map(([traceId, messageId]) => [messageId, traceId]));
    for (const run of received()) expect(traceIds).toContain(run.traceId);
    const onOwnTrace = received().filter((run) => byMessage.get(run.messageId) === run.traceId).map((run) => run.traceId);
    expect(new Set(onOwnTrace).size).toBe(new Set(received().map((run) => run.traceId)).size);

    // Only UpdateItem is allowed to the table's role: ADD 0 reads the count without changing it.
    const dynamo = new DynamoDBClient({ endpoint: cloud.endpointUrl, region: 'us-east-1', credentials: roleCredentials('DynamoLambdaRole') });
    try {
      const table = cloud.started.tables[0] ?? '';
      await waitFor('the Hits table to count 10 a path', 10_000, async () =>
        (await hitsOf(dynamo, table, '/prod/alpha')) === 10 && (await hitsOf(dynamo, table, '/prod/beta')) === 10);
    } finally {
      dynamo.destroy();
    }
  }, 60_000);

  test('X-Ray holds one connected trace a request with segments from every hop', async () => {
    const expectedOrigins = ['AWS::ApiGateway::Stage', 'AWS::SNS', 'AWS::Lambda', 'AWS::Lambda::Function'];
    const functionNames = cloud.started.functions;
    // The consumer runs once a batch, on the batch's first trace (checked above).
    const consumer = fn('SqsSubscribe');
    const consumerTraces = new Set(traceIds.filter((id) => logged('SqsSubscribe', id).length > 0));
    expect(consumerTraces.size).toBeGreaterThan(0);
    const check = async (): Promise<string[]> => {
      const problems: string[] = [];
      for (let i = 0; i < traceIds.length; i += 5) {
        const batch = traceIds.slice(i, i + 5);
        const result = await xrayClient.send(new BatchGetTracesCommand({ TraceIds: batch }));
        for (const id of batch) {
          const trace = result.Traces?.find((candidate) => candidate.Id === id);
          if (!trace) {
            problems.push(`${id}: not stored`);
            continue;
          }
          const segments = allSegments(trace);
          const ids = new Set(segments.flatMap((segment) => segment.ids));
          const roots = segments.filter((segment) => segment.parentId === undefined);
          const orphans = segments.filter((segment) => segment.parentId !== undefined && !ids.has(segment.parentId));
          if (roots.length !== 1 || roots[0]?.origin !== 'AWS::ApiGateway::Stage') problems.push(`${id}: roots ${roots.map((r) => r.name).join(', ')}`);
          if (orphans.length > 0) problems.push(`${id}: not connected: ${orphans.map((o) => `${o.name} -> ${o.parentId ?? ''}`).join(', ')}`);
          for (const origin of expectedOrigins) if (!segments.some((s) => s.origin === origin)) problems.push(`${id}: no ${origin} segment`);
          for (const name of functionNames.filter((candidate) => candidate !== consumer || consumerTraces.has(id))) {
            for (const origin of ['AWS::Lambda', 'AWS::Lambda::Function']) {
              if (!segments.some((s) => s.origin === origin && s.name === name)) problems.push(`${id}: no ${origin} segment of ${name}`);
            }
          }
        }
      }
      return problems;
    };
    let problems: string[] = [];
    await waitFor('every trace to be complete in X-Ray', 20_000, async () => (problems = await check()).length === 0).catch(() => {});
    expect(problems).toEqual([]);
  }, 40_000);

  test('the stacks\' X-Ray groups are in the X-Ray service, the HTTP flow\'s naming its function', async () => {
    const answer = await xrayClient.send(new GetGroupsCommand({}));
    const groups = new Map((answer.Groups ?? []).map((group) => [group.GroupName, group.FilterExpression]));
    expect([...groups.keys()].sort()).toEqual(['Default', 'xray-tracer-dynamo', 'xray-tracer-faults', 'xray-tracer-http', 'xray-tracer-sns', 'xray-tracer-sqs']);
    expect(groups.get('xray-tracer-http')).toBe(fillIn(HTTP_FAULTS_FILTER, { FunctionName: fn('HttpLambda') }));
    expect(cloud.warnings).toEqual([]);
  });

  test('over 200 invocations of the HTTP flow, 30% to 50% fault', async () => {
    const name = fn('HttpLambda');
    let faults = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < 200) {
        next += 1;
        const result = await cloud.lambda.invoke({ functionName: name, payload: snsEvent('/prod/rate'), invocationType: 'RequestResponse' });
        expect(result.statusCode).toBe(200);
        if (result.functionError !== undefined) {
          expect(result.errorMessage).toBe('SSL Cert Exception');
          faults += 1;
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(faults / 200).toBeGreaterThanOrEqual(0.3);
    expect(faults / 200).toBeLessThanOrEqual(0.5);
  }, 120_000);

  test('IAM: the table\'s role calling SQS, which its policy does not allow, gets AccessDenied', async () => {
    const queue = cloud.started.queues.find((url) => url.includes('Queue4A7E3555')) ?? '';
    const sqs = new SQSClient({ endpoint: cloud.endpointUrl, region: 'us-east-1', credentials: roleCredentials('DynamoLambdaRole') });
    const allowed = new SQSClient({ endpoint: cloud.endpointUrl, region: 'us-east-1', credentials: roleCredentials('SqsPublishLambdaRole') });
    try {
      const denied = await sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'not allowed' })).then(() => undefined, (error: unknown) => error as Error);
      expect(denied?.name).toMatch(/^AccessDenied/);
      expect(denied?.message).toContain('sqs:SendMessage');
      // The producer's own role may: the denial is the policy's, not the endpoint's.
      const sent = await allowed.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: JSON.stringify({ path: '/prod/iam' }) }));
      expect(sent.MessageId).toBeDefined();
    } finally {
      sqs.destroy();
      allowed.destroy();
    }
  });
});
