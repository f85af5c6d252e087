import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Router } from '../../../src/xray/http/router.ts';
import { startHttpServer } from '../../../src/xray/http/server.ts';
import type { RunningHttpServer } from '../../../src/xray/http/server.ts';
import { silentLogger } from '../../../src/xray/log.ts';
import { validateSamplingSettings } from '../../../src/xray/sampling/default-rule.ts';
import { addSamplingRoutes } from '../../../src/xray/sampling/routes.ts';

// The SDK's own client for the daemon's sampling endpoints: what it accepts is what matters.
const require = createRequire(import.meta.url);
interface SdkRule {
  getName(): string;
  getRate(): number;
  getPriority(): number;
  isDefault(): boolean;
  incrementRequestCount(): void;
  incrementSampledCount(): void;
}
interface SdkTarget {
  rate: number;
  quota: number;
  interval: number;
}
const connector = require('aws-xray-sdk-core/dist/lib/middleware/sampling/service_connector.js') as {
  fetchSamplingRules(callback: (error: Error | null, rules?: SdkRule[]) => void): void;
  fetchTargets(rules: SdkRule[], callback: (error: Error | null, targets?: Record<string, SdkTarget>, freshness?: number) => void): void;
};
const daemonConfig = require('aws-xray-sdk-core/dist/lib/daemon_config.js') as { tcp_ip: string; tcp_port: number };

const NOW = 1_700_000_000;
let server: RunningHttpServer;
let base: string;

beforeAll(async () => {
  const router = addSamplingRoutes(new Router(), { settings: { fixedRate: 0.25, reservoirSize: 1 }, now: () => NOW });
  server = await startHttpServer({ router, host: '127.0.0.1', port: 0, maxBodyBytes: 64 * 1024, logger: silentLogger });
  base = `http://127.0.0.1:${server.address.port}`;
  daemonConfig.tcp_ip = '127.0.0.1';
  daemonConfig.tcp_port = server.address.port;
});

afterAll(() => server.close());

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('sampling endpoints', () => {
  test('the X-Ray SDK loads our default rule with the configured rate', async () => {
    const rules = await new Promise<SdkRule[]>((resolve, reject) =>
      connector.fetchSamplingRules((error, result) => (error ? reject(error) : resolve(result ?? []))),
    );
    expect(rules.map((rule) => [rule.getName(), rule.isDefault(), rule.getRate(), rule.getPriority()])).toEqual([['Default', true, 0.25, 10000]]);
  });

  test('the X-Ray SDK accepts our targets for the statistics it reports', async () => {
    const rules = await new Promise<SdkRule[]>((resolve, reject) =>
      connector.fetchSamplingRules((error, result) => (error ? reject(error) : resolve(result ?? []))),
    );
    rules[0]?.incrementRequestCount();
    rules[0]?.incrementSampledCount();
    const targets = await new Promise<Record<string, SdkTarget>>((resolve, reject) =>
      connector.fetchTargets(rules, (error, result) => (error ? reject(error) : resolve(result ?? {}))),
    );
    expect(targets.Default).toMatchObject({ rate: 0.25, quota: 1, interval: 10 });
  });

  test('GetSamplingRules answers the exact AWS shape', async () => {
    const { status, json } = await post('/GetSamplingRules', {});
    expect(status).toBe(200);
    expect(json).toEqual({
      SamplingRuleRecords: [
        {
          SamplingRule: {
            RuleName: 'Default',
            RuleARN: 'arn:aws:xray:us-east-1:000000000000:sampling-rule/Default',
            ResourceARN: '*',
            Priority: 10000,
            FixedRate: 0.25,
            ReservoirSize: 1,
            ServiceName: '*',
            ServiceType: '*',
            Host: '*',
            HTTPMethod: '*',
            URLPath: '*',
            Version: 1,
            Attributes: {},
          },
          CreatedAt: NOW,
          ModifiedAt: NOW,
        },
      ],
    });
  });

  test('statistics for rules we do not serve come back unprocessed', async () => {
    const stats = (RuleName: string) => ({ RuleName, ClientID: 'abc', Timestamp: NOW, RequestCount: 3, SampledCount: 1, BorrowCount: 0 });
    const { status, json } = await post('/SamplingTargets', { SamplingStatisticsDocuments: [stats('Default'), stats('Checkout')] });
    expect(status).toBe(200);
    expect(json).toEqual({
      SamplingTargetDocuments: [{ RuleName: 'Default', FixedRate: 0.25, ReservoirQuota: 1, ReservoirQuotaTTL: NOW + 10, Interval: 10 }],
      LastRuleModification: NOW,
      UnprocessedStatistics: [{ RuleName: 'Checkout', ErrorCode: '404', Message: 'no sampling rule named Checkout' }],
    });
  });

  test.each([
    [{}, 'SamplingStatisticsDocuments is required'],
    [{ SamplingStatisticsDocuments: {} }, 'SamplingStatisticsDocuments must be an array, got an object'],
    [{ SamplingStatisticsDocuments: [7] }, 'SamplingStatisticsDocuments[0] must be an object, got number 7'],
    [{ SamplingStatisticsDocuments: [{ ClientID: 'a' }] }, 'SamplingStatisticsDocuments[0].RuleName is required'],
    [
      { SamplingStatisticsDocuments: [{ RuleName: 'Default', ClientID: 'a', Timestamp: NOW, RequestCount: 1.5, SampledCount: 0 }] },
      'SamplingStatisticsDocuments[0].RequestCount must be a whole number',
    ],
    [{ SamplingStatisticsDocuments: new Array(26).fill({}) }, 'SamplingStatisticsDocuments must have at most 25 items, got 26'],
  ])('a bad SamplingTargets request is a 400 naming the field: %j', async (body, message) => {
    const { status, json } = await post('/SamplingTargets', body);
    expect(status).toBe(400);
    expect(json).toMatchObject({ __type: 'InvalidRequestException', message });
  });

  test('settings are checked', () => {
    expect(() => validateSamplingSettings({ fixedRate: 1.5, reservoirSize: 1 })).toThrow('sampling rate must be a number from 0 to 1, got 1.5');
    expect(() => validateSamplingSettings({ fixedRate: 1, reservoirSize: -1 })).toThrow('sampling reservoir size must be a whole number >= 0, got -1');
  });
});
