import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSamplingRuleCommand, DeleteSamplingRuleCommand, GetSamplingRulesCommand, GetSamplingStatisticSummariesCommand, GetSamplingTargetsCommand,
  paginateGetSamplingRules, UpdateSamplingRuleCommand, XRayClient, type SamplingRule, type SamplingRuleRecord,
} from '@aws-sdk/client-xray';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { MemorySamplingRuleStorage } from '../../../src/xray/sampling/index.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';

const NOW = 1_750_000_000;
const ARN = 'arn:aws:xray:eu-west-1:123456789012:sampling-rule';
const CLIENT = '0123456789abcdef01234567';
const clock = { now: NOW };

function clientFor(service: XrayService): XRayClient {
  return new XRayClient({
    endpoint: service.api.url, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1,
  });
}

async function start(options: { dataDir?: string; samplingRate?: number } = {}): Promise<XrayService> {
  return startXrayService({
    ...(options.dataDir === undefined
      ? { store: new MemoryTraceStore({ nowSeconds: () => clock.now }), samplingRules: new MemorySamplingRuleStorage() }
      : { dataDir: options.dataDir }),
    daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => clock.now * 1000,
    region: 'eu-west-1', accountId: '123456789012', samplingPageSize: 2, samplingRate: options.samplingRate,
  });
}

/** A rule AWS accepts: every required field, wildcards where nothing narrows it. */
function rule(name: string, extra: Partial<SamplingRule> = {}): SamplingRule {
  return {
    RuleName: name, ResourceARN: '*', Priority: 100, FixedRate: 0.05, ReservoirSize: 1, ServiceName: '*', ServiceType: '*',
    Host: '*', HTTPMethod: '*', URLPath: '*', Version: 1, ...extra,
  };
}

const at = (seconds: number): Date => new Date(seconds * 1000);

/** Every page of GetSamplingRules (the tests' service has 2 rules a page). */
async function everyRule(client: XRayClient): Promise<SamplingRuleRecord[]> {
  const records: SamplingRuleRecord[] = [];
  for await (const page of paginateGetSamplingRules({ client }, {})) records.push(...(page.SamplingRuleRecords ?? []));
  return records;
}

describe('sampling rule operations through XRayClient', () => {
  let service: XrayService;
  let client: XRayClient;
  beforeAll(async () => {
    service = await start({ samplingRate: 0.5 });
    client = clientFor(service);
  });
  afterAll(async () => {
    client.destroy();
    await service.stop();
  });
  beforeEach(async () => {
    // Each test starts from Default alone.
    for await (const page of paginateGetSamplingRules({ client }, {})) {
      for (const record of page.SamplingRuleRecords ?? []) {
        const name = record.SamplingRule?.RuleName;
        if (name !== 'Default') await client.send(new DeleteSamplingRuleCommand({ RuleName: name }));
      }
    }
  });

  async function allRules(): Promise<SamplingRuleRecord[]> {
    const records: SamplingRuleRecord[] = [];
    for await (const page of paginateGetSamplingRules({ client }, {})) records.push(...(page.SamplingRuleRecords ?? []));
    return records;
  }

  test('Default exists from the start with the configured rate and reservoir 1', async () => {
    expect(await allRules()).toEqual([{
      SamplingRule: {
        RuleName: 'Default', RuleARN: `${ARN}/Default`, ResourceARN: '*', Priority: 10000, FixedRate: 0.5, ReservoirSize: 1,
        ServiceName: '*', ServiceType: '*', Host: '*', HTTPMethod: '*', URLPath: '*', Version: 1, Attributes: {},
      },
      CreatedAt: at(NOW),
      ModifiedAt: at(NOW),
    }]);
  });

  test('create, get, update and delete a rule in AWS shapes', async () => {
    clock.now = NOW + 10;
    const created = await client.send(new CreateSamplingRuleCommand({
      SamplingRule: rule('health', { Priority: 10, FixedRate: 0, ReservoirSize: 0, HTTPMethod: 'GET', URLPath: '/health', Attributes: { tier: 'gold' } }),
      Tags: [{ Key: 'team', Value: 'tracing' }],
    }));
    expect(created.SamplingRuleRecord).toEqual({
      SamplingRule: {
        RuleName: 'health', RuleARN: `${ARN}/health`, ResourceARN: '*', Priority: 10, FixedRate: 0, ReservoirSize: 0,
        ServiceName: '*', ServiceType: '*', Host: '*', HTTPMethod: 'GET', URLPath: '/health', Version: 1, Attributes: { tier: 'gold' },
      },
      CreatedAt: at(NOW + 10),
      ModifiedAt: at(NOW + 10),
    });
    expect((await allRules()).map((r) => r.SamplingRule?.RuleName)).toEqual(['health', 'Default']);

    clock.now = NOW + 20;
    const updated = await client.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleARN: `${ARN}/health`, FixedRate: 0.1, Host: 'api.example.com' } }));
    expect(updated.SamplingRuleRecord).toEqual({
      ...created.SamplingRuleRecord,
      SamplingRule: { ...created.SamplingRuleRecord?.SamplingRule, FixedRate: 0.1, Host: 'api.example.com' },
      ModifiedAt: at(NOW + 20),
    });

    const deleted = await client.send(new DeleteSamplingRuleCommand({ RuleName: 'health' }));
    expect(deleted.SamplingRuleRecord).toEqual(updated.SamplingRuleRecord);
    expect((await allRules()).map((r) => r.SamplingRule?.RuleName)).toEqual(['Default']);
  });

  test('SamplingRateBoost is stored, returned by GetSamplingRules and changed by UpdateSamplingRule, as AWS does', async () => {
    clock.now = NOW + 10;
    const created = await client.send(new CreateSamplingRuleCommand({
      SamplingRule: rule('boosted', { SamplingRateBoost: { MaxRate: 0.5, CooldownWindowMinutes: 1 } }),
    }));
    expect(created.SamplingRuleRecord?.SamplingRule?.SamplingRateBoost).toEqual({ MaxRate: 0.5, CooldownWindowMinutes: 1 });
    expect((await allRules())[0]).toEqual(created.SamplingRuleRecord);

    // An update without a boost keeps it; one with a boost replaces it.
    await client.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'boosted', FixedRate: 0.2 } }));
    expect((await allRules())[0]?.SamplingRule).toMatchObject({ FixedRate: 0.2, SamplingRateBoost: { MaxRate: 0.5, CooldownWindowMinutes: 1 } });
    const updated = await client.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'boosted', SamplingRateBoost: { MaxRate: 1, CooldownWindowMinutes: 0 } } }));
    expect(updated.SamplingRuleRecord?.SamplingRule?.SamplingRateBoost).toEqual({ MaxRate: 1, CooldownWindowMinutes: 0 });
    expect((await allRules())[0]).toEqual(updated.SamplingRuleRecord);

    // A rule without one has none in its record.
    await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('plain') }));
    expect((await allRules()).find((r) => r.SamplingRule?.RuleName === 'plain')?.SamplingRule).not.toHaveProperty('SamplingRateBoost');
  });

  test('a rule can be named by its ARN alone; a RuleARN must be the one its name gives', async () => {
    const { RuleName: _name, ...unnamed } = rule('x');
    const created = await client.send(new CreateSamplingRuleCommand({ SamplingRule: { ...unnamed, RuleARN: `${ARN}/by-arn` } }));
    expect(created.SamplingRuleRecord?.SamplingRule?.RuleName).toBe('by-arn');
    await expect(client.send(new CreateSamplingRuleCommand({ SamplingRule: { ...rule('a'), RuleARN: `${ARN}/b` } })))
      .rejects.toMatchObject({ name: 'InvalidRequestException', message: `SamplingRule.RuleARN "${ARN}/b" is not the ARN of a rule named "a": ${ARN}/a` });
    await expect(client.send(new CreateSamplingRuleCommand({ SamplingRule: { ...unnamed, RuleARN: 'arn:aws:xray:us-east-1:000000000000:sampling-rule/x' } })))
      .rejects.toMatchObject({ message: expect.stringMatching(/^SamplingRule\.RuleARN .* is not a sampling rule ARN of this account and region/) });
  });

  test('GetSamplingRules pages with NextToken, in the order the SDKs try the rules', async () => {
    for (const [name, priority] of [['c', 30], ['a', 10], ['b', 20], ['a2', 10]] as const) {
      await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule(name, { Priority: priority }) }));
    }
    const first = await client.send(new GetSamplingRulesCommand({}));
    expect(first.SamplingRuleRecords?.map((r) => r.SamplingRule?.RuleName)).toEqual(['a', 'a2']);
    expect(first.NextToken).toEqual(expect.any(String));
    // A rule created between pages that sorts before the token does not shift the next page.
    await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('0-first', { Priority: 1 }) }));
    const second = await client.send(new GetSamplingRulesCommand({ NextToken: first.NextToken }));
    expect(second.SamplingRuleRecords?.map((r) => r.SamplingRule?.RuleName)).toEqual(['b', 'c']);
    const third = await client.send(new GetSamplingRulesCommand({ NextToken: second.NextToken }));
    expect(third.SamplingRuleRecords?.map((r) => r.SamplingRule?.RuleName)).toEqual(['Default']);
    expect(third.NextToken).toBeUndefined();
    expect((await allRules()).map((r) => r.SamplingRule?.RuleName)).toEqual(['0-first', 'a', 'a2', 'b', 'c', 'Default']);
  });

  const long = (n: number): string => 'x'.repeat(n);
  test.each([
    ['no SamplingRule', {}, 'SamplingRule is required'],
    ['no RuleName', { RuleName: undefined }, 'SamplingRule.RuleName is required'],
    ['a 33-character RuleName', { RuleName: long(33) }, 'SamplingRule.RuleName must be 1 to 32 characters long, got 33'],
    ['an empty RuleName', { RuleName: '' }, 'SamplingRule.RuleName must be 1 to 32 characters long, got 0'],
    ['no ResourceARN', { ResourceARN: undefined }, 'SamplingRule.ResourceARN is required'],
    ['a 501-character ResourceARN', { ResourceARN: long(501) }, 'SamplingRule.ResourceARN must be at most 500 characters long, got 501'],
    ['no Priority', { Priority: undefined }, 'SamplingRule.Priority is required'],
    ['Priority 0', { Priority: 0 }, 'SamplingRule.Priority must be a whole number from 1 to 9999, got number 0'],
    ['Priority 10000', { Priority: 10000 }, 'SamplingRule.Priority must be a whole number from 1 to 9999, got number 10000'],
    ['a fractional Priority', { Priority: 1.5 }, 'SamplingRule.Priority must be a whole number from 1 to 9999, got number 1.5'],
    ['no FixedRate', { FixedRate: undefined }, 'SamplingRule.FixedRate is required'],
    ['FixedRate 1.5', { FixedRate: 1.5 }, 'SamplingRule.FixedRate must be a number from 0 to 1, got number 1.5'],
    ['FixedRate -0.1', { FixedRate: -0.1 }, 'SamplingRule.FixedRate must be a number from 0 to 1, got number -0.1'],
    ['no ReservoirSize', { ReservoirSize: undefined }, 'SamplingRule.ReservoirSize is required'],
    ['ReservoirSize -1', { ReservoirSize: -1 }, 'SamplingRule.ReservoirSize must be a whole number >= 0, got number -1'],
    ['a fractional ReservoirSize', { ReservoirSize: 0.5 }, 'SamplingRule.ReservoirSize must be a whole number >= 0, got number 0.5'],
    ['no ServiceName', { ServiceName: undefined }, 'SamplingRule.ServiceName is required'],
    ['a 65-character ServiceName', { ServiceName: long(65) }, 'SamplingRule.ServiceName must be at most 64 characters long, got 65'],
    ['no ServiceType', { ServiceType: undefined }, 'SamplingRule.ServiceType is required'],
    ['a 65-character ServiceType', { ServiceType: long(65) }, 'SamplingRule.ServiceType must be at most 64 characters long, got 65'],
    ['no Host', { Host: undefined }, 'SamplingRule.Host is required'],
    ['a 65-character Host', { Host: long(65) }, 'SamplingRule.Host must be at most 64 characters long, got 65'],
    ['no HTTPMethod', { HTTPMethod: undefined }, 'SamplingRule.HTTPMethod is required'],
    ['an 11-character HTTPMethod', { HTTPMethod: long(11) }, 'SamplingRule.HTTPMethod must be at most 10 characters long, got 11'],
    ['no URLPath', { URLPath: undefined }, 'SamplingRule.URLPath is required'],
    ['a 129-character URLPath', { URLPath: long(129) }, 'SamplingRule.URLPath must be at most 128 characters long, got 129'],
    ['no Version', { Version: undefined }, 'SamplingRule.Version is required'],
    ['Version 2', { Version: 2 }, 'SamplingRule.Version must be 1, got 2'],
    ['six Attributes', { Attributes: Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`k${i}`, 'v'])) }, 'SamplingRule.Attributes must have at most 5 entries, got 6'],
    ['a 33-character attribute key', { Attributes: { [long(33)]: 'v' } }, `SamplingRule.Attributes keys must be 1 to 32 characters long, got the string "${long(33)}"`],
    ['a 33-character attribute value', { Attributes: { k: long(33) } }, 'SamplingRule.Attributes.k must be 1 to 32 characters long, got 33'],
    ['an empty attribute value', { Attributes: { k: '' } }, 'SamplingRule.Attributes.k must be 1 to 32 characters long, got 0'],
    ['a SamplingRateBoost that is not an object', { SamplingRateBoost: 0.5 }, 'SamplingRule.SamplingRateBoost must be an object, got number 0.5'],
    ['a SamplingRateBoost without MaxRate', { SamplingRateBoost: { CooldownWindowMinutes: 1 } }, 'SamplingRule.SamplingRateBoost.MaxRate is required'],
    ['MaxRate 1.5', { SamplingRateBoost: { MaxRate: 1.5, CooldownWindowMinutes: 1 } }, 'SamplingRule.SamplingRateBoost.MaxRate must be a number from 0 to 1, got number 1.5'],
    ['MaxRate -0.1', { SamplingRateBoost: { MaxRate: -0.1, CooldownWindowMinutes: 1 } }, 'SamplingRule.SamplingRateBoost.MaxRate must be a number from 0 to 1, got number -0.1'],
    ['a SamplingRateBoost without CooldownWindowMinutes', { SamplingRateBoost: { MaxRate: 0.5 } }, 'SamplingRule.SamplingRateBoost.CooldownWindowMinutes is required'],
    ['CooldownWindowMinutes -1', { SamplingRateBoost: { MaxRate: 0.5, CooldownWindowMinutes: -1 } }, 'SamplingRule.SamplingRateBoost.CooldownWindowMinutes must be a whole number >= 0, got number -1'],
    ['a fractional CooldownWindowMinutes', { SamplingRateBoost: { MaxRate: 0.5, CooldownWindowMinutes: 1.5 } }, 'SamplingRule.SamplingRateBoost.CooldownWindowMinutes must be a whole number >= 0, got number 1.5'],
    ['the reserved name', { RuleName: 'Default' }, 'RuleName "Default" is reserved: the Default rule always exists'],
    ['a taken name', { RuleName: 'taken' }, 'a sampling rule named "taken" already exists'],
  ] as Array<[string, Partial<SamplingRule> | Record<string, never>, string]>)('CreateSamplingRule refuses %s with InvalidRequestException naming the field', async (what, change, message) => {
    await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('taken') }));
    const input = what === 'no SamplingRule' ? {} : { SamplingRule: { ...rule('new'), ...change } };
    await expect(client.send(new CreateSamplingRuleCommand(input as { SamplingRule: SamplingRule })))
      .rejects.toMatchObject({ name: 'InvalidRequestException', message, $metadata: { httpStatusCode: 400 } });
    expect((await allRules()).map((r) => r.SamplingRule?.RuleName)).toEqual(['taken', 'Default']);
  });

  test('Tags are checked like CreateGroup\'s', async () => {
    await expect(client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('t'), Tags: [{ Key: 'k', Value: 7 as unknown as string }] })))
      .rejects.toMatchObject({ name: 'InvalidRequestException', message: 'Tags[0].Value must be a string, got number 7' });
  });

  test('26 rules besides Default are refused with RuleLimitExceededException', async () => {
    for (let i = 0; i < 25; i++) await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule(`r${String(i).padStart(2, '0')}`) }));
    await expect(client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('r25') }))).rejects.toMatchObject({
      name: 'RuleLimitExceededException', $metadata: { httpStatusCode: 400 },
      message: 'there are already 25 sampling rules besides Default, the most there can be; delete one first',
    });
    expect(await allRules()).toHaveLength(26);
  });

  test.each([
    ['no SamplingRuleUpdate', undefined, 'SamplingRuleUpdate is required'],
    ['no rule named', { FixedRate: 0 }, 'SamplingRuleUpdate.RuleName or SamplingRuleUpdate.RuleARN is required'],
    ['an unknown rule', { RuleName: 'nope', FixedRate: 0 }, 'there is no sampling rule named "nope"'],
    ['an unknown ARN', { RuleARN: `${ARN}/nope`, FixedRate: 0 }, `there is no sampling rule with RuleARN "${ARN}/nope"`],
    ['a 33-character RuleName', { RuleName: long(33) }, 'SamplingRuleUpdate.RuleName must be 1 to 32 characters long, got 33'],
    ['FixedRate 2', { RuleName: 'kept', FixedRate: 2 }, 'SamplingRuleUpdate.FixedRate must be a number from 0 to 1, got number 2'],
    ['Priority 0', { RuleName: 'kept', Priority: 0 }, 'SamplingRuleUpdate.Priority must be a whole number from 1 to 10000, got number 0'],
    ['Default\'s Priority', { RuleName: 'kept', Priority: 10000 }, "Priority 10000 is the Default rule's: other rules take 1 to 9999"],
    ['ReservoirSize -1', { RuleName: 'kept', ReservoirSize: -1 }, 'SamplingRuleUpdate.ReservoirSize must be a whole number >= 0, got number -1'],
    ['a 129-character URLPath', { RuleName: 'kept', URLPath: long(129) }, 'SamplingRuleUpdate.URLPath must be at most 128 characters long, got 129'],
    ['an 11-character HTTPMethod', { RuleName: 'kept', HTTPMethod: long(11) }, 'SamplingRuleUpdate.HTTPMethod must be at most 10 characters long, got 11'],
    ['six Attributes', { RuleName: 'kept', Attributes: Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`k${i}`, 'v'])) }, 'SamplingRuleUpdate.Attributes must have at most 5 entries, got 6'],
    ['MaxRate 2', { RuleName: 'kept', SamplingRateBoost: { MaxRate: 2, CooldownWindowMinutes: 1 } }, 'SamplingRuleUpdate.SamplingRateBoost.MaxRate must be a number from 0 to 1, got number 2'],
    ['CooldownWindowMinutes "1"', { RuleName: 'kept', SamplingRateBoost: { MaxRate: 0.5, CooldownWindowMinutes: '1' } }, 'SamplingRuleUpdate.SamplingRateBoost.CooldownWindowMinutes must be a whole number >= 0, got the string "1"'],
    ['a new Default Priority', { RuleName: 'Default', Priority: 1 }, "the Default rule's Priority cannot be changed: only its FixedRate, ReservoirSize and SamplingRateBoost can"],
    ['a Default URLPath', { RuleName: 'Default', URLPath: '/x' }, "the Default rule's URLPath cannot be changed: only its FixedRate, ReservoirSize and SamplingRateBoost can"],
    ['a Default ServiceName', { RuleARN: `${ARN}/Default`, ServiceName: 'api' }, "the Default rule's ServiceName cannot be changed: only its FixedRate, ReservoirSize and SamplingRateBoost can"],
  ])('UpdateSamplingRule refuses %s, naming the field', async (_what, update, message) => {
    await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('kept') }));
    await expect(client.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: update } as { SamplingRuleUpdate: object })))
      .rejects.toMatchObject({ name: 'InvalidRequestException', message });
    expect((await allRules())[0]?.SamplingRule).toEqual({ ...rule('kept'), RuleARN: `${ARN}/kept`, Attributes: {} });
  });

  test('Default: FixedRate and ReservoirSize change, the rest repeated is accepted, it cannot be deleted', async () => {
    clock.now = NOW + 40;
    const updated = await client.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'Default', FixedRate: 0.1, ReservoirSize: 3, Priority: 10000, URLPath: '*' } }));
    expect(updated.SamplingRuleRecord?.SamplingRule).toMatchObject({ RuleName: 'Default', FixedRate: 0.1, ReservoirSize: 3, Priority: 10000, URLPath: '*' });
    expect(updated.SamplingRuleRecord?.ModifiedAt).toEqual(at(NOW + 40));
    await expect(client.send(new DeleteSamplingRuleCommand({ RuleName: 'Default' }))).rejects.toMatchObject({ name: 'InvalidRequestException', message: 'the Default rule cannot be deleted' });
    await expect(client.send(new DeleteSamplingRuleCommand({ RuleARN: `${ARN}/Default` }))).rejects.toMatchObject({ message: 'the Default rule cannot be deleted' });
    await client.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'Default', FixedRate: 0.5, ReservoirSize: 1 } }));
  });

  test('DeleteSamplingRule refuses unknown rules and a missing name', async () => {
    await expect(client.send(new DeleteSamplingRuleCommand({ RuleName: 'nope' }))).rejects.toMatchObject({ name: 'InvalidRequestException', message: 'there is no sampling rule named "nope"' });
    await expect(client.send(new DeleteSamplingRuleCommand({}))).rejects.toMatchObject({ message: 'RuleName or RuleARN is required' });
  });

  test('GetSamplingTargets: LastRuleModification moves on every change, so SDKs fetch the rules again', async () => {
    const lastModification = async (): Promise<Date | undefined> => (await client.send(new GetSamplingTargetsCommand({ SamplingStatisticsDocuments: [] }))).LastRuleModification;
    clock.now = NOW + 100;
    const before = await lastModification();
    await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('moving') }));
    expect(await lastModification()).toEqual(at(NOW + 100));
    clock.now = NOW + 110.5;
    await client.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'moving', ReservoirSize: 7 } }));
    expect(await lastModification()).toEqual(at(NOW + 110.5));
    clock.now = NOW + 120;
    await client.send(new DeleteSamplingRuleCommand({ RuleName: 'moving' }));
    expect(await lastModification()).toEqual(at(NOW + 120));
    expect(before!.getTime()).toBeLessThan(at(NOW + 100).getTime());
  });

  test('GetSamplingTargets and GetSamplingStatisticSummaries: two clients share a reservoir, their counts add up', async () => {
    clock.now = NOW + 200;
    await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('orders', { ReservoirSize: 5, FixedRate: 0.2 }) }));
    const report = (ClientID: string, RequestCount: number, SampledCount: number, BorrowCount: number) =>
      client.send(new GetSamplingTargetsCommand({ SamplingStatisticsDocuments: [{ RuleName: 'orders', ClientID, Timestamp: at(clock.now), RequestCount, SampledCount, BorrowCount }] }));
    expect((await report(CLIENT, 10, 4, 1)).SamplingTargetDocuments).toEqual([
      { RuleName: 'orders', FixedRate: 0.2, ReservoirQuota: 5, ReservoirQuotaTTL: at(NOW + 220), Interval: 10 },
    ]);
    clock.now = NOW + 203;
    expect((await report('f'.repeat(24), 6, 2, 0)).SamplingTargetDocuments?.[0]).toMatchObject({ ReservoirQuota: 2, ReservoirQuotaTTL: at(NOW + 223) });
    expect((await report(CLIENT, 0, 0, 0)).SamplingTargetDocuments?.[0]?.ReservoirQuota).toBe(3);
    const summaries = await client.send(new GetSamplingStatisticSummariesCommand({}));
    expect(summaries.SamplingStatisticSummaries).toEqual([{ RuleName: 'orders', Timestamp: at(NOW + 200), RequestCount: 16, SampledCount: 6, BorrowCount: 1 }]);
    expect(summaries.NextToken).toBeUndefined();
  });
});

describe('the daemon\'s TCP port answers from the same rules', () => {
  test('a rule created through the API is served on the daemon port; rules are managed on the API only', async () => {
    const service = await start();
    const client = clientFor(service);
    try {
      await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('health', { URLPath: '/health', FixedRate: 0, ReservoirSize: 0, Priority: 1 }) }));
      const daemon = `http://127.0.0.1:${service.daemon.tcp.port}`;
      const rules = await fetch(`${daemon}/GetSamplingRules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const names = ((await rules.json()) as { SamplingRuleRecords: Array<{ SamplingRule: { RuleName: string } }> }).SamplingRuleRecords.map((r) => r.SamplingRule.RuleName);
      expect(names).toEqual(['health', 'Default']);
      const targets = await fetch(`${daemon}/SamplingTargets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ SamplingStatisticsDocuments: [{ RuleName: 'health', ClientID: CLIENT, Timestamp: NOW, RequestCount: 4, SampledCount: 0, BorrowCount: 0 }] }),
      });
      expect(((await targets.json()) as { SamplingTargetDocuments: unknown[] }).SamplingTargetDocuments).toEqual([
        { RuleName: 'health', FixedRate: 0, ReservoirQuota: 0, ReservoirQuotaTTL: clock.now + 20, Interval: 10 },
      ]);
      // What the daemon was told shows on the API.
      expect((await client.send(new GetSamplingStatisticSummariesCommand({}))).SamplingStatisticSummaries?.map((s) => [s.RuleName, s.RequestCount])).toEqual([['health', 4]]);
      const create = await fetch(`${daemon}/CreateSamplingRule`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ SamplingRule: rule('x') }) });
      expect(create.status).toBe(404);
    } finally {
      client.destroy();
      await service.stop();
    }
  });
});

describe('sampling rules persist across restarts of the service', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xray-sampling-api-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('rules created and a Default changed before a restart are there after it, as they were', async () => {
    clock.now = NOW;
    const first = await start({ dataDir });
    const client = clientFor(first);
    await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('health', { URLPath: '/health', FixedRate: 0, ReservoirSize: 0, Attributes: { a: 'b' } }) }));
    await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('boosted', { SamplingRateBoost: { MaxRate: 0.25, CooldownWindowMinutes: 10 } }) }));
    await client.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'Default', FixedRate: 0.2 } }));
    const before = await everyRule(client);
    client.destroy();
    await first.stop();

    clock.now = NOW + 3600;
    const second = await start({ dataDir });
    const again = clientFor(second);
    try {
      expect(await everyRule(again)).toEqual(before);
      expect(before?.map((r) => [r.SamplingRule?.RuleName, r.SamplingRule?.FixedRate, r.SamplingRule?.SamplingRateBoost]))
        .toEqual([['boosted', 0.05, { MaxRate: 0.25, CooldownWindowMinutes: 10 }], ['health', 0, undefined], ['Default', 0.2, undefined]]);
      // A restart counts as a change: SDKs that loaded the rules before it load them again.
      expect((await again.send(new GetSamplingTargetsCommand({ SamplingStatisticsDocuments: [] }))).LastRuleModification).toEqual(at(NOW + 3600));
    } finally {
      again.destroy();
      await second.stop();
    }
  });
});
