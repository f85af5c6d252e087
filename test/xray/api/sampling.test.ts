import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Router } from '../../../src/xray/http/router.ts';
import { startHttpServer } from '../../../src/xray/http/server.ts';
import type { RunningHttpServer } from '../../../src/xray/http/server.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { addSamplingRoutes } from '../../../src/xray/api/sampling.ts';
import { MemorySamplingRuleStorage, SamplingRules, SamplingStatistics } from '../../../src/xray/sampling/index.ts';
import type { Sampling } from '../../../src/xray/sampling/index.ts';
import { newRule } from '../sampling/support.ts';

// The SDK's own client for the daemon's sampling endpoints: what it accepts is what matters.
const require = createRequire(import.meta.url);
interface SdkRule {
  getName(): string;
  getRate(): number;
  getPriority(): number;
  isDefault(): boolean;
  match(request: { host?: string; httpMethod?: string; urlPath?: string; serviceName?: string; serviceType?: string }): boolean;
  incrementRequestCount(): void;
  incrementSampledCount(): void;
}
interface SdkTarget {
  rate: number;
  quota: number;
  interval: number;
}
const connector = require('aws-xray-sdk-core/dist/lib/middleware/sampling/service_connector.js') as {
  clientId: string;
  fetchSamplingRules(callback: (error: Error | null, rules?: SdkRule[]) => void): void;
  fetchTargets(rules: SdkRule[], callback: (error: Error | null, targets?: Record<string, SdkTarget>, freshness?: number) => void): void;
};
const daemonConfig = require('aws-xray-sdk-core/dist/lib/daemon_config.js') as { tcp_ip: string; tcp_port: number };

const NOW = 1_700_000_000;
const CLIENT = '0123456789abcdef01234567';
let server: RunningHttpServer;
let base: string;
let sampling: Sampling;

beforeAll(async () => {
  const rules = new SamplingRules({ storage: new MemorySamplingRuleStorage(), defaults: { fixedRate: 0.25, reservoirSize: 1 }, nowSeconds: () => NOW });
  rules.create(newRule('health', { priority: 10, urlPath: '/health', fixedRate: 0, reservoirSize: 0 }));
  // Kept and listed, but the SDKs skip rules with attributes.
  rules.create(newRule('gold', { priority: 20, attributes: { tier: 'gold' } }));
  sampling = { rules, statistics: new SamplingStatistics({ nowSeconds: () => NOW }), pageSize: 2 };
  server = await startHttpServer({ router: addSamplingRoutes(new Router(), sampling), host: '127.0.0.1', port: 0, maxBodyBytes: 64 * 1024, logger: silentLogger });
  base = `http://127.0.0.1:${server.address.port}`;
  daemonConfig.tcp_ip = '127.0.0.1';
  daemonConfig.tcp_port = server.address.port;
});

afterAll(() => server.close());

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function sdkRules(): Promise<SdkRule[]> {
  return new Promise((resolve, reject) => connector.fetchSamplingRules((error, result) => (error ? reject(error) : resolve(result ?? []))));
}

const stats = (RuleName: string, extra: Record<string, unknown> = {}) =>
  ({ RuleName, ClientID: CLIENT, Timestamp: NOW, RequestCount: 3, SampledCount: 1, BorrowCount: 0, ...extra });

describe('sampling endpoints the SDKs call', () => {
  test('the X-Ray SDK loads our rules (the first page, all there is by default) and applies them by path', async () => {
    // The SDK reads one page only; this router pages by two, so it sees health and gold, and skips gold.
    const rules = await sdkRules();
    expect(rules.map((rule) => [rule.getName(), rule.isDefault(), rule.getRate(), rule.getPriority()])).toEqual([['health', false, 0, 10]]);
    expect(rules[0]?.match({ urlPath: '/health', httpMethod: 'GET' })).toBe(true);
    expect(rules[0]?.match({ urlPath: '/orders', httpMethod: 'GET' })).toBe(false);
  });

  test('the X-Ray SDK accepts our targets for the statistics it reports', async () => {
    const rules = await sdkRules();
    rules[0]?.incrementRequestCount();
    rules[0]?.incrementSampledCount();
    const { targets, freshness } = await new Promise<{ targets: Record<string, SdkTarget>; freshness: number | undefined }>((resolve, reject) =>
      connector.fetchTargets(rules, (error, result, fresh) => (error ? reject(error) : resolve({ targets: result ?? {}, freshness: fresh }))),
    );
    expect(targets.health).toMatchObject({ rate: 0, quota: 0, interval: 10 });
    expect(typeof freshness).toBe('number');
    expect(sampling.statistics.summaries()).toEqual([{ ruleName: 'health', timestamp: NOW, requestCount: 1, sampledCount: 1, borrowCount: 0 }]);
  });

  test('GetSamplingRules answers the exact AWS shape, a page at a time', async () => {
    const first = await post('/GetSamplingRules', {});
    expect(first.status).toBe(200);
    expect((first.json.SamplingRuleRecords as unknown[])[0]).toEqual({
      SamplingRule: {
        RuleName: 'health', RuleARN: 'arn:aws:xray:us-east-1:000000000000:sampling-rule/health', ResourceARN: '*', Priority: 10, FixedRate: 0,
        ReservoirSize: 0, ServiceName: '*', ServiceType: '*', Host: '*', HTTPMethod: '*', URLPath: '/health', Version: 1, Attributes: {},
      },
      CreatedAt: NOW,
      ModifiedAt: NOW,
    });
    expect(typeof first.json.NextToken).toBe('string');
    const second = await post('/GetSamplingRules', { NextToken: first.json.NextToken });
    expect(second.json).toEqual({
      SamplingRuleRecords: [{
        SamplingRule: {
          RuleName: 'Default', RuleARN: 'arn:aws:xray:us-east-1:000000000000:sampling-rule/Default', ResourceARN: '*', Priority: 10000, FixedRate: 0.25,
          ReservoirSize: 1, ServiceName: '*', ServiceType: '*', Host: '*', HTTPMethod: '*', URLPath: '*', Version: 1, Attributes: {},
        },
        CreatedAt: NOW,
        ModifiedAt: NOW,
      }],
    });
    expect(await post('/GetSamplingRules', { NextToken: 'abc' })).toEqual({
      status: 400, json: expect.objectContaining({ __type: 'InvalidRequestException', message: 'NextToken the string "abc" was not issued by this service' }),
    });
  });

  test('GetSamplingTargets: a target per known rule, statistics for others come back unprocessed', async () => {
    const { status, json } = await post('/SamplingTargets', { SamplingStatisticsDocuments: [stats('Default'), stats('Checkout')] });
    expect(status).toBe(200);
    expect(json).toEqual({
      SamplingTargetDocuments: [{ RuleName: 'Default', FixedRate: 0.25, ReservoirQuota: 1, ReservoirQuotaTTL: NOW + 20, Interval: 10 }],
      LastRuleModification: NOW,
      UnprocessedStatistics: [{ RuleName: 'Checkout', ErrorCode: '404', Message: 'no sampling rule named Checkout' }],
    });
  });

  test('boost statistics (adaptive sampling) are taken and not used', async () => {
    const boost = { RuleName: 'Default', ServiceName: 'api', Timestamp: NOW, AnomalyCount: 1, TotalCount: 2, SampledAnomalyCount: 1 };
    const { status, json } = await post('/SamplingTargets', { SamplingStatisticsDocuments: [], SamplingBoostStatisticsDocuments: [boost] });
    expect(status).toBe(200);
    expect(json).toEqual({ SamplingTargetDocuments: [], LastRuleModification: NOW, UnprocessedStatistics: [] });
  });

  test.each([
    [{}, 'SamplingStatisticsDocuments is required'],
    [{ SamplingStatisticsDocuments: {} }, 'SamplingStatisticsDocuments must be an array, got an object'],
    [{ SamplingStatisticsDocuments: [7] }, 'SamplingStatisticsDocuments[0] must be an object, got number 7'],
    [{ SamplingStatisticsDocuments: [{ ClientID: CLIENT }] }, 'SamplingStatisticsDocuments[0].RuleName is required'],
    [{ SamplingStatisticsDocuments: [stats('x'.repeat(33))] }, 'SamplingStatisticsDocuments[0].RuleName must be 1 to 32 characters long, got 33'],
    [{ SamplingStatisticsDocuments: [stats('Default', { ClientID: 'abc' })] }, 'SamplingStatisticsDocuments[0].ClientID must be exactly 24 characters long, got 3'],
    [{ SamplingStatisticsDocuments: [stats('Default', { Timestamp: 'now' })] }, 'SamplingStatisticsDocuments[0].Timestamp must be a timestamp in epoch seconds, got the string "now"'],
    [{ SamplingStatisticsDocuments: [stats('Default'), stats('Default', { RequestCount: 1.5 })] }, 'SamplingStatisticsDocuments[1].RequestCount must be a whole number >= 0, got number 1.5'],
    [{ SamplingStatisticsDocuments: [stats('Default', { SampledCount: -1 })] }, 'SamplingStatisticsDocuments[0].SampledCount must be a whole number >= 0, got number -1'],
    [{ SamplingStatisticsDocuments: [stats('Default', { BorrowCount: '1' })] }, 'SamplingStatisticsDocuments[0].BorrowCount must be a whole number >= 0, got the string "1"'],
    [{ SamplingStatisticsDocuments: new Array(26).fill({}) }, 'SamplingStatisticsDocuments must have at most 25 items, got 26'],
    [{ SamplingStatisticsDocuments: [], SamplingBoostStatisticsDocuments: 'x' }, 'SamplingBoostStatisticsDocuments must be an array, got the string "x"'],
  ])('a bad SamplingTargets request is a 400 naming the field: %j', async (body, message) => {
    const { status, json } = await post('/SamplingTargets', body);
    expect(status).toBe(400);
    expect(json).toMatchObject({ __type: 'InvalidRequestException', message });
  });
});
