// Usage plans' throttle and quota per key, as "Usage plans and API keys for REST APIs" describes them
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html).
import { describe, expect, it } from 'vitest';
import { ApiKeys } from '../../../src/cloud/gateway/api-keys.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { cloudModel } from './support.ts';

function keys(plan: Record<string, unknown>, clock: () => number): ApiKeys {
  return new ApiKeys(cloudModel([
    { logicalId: 'Key', type: 'AWS::ApiGateway::ApiKey', physicalId: 'key1', properties: { Value: 'secret-value-0000000000', Enabled: true } },
    { logicalId: 'Off', type: 'AWS::ApiGateway::ApiKey', physicalId: 'key2', properties: { Value: 'disabled-value-00000000', Enabled: false } },
    { logicalId: 'Plan', type: 'AWS::ApiGateway::UsagePlan', physicalId: 'plan1', properties: { ApiStages: [{ ApiId: 'api1', Stage: 'prod', Throttle: { '/items/POST': { RateLimit: 1, BurstLimit: 1 } } }], ...plan } },
    { logicalId: 'PlanKey', type: 'AWS::ApiGateway::UsagePlanKey', physicalId: 'pk1', properties: { KeyId: 'key1', KeyType: 'API_KEY', UsagePlanId: 'plan1' } },
    { logicalId: 'PlanKeyOff', type: 'AWS::ApiGateway::UsagePlanKey', physicalId: 'pk2', properties: { KeyId: 'key2', KeyType: 'API_KEY', UsagePlanId: 'plan1' } },
  ]), seededRandom(1), clock);
}

describe('usage plans', () => {
  it('throttles a key by the plan\'s per-method limits, refilling at the rate', () => {
    let nowMs = 0;
    const plan = keys({}, () => nowMs);
    expect(plan.check('secret-value-0000000000', 'api1', 'prod', '/items', 'POST').ok).toBe(true);
    const second = plan.check('secret-value-0000000000', 'api1', 'prod', '/items', 'POST');
    expect(second.ok === false && second.answer.status).toBe(429);
    expect(second.ok === false && JSON.parse(second.answer.body)).toEqual({ message: 'Too Many Requests' });
    // Another method of the stage has no limit of its own.
    expect(plan.check('secret-value-0000000000', 'api1', 'prod', '/items', 'GET').ok).toBe(true);
    nowMs += 1000;
    expect(plan.check('secret-value-0000000000', 'api1', 'prod', '/items', 'POST').ok).toBe(true);
  });

  it('counts a weekly quota from Monday, UTC, and starts again the next week', () => {
    // Sunday 2026-01-04 23:00 UTC, then Monday 2026-01-05 00:00 UTC.
    let nowMs = Date.UTC(2026, 0, 4, 23);
    const plan = keys({ Quota: { Limit: 1, Period: 'WEEK' } }, () => nowMs);
    expect(plan.check('secret-value-0000000000', 'api1', 'prod', '/', 'GET').ok).toBe(true);
    const over = plan.check('secret-value-0000000000', 'api1', 'prod', '/', 'GET');
    expect(over.ok === false && [over.answer.status, JSON.parse(over.answer.body)]).toEqual([429, { message: 'Limit Exceeded' }]);
    nowMs = Date.UTC(2026, 0, 5);
    expect(plan.check('secret-value-0000000000', 'api1', 'prod', '/', 'GET').ok).toBe(true);
  });

  it('refuses a disabled key and a key for another stage with 403 Forbidden', () => {
    const plan = keys({}, () => 0);
    for (const [key, stage] of [['disabled-value-00000000', 'prod'], ['secret-value-0000000000', 'dev']] as const) {
      const refused = plan.check(key, 'api1', stage, '/', 'GET');
      expect(refused.ok === false && [refused.answer.status, JSON.parse(refused.answer.body)]).toEqual([403, { message: 'Forbidden' }]);
    }
  });
});
