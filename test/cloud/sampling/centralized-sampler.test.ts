import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CentralizedSampler } from '../../../src/cloud/sampling/centralized-sampler.ts';
import type { Scheduler } from '../../../src/cloud/sampling/centralized-sampler.ts';
import { HttpSamplingApi } from '../../../src/cloud/sampling/sampling-api.ts';
import type { SamplingRequest } from '../../../src/cloud/sampling/sampler.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { defaultRule, FakeXrayApi } from './fake-xray-api.ts';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const health: SamplingRequest = { serviceName: 'api/prod', serviceType: 'AWS::ApiGateway::Stage', httpMethod: 'GET', urlPath: '/prod/health' };
const other: SamplingRequest = { ...health, urlPath: '/prod/other' };
const noHealth = { RuleName: 'no-health', Priority: 1, URLPath: '/prod/health*', FixedRate: 0, ReservoirSize: 0 };

/**
 * The HTTP API, counting the rule reads the sampler starts: a read counts the moment it is started,
 * before the fake API has received it, so a read that should not happen is seen at once.
 */
class CountedApi extends HttpSamplingApi {
  ruleReads = 0;

  override getSamplingRules(signal?: AbortSignal): Promise<unknown[]> {
    this.ruleReads += 1;
    return super.getSamplingRules(signal);
  }
}

/** A scheduler whose tasks run only when the test says so. */
class ManualScheduler implements Scheduler {
  readonly tasks: Array<{ intervalMs: number; task: () => void; cancelled: boolean }> = [];

  every(intervalMs: number, task: () => void): () => void {
    const entry = { intervalMs, task, cancelled: false };
    this.tasks.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  intervals(): number[] {
    return this.tasks.filter((entry) => !entry.cancelled).map((entry) => entry.intervalMs);
  }
}

let api: FakeXrayApi;
let http: CountedApi;
let nowMs: number;
let logged: string[];
let scheduler: ManualScheduler;
let sampler: CentralizedSampler;

function newSampler(url = api.url): CentralizedSampler {
  http = new CountedApi({ url, timeoutMs: 1000 });
  return new CentralizedSampler({
    api: http,
    clock: () => nowMs,
    random: seededRandom(7),
    scheduler,
    logger: { info: (m) => logged.push(`info ${m}`), warn: (m) => logged.push(`warn ${m}`) },
  });
}

beforeEach(async () => {
  nowMs = T0;
  api = new FakeXrayApi([]);
  api.nowSeconds = () => nowMs / 1000;
  // Changed before the test's clock starts, not at the machine's time, which may be later than T0.
  for (const rule of [defaultRule(1, 1), noHealth]) api.put(rule, T0 / 1000 - 60);
  logged = [];
  scheduler = new ManualScheduler();
  await api.start();
  sampler = newSampler();
});

afterEach(async () => {
  await sampler.stop();
  await api.stop();
});

function decisions(request: SamplingRequest, count: number): boolean[] {
  return Array.from({ length: count }, () => sampler.shouldSample(request));
}

describe('CentralizedSampler', () => {
  it('reads the rules on start and decides with them; refreshes every 5 s and reports every 10 s', async () => {
    await sampler.start();
    expect(api.callsTo('/GetSamplingRules')).toHaveLength(1);
    expect(scheduler.intervals()).toEqual([5000, 10000]);
    expect(decisions(health, 5)).toEqual([false, false, false, false, false]);
    expect(decisions(other, 5)).toEqual([true, true, true, true, true]);
    expect(logged).toEqual([
      `info sampling: 2 sampling rules from ${api.url}: no-health (priority 1, reservoir 0/s, rate 0), Default (priority 10000, reservoir 1/s, rate 1)`,
    ]);
  });

  it('reads rules page after page', async () => {
    api.pageSize = 1;
    await sampler.start();
    expect(api.callsTo('/GetSamplingRules').map((call) => call.body)).toEqual([{}, { NextToken: '1' }]);
    expect(decisions(health, 2)).toEqual([false, false]);
  });

  it('applies a rule created after start at the next refresh', async () => {
    api.rules.delete('no-health');
    await sampler.start();
    expect(decisions(health, 3)).toEqual([true, true, true]);
    api.put(noHealth);
    await sampler.refreshRules();
    expect(decisions(health, 3)).toEqual([false, false, false]);
  });

  it('reports statistics with a stable ClientID and uses the targets answered', async () => {
    await sampler.start();
    decisions(health, 3);
    decisions(other, 2);
    nowMs += 10_000;
    api.quota = (name) => (name === 'Default' ? 0 : undefined);
    // Changed before the rules were read: no reason to read them again.
    api.put(defaultRule(0, 1), T0 / 1000 - 60);
    await sampler.reportStatistics();
    expect(http.ruleReads).toBe(1);
    expect(api.callsTo('/GetSamplingRules')).toHaveLength(1);
    const [call] = api.callsTo('/SamplingTargets');
    expect(call?.body).toEqual({
      SamplingStatisticsDocuments: [
        { RuleName: 'no-health', ClientID: sampler.clientId, Timestamp: T0 / 1000 + 10, RequestCount: 3, SampledCount: 0, BorrowCount: 0 },
        { RuleName: 'Default', ClientID: sampler.clientId, Timestamp: T0 / 1000 + 10, RequestCount: 2, SampledCount: 1, BorrowCount: 1 },
      ],
    });
    expect(sampler.clientId).toMatch(/^[0-9a-f]{24}$/);
    // The target: quota 0 and FixedRate 0 for Default, so nothing more is sampled.
    expect(decisions(other, 3)).toEqual([false, false, false]);
    decisions(other, 1);
    nowMs += 10_000;
    await sampler.reportStatistics();
    expect(api.callsTo('/SamplingTargets')[1]?.body['SamplingStatisticsDocuments']).toEqual([
      expect.objectContaining({ RuleName: 'Default', ClientID: sampler.clientId, RequestCount: 4, SampledCount: 0 }),
    ]);
  });

  it('reports with the ClientID it is given, and refuses one the API would not take', async () => {
    await sampler.stop();
    const clientId = '0123456789abcdef01234567';
    sampler = new CentralizedSampler({ api: new HttpSamplingApi({ url: api.url }), clock: () => nowMs, scheduler, clientId, logger: { info: () => {}, warn: () => {} } });
    await sampler.start();
    decisions(other, 1);
    nowMs += 10_000;
    await sampler.reportStatistics();
    expect(api.callsTo('/SamplingTargets')[0]?.body['SamplingStatisticsDocuments']).toEqual([expect.objectContaining({ RuleName: 'Default', ClientID: clientId })]);
    expect(() => new CentralizedSampler({ api: http, clientId: 'client-1' })).toThrow('sampling: ClientID "client-1" is not 24 lowercase hex digits');
  });

  it('reads the rules again at once when the targets say a rule changed since', async () => {
    await sampler.start();
    decisions(other, 1);
    nowMs += 10_000;
    api.put({ RuleName: 'no-other', Priority: 2, URLPath: '/prod/other', FixedRate: 0, ReservoirSize: 0 });
    // Only the targets' answer: the scheduled refresh never runs here.
    await sampler.reportStatistics();
    await vi.waitFor(() => expect(api.callsTo('/GetSamplingRules')).toHaveLength(2), { timeout: 10_000 });
    // Logged once the rules read are in use.
    await vi.waitFor(() => expect(logged.at(-1)).toMatch(/^info sampling: 3 sampling rules from .*: no-health .*, no-other /), { timeout: 10_000 });
    expect(http.ruleReads).toBe(2);
    expect(decisions(other, 2)).toEqual([false, false]);
  });

  it('sends no report when no rule matched a request', async () => {
    await sampler.start();
    nowMs += 10_000;
    await sampler.reportStatistics();
    expect(api.callsTo('/SamplingTargets')).toEqual([]);
  });

  it('samples everything while the API cannot be reached, says so once, and uses the rules once it answers', async () => {
    await api.stop();
    await sampler.start();
    expect(decisions(health, 3)).toEqual([true, true, true]);
    await sampler.refreshRules();
    await sampler.refreshRules();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(new RegExp(`^warn sampling: could not read the sampling rules from the X-Ray API at ${api.url}: could not reach it: ECONNREFUSED\\. ` +
      'Every request is sampled until they can be read'));
    await api.start();
    await sampler.refreshRules();
    expect(decisions(health, 2)).toEqual([false, false]);
    expect(logged[1]).toMatch(/^info sampling: 2 sampling rules from .* \(readable again\): no-health/);
  });

  it('samples everything while the API answers errors, naming the error once', async () => {
    await sampler.start();
    expect(decisions(health, 1)).toEqual([false]);
    api.failure = { status: 500, type: 'InternalFailure', message: 'the store is closed' };
    await sampler.refreshRules();
    await sampler.refreshRules();
    expect(decisions(health, 2)).toEqual([true, true]);
    expect(logged.filter((line) => line.startsWith('warn'))).toEqual([
      `warn sampling: could not read the sampling rules from the X-Ray API at ${api.url}: POST /GetSamplingRules answered 500 InternalFailure: the store is closed. ` +
        'Every request is sampled until they can be read (tried again every few seconds).',
    ]);
  });

  it('keeps the rules when only the targets fail, and says so once', async () => {
    await sampler.start();
    decisions(health, 1);
    api.failure = { status: 429, type: 'ThrottledException', message: 'slow down' };
    nowMs += 10_000;
    await sampler.reportStatistics();
    decisions(health, 1);
    nowMs += 10_000;
    await sampler.reportStatistics();
    expect(decisions(health, 2)).toEqual([false, false]);
    expect(logged.filter((line) => line.startsWith('warn'))).toEqual([
      `warn sampling: could not get sampling targets from the X-Ray API at ${api.url}: POST /SamplingTargets answered 429 ThrottledException: slow down. The rules keep their last quotas.`,
    ]);
  });

  it('leaves out a rule it cannot use, naming it once, and uses the others', async () => {
    api.put({ RuleName: 'future', Priority: 2, Version: 2, FixedRate: 0 });
    await sampler.start();
    await sampler.refreshRules();
    expect(logged.filter((line) => line.startsWith('warn'))).toEqual([
      'warn sampling: sampling rule future: Version 2 is not 1, the only rule format known here; the rule is not used',
    ]);
    expect(decisions(other, 1)).toEqual([true]);
  });

  it('gives up on an API that does not answer, within its timeout', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address() as { port: number };
    const slow = new CentralizedSampler({
      api: new HttpSamplingApi({ url: `http://127.0.0.1:${address.port}`, timeoutMs: 100 }),
      scheduler,
      logger: { info: () => {}, warn: (m) => logged.push(m) },
    });
    await slow.start();
    expect(slow.shouldSample(health)).toBe(true);
    expect(logged[0]).toContain('no answer to POST /GetSamplingRules within 100 ms');
    await slow.stop();
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('stops its refreshes on stop', async () => {
    await sampler.start();
    await sampler.stop();
    expect(scheduler.intervals()).toEqual([]);
    await sampler.refreshRules();
    expect(api.callsTo('/GetSamplingRules')).toHaveLength(1);
  });
});
