/**
 * Sampling rules on the wire: CreateSamplingRule's `SamplingRule`, UpdateSamplingRule's
 * `SamplingRuleUpdate`, the RuleName/RuleARN pair, and the `SamplingRuleRecord` every answer holds.
 * Lengths and ranges are the X-Ray API model's.
 */
import { preview } from '../../common/preview.ts';
import type { SamplingRuleRecord as SamplingRuleRecordJson } from '../../common/xray-api/index.ts';
import { invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { DEFAULT_PRIORITY, RULE_VERSION } from '../sampling/default-rule.ts';
import {
  boundedString, fraction, MAX_INT, nestedObject, optionalBoundedString, optionalFraction, optionalObject, optionalStringMap,
  optionalWholeNumber, wholeNumber, type MapLimits,
} from '../sampling/fields.ts';
import type { NewSamplingRule, RuleRef, SamplingRuleChanges } from '../sampling/rules.ts';
import type { SamplingRateBoost, SamplingRuleRecord } from '../sampling/types.ts';

export const RULE_NAME_LIMITS = { min: 1, max: 32 } as const;
const PRIORITY = { min: 1, max: DEFAULT_PRIORITY - 1 } as const;
/** An update may repeat the Default rule's own priority; rules.ts keeps it Default's alone. */
const UPDATE_PRIORITY = { min: 1, max: DEFAULT_PRIORITY } as const;
const RESERVOIR = { min: 0, max: MAX_INT } as const;
/** The model's CooldownWindowMinutes: an Integer, at least 0. */
const COOLDOWN_WINDOW_MINUTES = { min: 0, max: MAX_INT } as const;
const ATTRIBUTES: MapLimits = { maxEntries: 5, key: { min: 1, max: 32 }, value: { min: 1, max: 32 } };
/** The match fields and their longest values. */
const MATCH_FIELDS = [
  ['ResourceARN', 'resourceArn', 500],
  ['ServiceName', 'serviceName', 64],
  ['ServiceType', 'serviceType', 64],
  ['Host', 'host', 64],
  ['HTTPMethod', 'httpMethod', 10],
  ['URLPath', 'urlPath', 128],
] as const;

export function ruleRecordJson(rule: SamplingRuleRecord): SamplingRuleRecordJson {
  return {
    SamplingRule: {
      RuleName: rule.name,
      RuleARN: rule.arn,
      ResourceARN: rule.resourceArn,
      Priority: rule.priority,
      FixedRate: rule.fixedRate,
      ReservoirSize: rule.reservoirSize,
      ServiceName: rule.serviceName,
      ServiceType: rule.serviceType,
      Host: rule.host,
      HTTPMethod: rule.httpMethod,
      URLPath: rule.urlPath,
      Version: rule.version,
      Attributes: { ...rule.attributes },
      ...(rule.samplingRateBoost === undefined ? {} : {
        SamplingRateBoost: { MaxRate: rule.samplingRateBoost.maxRate, CooldownWindowMinutes: rule.samplingRateBoost.cooldownWindowMinutes },
      }),
    },
    CreatedAt: rule.createdAt,
    ModifiedAt: rule.modifiedAt,
  };
}

/** RuleName and/or RuleARN, at the top of DeleteSamplingRule or inside a SamplingRuleUpdate. */
export function ruleRef(body: JsonObject, prefix = ''): RuleRef {
  return {
    name: optionalBoundedString(body, 'RuleName', prefix, RULE_NAME_LIMITS),
    arn: optionalBoundedString(body, 'RuleARN', prefix),
  };
}

/**
 * CreateSamplingRule's `SamplingRule`. A rule may be named by its ARN alone; `arnOf` gives the ARN a
 * name has, so that a RuleARN given with or instead of RuleName is the one the rule will get.
 */
export function newRuleFrom(body: JsonObject, arnOf: (name: string) => string): NewSamplingRule {
  const rule = nestedObject(body, 'SamplingRule');
  const prefix = 'SamplingRule.';
  const name = ruleName(ruleRef(rule, prefix), arnOf);
  const version = wholeNumber(rule, 'Version', prefix, { min: 1, max: MAX_INT });
  if (version !== RULE_VERSION) throw invalidRequest(`${prefix}Version must be ${RULE_VERSION}, got ${version}`);
  const match = Object.fromEntries(MATCH_FIELDS.map(([field, key, max]) => [key, boundedString(rule, field, prefix, { max })]));
  return {
    name,
    priority: wholeNumber(rule, 'Priority', prefix, PRIORITY),
    fixedRate: fraction(rule, 'FixedRate', prefix),
    reservoirSize: wholeNumber(rule, 'ReservoirSize', prefix, RESERVOIR),
    ...(match as Pick<NewSamplingRule, (typeof MATCH_FIELDS)[number][1]>),
    version,
    attributes: optionalStringMap(rule, 'Attributes', prefix, ATTRIBUTES) ?? {},
    samplingRateBoost: optionalBoost(rule, prefix),
  };
}

/** UpdateSamplingRule's `SamplingRuleUpdate`: which rule, and what changes. */
export function ruleUpdateFrom(body: JsonObject): { ref: RuleRef; changes: SamplingRuleChanges } {
  const update = nestedObject(body, 'SamplingRuleUpdate');
  const prefix = 'SamplingRuleUpdate.';
  const match = Object.fromEntries(MATCH_FIELDS.map(([field, key, max]) => [key, optionalBoundedString(update, field, prefix, { max })]));
  const changes: SamplingRuleChanges = {
    priority: optionalWholeNumber(update, 'Priority', prefix, UPDATE_PRIORITY),
    fixedRate: optionalFraction(update, 'FixedRate', prefix),
    reservoirSize: optionalWholeNumber(update, 'ReservoirSize', prefix, RESERVOIR),
    ...(match as SamplingRuleChanges),
    attributes: optionalStringMap(update, 'Attributes', prefix, ATTRIBUTES),
    samplingRateBoost: optionalBoost(update, prefix),
  };
  const ref = ruleRef(update, prefix);
  if (ref.name === undefined && ref.arn === undefined) throw invalidRequest(`${prefix}RuleName or ${prefix}RuleARN is required`);
  return { ref, changes };
}

function ruleName(ref: RuleRef, arnOf: (name: string) => string): string {
  if (ref.name !== undefined) {
    if (ref.arn !== undefined && ref.arn !== arnOf(ref.name)) {
      throw invalidRequest(`SamplingRule.RuleARN ${preview(ref.arn, 160)} is not the ARN of a rule named ${preview(ref.name, 100)}: ${arnOf(ref.name)}`);
    }
    return ref.name;
  }
  if (ref.arn === undefined) throw invalidRequest('SamplingRule.RuleName is required');
  const prefix = arnOf('');
  const name = ref.arn.startsWith(prefix) ? ref.arn.slice(prefix.length) : '';
  if (name.length < RULE_NAME_LIMITS.min || name.length > RULE_NAME_LIMITS.max) {
    throw invalidRequest(`SamplingRule.RuleARN ${preview(ref.arn, 160)} is not a sampling rule ARN of this account and region (${prefix}<name>)`);
  }
  return name;
}

/**
 * A rule's SamplingRateBoost, validated as the X-Ray model has it. Stored and returned; the boost
 * itself (a raised rate on anomalies) is not applied by this service.
 */
function optionalBoost(body: JsonObject, prefix: string): SamplingRateBoost | undefined {
  const boost = optionalObject(body, 'SamplingRateBoost', prefix);
  if (boost === undefined) return undefined;
  const path = `${prefix}SamplingRateBoost.`;
  return {
    maxRate: fraction(boost, 'MaxRate', path),
    cooldownWindowMinutes: wholeNumber(boost, 'CooldownWindowMinutes', path, COOLDOWN_WINDOW_MINUTES),
  };
}
