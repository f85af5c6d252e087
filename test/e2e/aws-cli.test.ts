/**
 * The AWS CLI against a started service: every operation `aws xray help` lists is run with
 * `--endpoint-url`, dummy credentials and minimal valid arguments, and must answer as AWS does: exit
 * 0 with JSON whose top-level keys are the operation's output members in botocore's model (the one
 * the CLI itself uses), or, where AWS refuses on a fresh account (an unknown insight id), the error
 * code AWS documents. The operation list is read from the CLI at run time, so an operation the CLI
 * gains fails here until the table below covers it.
 */
import { spawnSync } from 'node:child_process';
import {
  CreateGroupCommand, CreateSamplingRuleCommand, PutResourcePolicyCommand, PutTraceSegmentsCommand, StartTraceRetrievalCommand,
  UpdateTraceSegmentDestinationCommand, XRayClient, type SamplingRule,
} from '@aws-sdk/client-xray';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../src/xray/service.ts';
import { MemoryTraceStore } from '../../src/xray/store/index.ts';
import { untilStored } from '../xray/support/until-stored.ts';
import { runProcess, type ProcessRun } from '../support/run-process.ts';

/** The CLI takes 0.5 to 1 s to start: a few at once keep the run short on two cores. */
const PARALLEL_CALLS = 4;
const CALL_DEADLINE_MS = 30_000;

/** The CLI's environment: dummy credentials, and no profile or config file of this machine. */
const CLI_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_DEFAULT_PROFILE: '',
  AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '', AWS_DEFAULT_OUTPUT: 'json',
};
for (const key of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE'] as const) delete CLI_ENV[key];

const version = spawnSync('aws', ['--version'], { encoding: 'utf8', env: CLI_ENV });
const versionText = `${version.stdout ?? ''}${version.stderr ?? ''}`.trim();
const modelProbe = spawnSync('python3', ['-c', 'import botocore'], { encoding: 'utf8' });
const missing = version.error !== undefined || version.status !== 0
  ? 'the AWS CLI (aws) is missing'
  : modelProbe.error !== undefined || modelProbe.status !== 0 ? "python3 cannot import botocore, the CLI's service model" : undefined;
const CLI_V1 = versionText.startsWith('aws-cli/1.');
/** CLI v2 pages output unless told not to; v1 has no pager and refuses the option. */
const PAGER_OPTIONS = CLI_V1 ? [] : ['--no-cli-pager'];
/** The exit code for an error the service answered: 255 in v1, 254 in v2. */
const SERVICE_ERROR_EXIT = CLI_V1 ? 255 : 254;

function run(command: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = CLI_ENV): Promise<ProcessRun> {
  return runProcess(command, args, { env, deadlineMs: CALL_DEADLINE_MS });
}

/** Runs the jobs, at most `limit` at once, keeping their order in the results. */
async function pooled<T, R>(items: ReadonlyArray<T>, limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A character then a backspace: how man-page text makes bold and underline. */
const OVERSTRIKE = new RegExp(`.${String.fromCharCode(8)}`, 'g');

/** The operations under "AVAILABLE COMMANDS" in `aws xray help` (man-page text: bold is X\bX). */
function helpOperations(helpText: string): string[] {
  const plain = helpText.replace(OVERSTRIKE, '');
  const section = plain.slice(plain.indexOf('AVAILABLE COMMANDS'));
  return [...section.matchAll(/^\s+o ([a-z0-9-]+)\s*$/gm)].map((match) => match[1] as string).filter((name) => name !== 'help' && name !== 'wait').sort();
}

interface ModelOperation {
  readonly name: string;
  readonly output: string[];
}

/** Each operation's CLI name and output members, from the botocore model the CLI reads. */
async function modelOperations(): Promise<Map<string, ModelOperation>> {
  const script = [
    'import json, botocore.session',
    'from botocore import xform_name',
    "model = botocore.session.get_session().get_service_model('xray')",
    'ops = {}',
    'for name in model.operation_names:',
    '    shape = model.operation_model(name).output_shape',
    "    ops[xform_name(name, '-')] = {'name': name, 'output': sorted(shape.members) if shape else []}",
    'print(json.dumps(ops))',
  ].join('\n');
  const result = await run('python3', ['-c', script], process.env);
  if (result.code !== 0) throw new Error(`reading botocore's xray model failed: ${result.stderr}`);
  return new Map(Object.entries(JSON.parse(result.stdout) as Record<string, ModelOperation>));
}

type Json = Record<string, unknown>;

interface Call {
  /** Arguments after `aws xray <operation>`. */
  readonly args: ReadonlyArray<string>;
  /** Output members the answer must have (beyond being among the model's). */
  readonly has?: ReadonlyArray<string>;
  /** The error code AWS answers instead, on a fresh account. */
  readonly refusedWith?: string;
  /** The CLI step the call belongs to: 2 runs after Transaction Search is switched on. */
  readonly phase?: 2;
  readonly check?: (output: Json) => void;
}

const ACCOUNT_REGION = 'us-east-1';
const UNKNOWN_INSIGHT_ID = '5b8d1ac6-3e4f-4c2a-9a8e-0d1e2f3a4b5c';

describe.skipIf(missing !== undefined)(`the AWS CLI against the service${missing === undefined ? '' : ` (skipped: ${missing})`}`, () => {
  let service: XrayService;
  let client: XRayClient;
  const nowSeconds = Math.floor(Date.now() / 1000);
  const startIso = new Date((nowSeconds - 600) * 1000).toISOString();
  const endIso = new Date((nowSeconds + 60) * 1000).toISOString();
  const traceId = `1-${nowSeconds.toString(16)}-${randomBytes(12).toString('hex')}`;
  const segment = { name: 'cli-orders', id: randomBytes(8).toString('hex'), trace_id: traceId, start_time: nowSeconds - 2, end_time: nowSeconds - 1, annotations: { customer: 'alice' } };
  /** More traces of the same customer: five in all, three pages of summaries. */
  const otherTraceIds = Array.from({ length: 4 }, () => `1-${nowSeconds.toString(16)}-${randomBytes(12).toString('hex')}`);
  const groupArns = new Map<string, string>();
  const retrievals = new Map<string, string>();

  beforeAll(async () => {
    // Pages of two, so the CLI's paginators must follow the service's NextToken to list everything.
    service = await startXrayService({
      store: new MemoryTraceStore(), daemonPort: 0, apiPort: 0, logger: silentLogger, consoleDir: false, summariesPageSize: 2, samplingPageSize: 2,
    });
    client = new XRayClient({ endpoint: service.api.url, region: ACCOUNT_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    // The resources the calls below read, change or delete, each its own so the calls can run at once.
    const others = otherTraceIds.map((id, index) => JSON.stringify({ ...segment, id: randomBytes(8).toString('hex'), trace_id: id, start_time: segment.start_time - index - 1 }));
    await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [JSON.stringify(segment), ...others] }));
    await untilStored(service);
    for (const name of ['cli-get', 'cli-update', 'cli-delete', 'cli-tag', 'cli-untag', 'cli-list-tags']) {
      const created = await client.send(new CreateGroupCommand({ GroupName: name, FilterExpression: 'service("cli-orders")', Tags: [{ Key: 'team', Value: 'orders' }] }));
      groupArns.set(name, created.Group?.GroupARN ?? '');
    }
    for (const name of ['cli-update-rule', 'cli-delete-rule']) await client.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule(name) }));
    await client.send(new PutResourcePolicyCommand({ PolicyName: 'cli-delete-policy', PolicyDocument: policyDocument('DeleteMe') }));
  });

  afterAll(async () => {
    client?.destroy();
    await service?.stop();
  });

  const calls: Record<string, Call> = {
    'batch-get-traces': {
      args: ['--trace-ids', traceId], has: ['Traces', 'UnprocessedTraceIds'],
      check: (output) => expect((output.Traces as Json[]).map((trace) => trace.Id)).toEqual([traceId]),
    },
    'cancel-trace-retrieval': { args: [], phase: 2 },
    'create-group': { args: ['--group-name', 'cli-created', '--filter-expression', 'service("cli-orders")'], has: ['Group'] },
    'create-sampling-rule': {
      args: ['--sampling-rule', JSON.stringify({ ...samplingRule('cli-created-rule'), SamplingRateBoost: { MaxRate: 0.5, CooldownWindowMinutes: 1 } })],
      has: ['SamplingRuleRecord'],
      check: (output) => expect(((output.SamplingRuleRecord as Json).SamplingRule as Json).SamplingRateBoost).toEqual({ MaxRate: 0.5, CooldownWindowMinutes: 1 }),
    },
    'delete-group': { args: ['--group-name', 'cli-delete'] },
    'delete-resource-policy': { args: ['--policy-name', 'cli-delete-policy'] },
    'delete-sampling-rule': { args: ['--rule-name', 'cli-delete-rule'], has: ['SamplingRuleRecord'] },
    'get-encryption-config': { args: [], has: ['EncryptionConfig'] },
    'get-group': { args: ['--group-name', 'cli-get'], has: ['Group'], check: (output) => expect((output.Group as Json).GroupName).toBe('cli-get') },
    'get-groups': { args: [], has: ['Groups'] },
    'get-indexing-rules': { args: [], has: ['IndexingRules'] },
    'get-insight': { args: ['--insight-id', UNKNOWN_INSIGHT_ID], refusedWith: 'InvalidRequestException' },
    'get-insight-events': { args: ['--insight-id', UNKNOWN_INSIGHT_ID], refusedWith: 'InvalidRequestException' },
    'get-insight-impact-graph': { args: ['--insight-id', UNKNOWN_INSIGHT_ID, '--start-time', startIso, '--end-time', endIso], refusedWith: 'InvalidRequestException' },
    // A group is required: "Required if the GroupARN isn't provided" (API reference).
    'get-insight-summaries': { args: ['--group-name', 'Default', '--start-time', startIso, '--end-time', endIso], has: ['InsightSummaries'] },
    'get-retrieved-traces-graph': { args: [], phase: 2, has: ['RetrievalStatus'] },
    'get-sampling-rules': {
      args: [], has: ['SamplingRuleRecords'],
      check: (output) => {
        const names = (output.SamplingRuleRecords as Json[]).map((record) => (record.SamplingRule as Json).RuleName);
        expect(names).toEqual(expect.arrayContaining(['Default', 'cli-update-rule']));
        expect(new Set(names).size).toBe(names.length);
      },
    },
    'get-sampling-statistic-summaries': { args: [], has: ['SamplingStatisticSummaries'] },
    'get-sampling-targets': {
      args: ['--sampling-statistics-documents', JSON.stringify([{ RuleName: 'Default', ClientID: '0123456789abcdef01234567', Timestamp: nowSeconds, RequestCount: 1, SampledCount: 1, BorrowCount: 0 }])],
      has: ['SamplingTargetDocuments', 'LastRuleModification', 'UnprocessedStatistics'],
    },
    'get-service-graph': { args: ['--start-time', startIso, '--end-time', endIso], has: ['Services', 'StartTime', 'EndTime', 'ContainsOldGroupVersions'] },
    'get-time-series-service-statistics': { args: ['--start-time', startIso, '--end-time', endIso], has: ['TimeSeriesServiceStatistics', 'ContainsOldGroupVersions'] },
    'get-trace-graph': { args: ['--trace-ids', traceId], has: ['Services'] },
    'get-trace-segment-destination': { args: [], has: ['Destination', 'Status'] },
    'get-trace-summaries': {
      args: ['--start-time', startIso, '--end-time', endIso, '--filter-expression', 'annotation.customer = "alice"'], has: ['TraceSummaries', 'ApproximateTime', 'TracesProcessedCount'],
      check: (output) => expect((output.TraceSummaries as Json[]).map((summary) => summary.Id).sort()).toEqual([traceId, ...otherTraceIds].sort()),
    },
    'list-resource-policies': { args: [], has: ['ResourcePolicies'] },
    'list-retrieved-traces': { args: [], phase: 2, has: ['RetrievalStatus'] },
    'list-tags-for-resource': { args: [], has: ['Tags'] },
    'put-encryption-config': { args: ['--type', 'NONE'], has: ['EncryptionConfig'] },
    'put-resource-policy': { args: ['--policy-name', 'cli-put-policy', '--policy-document', policyDocument('PutByCli')], has: ['ResourcePolicy'] },
    'put-telemetry-records': {
      args: ['--telemetry-records', JSON.stringify([{ Timestamp: nowSeconds, SegmentsReceivedCount: 1, SegmentsSentCount: 1, SegmentsSpilloverCount: 0, SegmentsRejectedCount: 0 }]), '--hostname', 'cli-host'],
    },
    'put-trace-segments': {
      args: ['--trace-segment-documents', JSON.stringify([JSON.stringify({ ...segment, id: randomBytes(8).toString('hex'), name: 'cli-put' })])], has: ['UnprocessedTraceSegments'],
      check: (output) => expect(output.UnprocessedTraceSegments).toEqual([]),
    },
    'start-trace-retrieval': { args: ['--trace-ids', traceId, '--start-time', startIso, '--end-time', endIso], phase: 2, has: ['RetrievalToken'] },
    'tag-resource': { args: [] },
    'untag-resource': { args: [] },
    'update-group': { args: ['--group-name', 'cli-update', '--filter-expression', 'service("other")'], has: ['Group'] },
    'update-indexing-rule': { args: ['--name', 'Default', '--rule', JSON.stringify({ Probabilistic: { DesiredSamplingPercentage: 5 } })], has: ['IndexingRule'] },
    'update-sampling-rule': {
      args: ['--sampling-rule-update', JSON.stringify({ RuleName: 'cli-update-rule', FixedRate: 0.5, SamplingRateBoost: { MaxRate: 1, CooldownWindowMinutes: 5 } })],
      has: ['SamplingRuleRecord'],
      check: (output) => expect(((output.SamplingRuleRecord as Json).SamplingRule as Json).SamplingRateBoost).toEqual({ MaxRate: 1, CooldownWindowMinutes: 5 }),
    },
    'update-trace-segment-destination': { args: ['--destination', 'XRay'], has: ['Destination', 'Status'] },
  };

  /** Arguments that name resources created in beforeAll. */
  function argsOf(operation: string): string[] {
    switch (operation) {
      case 'cancel-trace-retrieval': return ['--retrieval-token', retrievals.get('cancel') ?? ''];
      case 'get-retrieved-traces-graph': return ['--retrieval-token', retrievals.get('graph') ?? ''];
      case 'list-retrieved-traces': return ['--retrieval-token', retrievals.get('list') ?? ''];
      case 'list-tags-for-resource': return ['--resource-arn', groupArns.get('cli-list-tags') ?? ''];
      case 'tag-resource': return ['--resource-arn', groupArns.get('cli-tag') ?? '', '--tags', JSON.stringify([{ Key: 'stage', Value: 'test' }])];
      case 'untag-resource': return ['--resource-arn', groupArns.get('cli-untag') ?? '', '--tag-keys', 'team'];
      default: return [...(calls[operation]?.args ?? [])];
    }
  }

  function aws(operation: string): Promise<ProcessRun> {
    return run('aws', ['xray', operation, ...argsOf(operation), '--endpoint-url', service.api.url, '--region', ACCOUNT_REGION, '--output', 'json', ...PAGER_OPTIONS]);
  }

  test('every operation `aws xray help` lists answers as AWS does', async () => {
    const help = await run('aws', ['xray', 'help'], { ...CLI_ENV, PAGER: 'cat', MANPAGER: 'cat' });
    expect(help.code, help.stderr).toBe(0);
    const listed = helpOperations(help.stdout);
    const model = await modelOperations();
    // Both of the CLI's sources agree, and the table covers every operation they name.
    expect(listed).toEqual([...model.keys()].sort());
    expect(listed.length).toBeGreaterThanOrEqual(38);
    expect(Object.keys(calls).sort()).toEqual(listed);

    const check = (operation: string, result: ProcessRun): void => {
      const call = calls[operation] as Call;
      const where = `aws xray ${operation} ${argsOf(operation).join(' ')}\n${result.stderr}`;
      if (call.refusedWith !== undefined) {
        // The CLI names the code of an error the service answered.
        expect.soft(result.code, where).toBe(SERVICE_ERROR_EXIT);
        expect.soft(result.stderr, where).toContain(`An error occurred (${call.refusedWith}) when calling the ${model.get(operation)?.name} operation`);
        return;
      }
      expect.soft(result.code, where).toBe(0);
      if (result.code !== 0) return;
      const members = model.get(operation)?.output ?? [];
      // An operation with no output members answers `{}`, which the CLI prints as nothing.
      const output = (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as Json;
      expect.soft(Object.keys(output).filter((key) => !members.includes(key)), `${where}\nkeys outside the model's ${members.join(', ')}`).toEqual([]);
      for (const key of call.has ?? []) expect.soft(output[key], `${where}\n${key} in ${result.stdout}`).toBeDefined();
      call.check?.(output);
    };

    const first = listed.filter((operation) => calls[operation]?.phase !== 2);
    const firstResults = await pooled(first, PARALLEL_CALLS, aws);
    first.forEach((operation, index) => check(operation, firstResults[index] as ProcessRun));

    // Retrievals read Transaction Search's aws/spans: switch it on, then start the ones to read.
    await client.send(new UpdateTraceSegmentDestinationCommand({ Destination: 'CloudWatchLogs' }));
    for (const use of ['list', 'graph', 'cancel']) {
      const started = await client.send(new StartTraceRetrievalCommand({ TraceIds: [traceId], StartTime: new Date(startIso), EndTime: new Date(endIso) }));
      retrievals.set(use, started.RetrievalToken ?? '');
    }
    const second = listed.filter((operation) => calls[operation]?.phase === 2);
    const secondResults = await pooled(second, PARALLEL_CALLS, aws);
    second.forEach((operation, index) => check(operation, secondResults[index] as ProcessRun));
  }, 180_000);
});

function samplingRule(name: string): SamplingRule {
  return {
    RuleName: name, ResourceARN: '*', Priority: 9000, FixedRate: 0.05, ReservoirSize: 1, ServiceName: '*', ServiceType: '*',
    Host: '*', HTTPMethod: '*', URLPath: '*', Version: 1,
  };
}

function policyDocument(sid: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: sid, Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: ['xray:PutTraceSegments', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], Resource: '*' }],
  });
}
