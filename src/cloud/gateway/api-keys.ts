import type { CloudModel } from '../core/types.ts';
import type { Throttling } from './api-model.ts';
import type { GatewayAnswer } from './gateway-responses.ts';
import * as answers from './gateway-responses.ts';
import { Throttle } from './throttle.ts';

/**
 * API keys and usage plans as API Gateway enforces them on methods with ApiKeyRequired: the key
 * (`x-api-key`, or the authorizer's usageIdentifierKey when the API's ApiKeySourceType is
 * AUTHORIZER) must be an enabled `AWS::ApiGateway::ApiKey` (its Value, or one generated as AWS
 * does) in a usage plan (`AWS::ApiGateway::UsagePlanKey`) whose ApiStages include the API's stage;
 * else `403 {"message":"Forbidden"}` (a key's StageKeys, which CDK writes, admit nothing without a plan, as on AWS). The plan's Throttle (and an ApiStages entry's per-method
 * Throttle, `/path/VERB`) is a token bucket per key -> `429 {"message":"Too Many Requests"}`; its
 * Quota counts requests per key per UTC day, week or month -> `429 {"message":"Limit Exceeded"}`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */

export interface ApiKey {
  readonly id: string;
  readonly logicalId: string;
  readonly value: string;
  readonly enabled: boolean;
  /** Whether the value was generated here (AWS generates one when the template gives none). */
  readonly generated: boolean;
}

interface UsagePlan {
  readonly id: string;
  readonly logicalId: string;
  readonly stages: ReadonlyArray<{ readonly apiId: string; readonly stage: string; readonly methodThrottles: ReadonlyMap<string, Throttling> }>;
  readonly throttle: Throttling | undefined;
  readonly quota: { readonly limit: number; readonly period: 'DAY' | 'WEEK' | 'MONTH' } | undefined;
  readonly keyIds: Set<string>;
}

export type KeyCheck = { readonly ok: true; readonly key: ApiKey } | { readonly ok: false; readonly answer: GatewayAnswer; readonly reason: string };

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class ApiKeys {
  readonly keys: ReadonlyArray<ApiKey>;
  readonly warnings: ReadonlyArray<string>;
  private readonly plans: ReadonlyArray<UsagePlan>;
  private readonly throttle: Throttle;
  private readonly used = new Map<string, { period: string; count: number }>();

  constructor(model: CloudModel, random: () => number, private readonly clock: () => number) {
    const warnings: string[] = [];
    this.keys = model.byType('AWS::ApiGateway::ApiKey').map((resource) => {
      const given = resource.properties.Value;
      const value = typeof given === 'string' && given !== '' ? given : Array.from({ length: 40 }, () => KEY_ALPHABET[Math.floor(random() * KEY_ALPHABET.length)] ?? 'A').join('');
      const enabled = resource.properties.Enabled;
      return { id: resource.physicalId, logicalId: resource.logicalId, value, enabled: enabled !== false && enabled !== 'false', generated: typeof given !== 'string' || given === '' };
    });
    this.plans = model.byType('AWS::ApiGateway::UsagePlan').map((resource) => {
      const p = resource.properties;
      const quota = record(p.Quota);
      const period = String(quota?.Period ?? '').toUpperCase();
      if (quota?.Offset !== undefined && Number(quota.Offset) !== 0) warnings.push(`${resource.stack}/${resource.logicalId}: Quota.Offset is not read; quotas reset at the start of the UTC ${period.toLowerCase() || 'period'}`);
      return {
        id: resource.physicalId,
        logicalId: resource.logicalId,
        stages: (Array.isArray(p.ApiStages) ? p.ApiStages : []).flatMap((entry) => {
          const stage = record(entry);
          if (stage === undefined) return [];
          const methodThrottles = new Map<string, Throttling>();
          for (const [path, limits] of Object.entries(record(stage.Throttle) ?? {})) {
            const parsed = throttling(limits);
            if (parsed !== undefined) methodThrottles.set(path, parsed);
          }
          return [{ apiId: String(stage.ApiId ?? ''), stage: String(stage.Stage ?? ''), methodThrottles }];
        }),
        throttle: throttling(p.Throttle),
        quota: quota !== undefined && Number.isFinite(Number(quota.Limit)) && (period === 'DAY' || period === 'WEEK' || period === 'MONTH')
          ? { limit: Number(quota.Limit), period }
          : undefined,
        keyIds: new Set<string>(),
      };
    });
    for (const resource of model.byType('AWS::ApiGateway::UsagePlanKey')) {
      const plan = this.plans.find((candidate) => candidate.id === resource.properties.UsagePlanId);
      if (plan === undefined) warnings.push(`${resource.stack}/${resource.logicalId}: UsagePlanId ${String(resource.properties.UsagePlanId)} names no usage plan of the templates`);
      else plan.keyIds.add(String(resource.properties.KeyId ?? ''));
    }
    this.warnings = warnings;
    this.throttle = new Throttle(clock);
  }

  /** Checks a request to a method with ApiKeyRequired, and counts it against the key's plan. */
  check(value: string | undefined, apiId: string, stage: string, resourcePath: string, httpMethod: string): KeyCheck {
    const forbidden = (reason: string): KeyCheck => ({ ok: false, answer: answers.forbidden(), reason });
    if (value === undefined || value === '') return forbidden('no API key in the request');
    const key = this.keys.find((candidate) => candidate.value === value);
    if (key === undefined) return forbidden('the API key is not a key of the templates');
    if (!key.enabled) return forbidden(`API key ${key.logicalId} is disabled`);
    for (const plan of this.plans) {
      if (!plan.keyIds.has(key.id)) continue;
      const stageEntry = plan.stages.find((entry) => entry.apiId === apiId && entry.stage === stage);
      if (stageEntry === undefined) continue;
      const bucket = `${plan.id}/${key.id}`;
      const methodLimits = stageEntry.methodThrottles.get(`${resourcePath}/${httpMethod}`);
      if (methodLimits !== undefined && !this.throttle.admit(`${bucket} ${resourcePath}/${httpMethod}`, methodLimits)) {
        return { ok: false, answer: answers.throttled(), reason: `usage plan ${plan.logicalId} throttles ${resourcePath}/${httpMethod} for key ${key.logicalId}` };
      }
      if (plan.throttle !== undefined && !this.throttle.admit(bucket, plan.throttle)) {
        return { ok: false, answer: answers.throttled(), reason: `usage plan ${plan.logicalId} throttles key ${key.logicalId}` };
      }
      if (plan.quota !== undefined) {
        const period = periodOf(this.clock(), plan.quota.period);
        const used = this.used.get(bucket);
        const count = used?.period === period ? used.count : 0;
        if (count >= plan.quota.limit) return { ok: false, answer: answers.quotaExceeded(), reason: `key ${key.logicalId} used its ${plan.quota.limit} requests of usage plan ${plan.logicalId} for this ${plan.quota.period.toLowerCase()}` };
        this.used.set(bucket, { period, count: count + 1 });
      }
      return { ok: true, key };
    }
    return forbidden(`API key ${key.logicalId} is in no usage plan of this API stage`);
  }
}

/** The quota period a time falls in: the UTC day, the week (from Monday, UTC), the UTC month. */
function periodOf(nowMs: number, period: 'DAY' | 'WEEK' | 'MONTH'): string {
  const date = new Date(nowMs);
  if (period === 'MONTH') return `${date.getUTCFullYear()}-${date.getUTCMonth()}`;
  const day = Math.floor(nowMs / 86_400_000);
  // 1970-01-01 was a Thursday: shift so that weeks start on Monday.
  return period === 'DAY' ? `d${day}` : `w${Math.floor((day + 3) / 7)}`;
}

function throttling(value: unknown): Throttling | undefined {
  const limits = record(value);
  if (limits === undefined) return undefined;
  const rate = Number(limits.RateLimit);
  const burst = Number(limits.BurstLimit);
  if (!Number.isFinite(rate) && !Number.isFinite(burst)) return undefined;
  return { rateLimit: Number.isFinite(rate) ? rate : Number.MAX_SAFE_INTEGER, burstLimit: Number.isFinite(burst) ? burst : Math.max(1, Math.ceil(rate)) };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
