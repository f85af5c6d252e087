import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runSampling, type SamplingAction, type SamplingFlags } from '../../../src/cli/sampling/index.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { capture, freePort, runBin, startService, type Run } from '../support/xray-service.ts';

const NOW = 1_750_000_000;
const ARN = 'arn:aws:xray:us-east-1:000000000000:sampling-rule';
let service: XrayService;

beforeAll(async () => {
  service = await startService(NOW);
});

afterAll(async () => {
  await service.stop();
});

async function run(action: SamplingAction, flags: SamplingFlags = {}): Promise<Run> {
  return capture(NOW, (output) => runSampling(action, { endpoint: service.api.url, ...flags }, output));
}

describe('xray-tracer sampling', () => {
  test('create, list, update, delete: each says what the service now holds', async () => {
    const created = await run({ kind: 'create', name: 'health', rule: { priority: '10', fixedRate: '0', reservoir: '0', method: 'GET', path: '/health' } });
    expect(created).toEqual({
      code: 0,
      out: [
        'created sampling rule "health"',
        '  priority  10',
        '  rate      0 after a reservoir of 0/s',
        '  matches   method=GET path=/health',
        `  arn       ${ARN}/health`,
      ],
      err: [],
    });
    await run({ kind: 'create', name: 'gold-orders', rule: { priority: '20', fixedRate: '0.5', reservoir: '2', serviceName: 'orders', attribute: ['tier=gold', 'q=a=b'] } });
    await run({ kind: 'create', name: 'all-slow', rule: { priority: '30', fixedRate: '0.05', reservoir: '1' } });

    // What a client reported for two rules shows as their requests and traced (sampled plus borrowed).
    const report = await fetch(`${service.api.url}/SamplingTargets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        SamplingStatisticsDocuments: [
          { RuleName: 'health', ClientID: 'c'.repeat(24), Timestamp: NOW, RequestCount: 40, SampledCount: 0, BorrowCount: 0 },
          { RuleName: 'Default', ClientID: 'c'.repeat(24), Timestamp: NOW, RequestCount: 12, SampledCount: 10, BorrowCount: 1 },
        ],
      }),
    });
    expect(report.status).toBe(200);
    const listed = await run({ kind: 'list' });
    expect(listed).toEqual({
      code: 0,
      out: [
        'rule         priority  rate  reservoir  requests  traced  matches',
        'health             10     0        0/s        40       0  method=GET path=/health',
        'gold-orders        20   0.5        2/s         0       0  service=orders attribute tier=gold attribute q=a=b',
        'all-slow           30  0.05        1/s         0       0  (every request)',
        'Default         10000     1        1/s        12      11  (every request)',
        '4 rules; requests and traced: the latest 10-second report',
      ],
      err: [],
    });

    expect((await run({ kind: 'update', name: 'health', rule: { fixedRate: '0.01', path: '/health*' } })).out.slice(0, 4)).toEqual([
      'updated sampling rule "health"', '  priority  10', '  rate      0.01 after a reservoir of 0/s', '  matches   method=GET path=/health*',
    ]);
    expect((await run({ kind: 'update', name: 'Default', rule: { fixedRate: '0.2', reservoir: '5' } })).out[2]).toBe('  rate      0.2 after a reservoir of 5/s');
    expect(await run({ kind: 'delete', name: 'all-slow' })).toEqual({ code: 0, out: ['deleted sampling rule "all-slow"'], err: [] });
    expect((await run({ kind: 'list' })).out.at(-1)).toBe('3 rules; requests and traced: the latest 10-second report');
  });

  test('--json prints the GetSamplingRules, CreateSamplingRule, UpdateSamplingRule and DeleteSamplingRule response shapes', async () => {
    const created = JSON.parse((await run({ kind: 'create', name: 'json', rule: { priority: '5', fixedRate: '0.1', reservoir: '1', host: 'api.example.com' } }, { json: true })).out.join('\n')) as Record<string, unknown>;
    const stamp = new Date(NOW * 1000).toISOString();
    expect(created).toEqual({
      SamplingRuleRecord: {
        SamplingRule: {
          RuleName: 'json', RuleARN: `${ARN}/json`, ResourceARN: '*', Priority: 5, FixedRate: 0.1, ReservoirSize: 1, ServiceName: '*',
          ServiceType: '*', Host: 'api.example.com', HTTPMethod: '*', URLPath: '*', Version: 1, Attributes: {},
        },
        CreatedAt: stamp,
        ModifiedAt: stamp,
      },
    });
    const listed = JSON.parse((await run({ kind: 'list' }, { json: true })).out.join('\n')) as { SamplingRuleRecords: Array<{ SamplingRule: { RuleName: string } }> };
    expect(Object.keys(listed)).toEqual(['SamplingRuleRecords']);
    expect(listed.SamplingRuleRecords.map((r) => r.SamplingRule.RuleName)).toContain('json');
    const updated = JSON.parse((await run({ kind: 'update', name: 'json', rule: { priority: '6' } }, { json: true })).out.join('\n')) as { SamplingRuleRecord: { SamplingRule: object } };
    expect(updated.SamplingRuleRecord.SamplingRule).toMatchObject({ RuleName: 'json', Priority: 6, Host: 'api.example.com' });
    const deleted = JSON.parse((await run({ kind: 'delete', name: 'json' }, { json: true })).out.join('\n')) as { SamplingRuleRecord: { SamplingRule: object } };
    expect(deleted.SamplingRuleRecord.SamplingRule).toMatchObject({ RuleName: 'json', Priority: 6 });
  });

  test('the service\'s refusals are said in its words, naming the field, and exit 1', async () => {
    expect(await run({ kind: 'create', name: 'bad', rule: { priority: '0', fixedRate: '0.1', reservoir: '1' } }))
      .toEqual({ code: 1, out: [], err: ['xray-tracer sampling: InvalidRequestException: SamplingRule.Priority must be a whole number from 1 to 9999, got number 0'] });
    expect((await run({ kind: 'create', name: 'bad', rule: { priority: '1', fixedRate: '1.5', reservoir: '1' } })).err)
      .toEqual(['xray-tracer sampling: InvalidRequestException: SamplingRule.FixedRate must be a number from 0 to 1, got number 1.5']);
    expect((await run({ kind: 'create', name: 'bad', rule: { priority: '1', fixedRate: '1', reservoir: '1', path: `/${'x'.repeat(128)}` } })).err)
      .toEqual(['xray-tracer sampling: InvalidRequestException: SamplingRule.URLPath must be at most 128 characters long, got 129']);
    expect((await run({ kind: 'update', name: 'Default', rule: { path: '/x' } })).err)
      .toEqual(["xray-tracer sampling: InvalidRequestException: the Default rule's URLPath cannot be changed: only its FixedRate, ReservoirSize and SamplingRateBoost can"]);
    expect((await run({ kind: 'delete', name: 'Default' })).err).toEqual(['xray-tracer sampling: InvalidRequestException: the Default rule cannot be deleted']);
    expect(await run({ kind: 'delete', name: 'nope' })).toEqual({ code: 1, out: [], err: ['xray-tracer sampling: InvalidRequestException: there is no sampling rule named "nope"'] });
    await run({ kind: 'create', name: 'twice', rule: { priority: '1', fixedRate: '1', reservoir: '1' } });
    expect((await run({ kind: 'create', name: 'twice', rule: { priority: '1', fixedRate: '1', reservoir: '1' } })).err)
      .toEqual(['xray-tracer sampling: InvalidRequestException: a sampling rule named "twice" already exists']);
    expect((await run({ kind: 'list' })).out).not.toContain('bad');
  });

  test.each([
    [{ kind: 'create', name: 'x', rule: { fixedRate: '1' } }, 'create needs --priority N, --reservoir N: every rule has a priority, a fixed rate and a reservoir'],
    [{ kind: 'create', name: 'x', rule: { priority: 'high', fixedRate: '1', reservoir: '1' } }, '--priority "high" must be a number'],
    [{ kind: 'create', name: 'x', rule: { priority: '1.5', fixedRate: '1', reservoir: '1' } }, '--priority "1.5" must be a whole number'],
    [{ kind: 'create', name: 'x', rule: { priority: '1', fixedRate: '', reservoir: '1' } }, '--fixed-rate "" must be a number'],
    [{ kind: 'create', name: 'x', rule: { priority: '1', fixedRate: '1', reservoir: '1', attribute: ['tier'] } }, '--attribute "tier" must be KEY=VALUE'],
    [{ kind: 'update', name: 'x', rule: {} }, 'update needs at least one change: --priority, --fixed-rate, --reservoir, --service-name, --service-type, --host, --method, --path, --resource-arn or --attribute'],
  ] as Array<[SamplingAction, string]>)('a malformed option exits 2 without asking the service: %j', async (action, message) => {
    expect(await run(action)).toEqual({ code: 2, out: [], err: [`xray-tracer sampling: ${message}`] });
  });

  test('a bad endpoint exits 2; no service exits 1', async () => {
    expect((await run({ kind: 'list' }, { endpoint: 'ftp://x' })).code).toBe(2);
    const port = await freePort();
    const unreachable = await run({ kind: 'list' }, { endpoint: `http://127.0.0.1:${port}` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.err[0]).toMatch(/^xray-tracer sampling: cannot reach the X-Ray service at .* \(ECONNREFUSED\)/);
  });

  test('wired into the CLI: list is the default subcommand; create and update take the rule options', async () => {
    const made = await runBin([
      'sampling', 'create', 'from-cli', '--priority', '40', '--fixed-rate', '0', '--reservoir', '0', '--path', '/ping',
      '--attribute', 'a=1', '--attribute', 'b=2', '--endpoint', service.api.url,
    ]);
    expect([made.code, made.stdout.split('\n')[0], made.stdout.split('\n')[3]]).toEqual([0, 'created sampling rule "from-cli"', '  matches   path=/ping attribute a=1 attribute b=2']);
    const listed = await runBin(['sampling', '--json', '--endpoint', service.api.url]);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { SamplingRuleRecords: Array<{ SamplingRule: { RuleName: string } }> }).SamplingRuleRecords.map((r) => r.SamplingRule.RuleName)).toContain('from-cli');
    const bad = await runBin(['sampling', 'update', 'from-cli', '--reservoir', '-1', '--endpoint', service.api.url]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n').at(-1)).toBe('xray-tracer sampling: InvalidRequestException: SamplingRuleUpdate.ReservoirSize must be a whole number >= 0, got number -1');
    const malformed = await runBin(['sampling', 'update', 'from-cli', '--fixed-rate', 'half', '--endpoint', service.api.url]);
    expect([malformed.code, malformed.stderr.trim().split('\n').at(-1)]).toEqual([2, 'xray-tracer sampling: --fixed-rate "half" must be a number']);
  }, 30_000);
});
