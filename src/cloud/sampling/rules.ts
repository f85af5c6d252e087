import { clipText, preview } from '../../common/preview.ts';
import type { SamplingRequest } from './sampler.ts';
import { wildcardMatch } from './wildcard.ts';
import { isRecord } from '../../common/is-record.ts';

/** A centralized sampling rule, as GetSamplingRules gives it (version 1 of the rule format). */
export interface SamplingRule {
  readonly name: string;
  readonly priority: number;
  readonly fixedRate: number;
  readonly reservoirSize: number;
  readonly serviceName: string;
  readonly serviceType: string;
  readonly host: string;
  readonly httpMethod: string;
  readonly urlPath: string;
  readonly resourceArn: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** X-Ray's reserved name for the rule that applies when no other rule does. */
export const DEFAULT_RULE_NAME = 'Default';

const MATCHED_FIELDS = ['ServiceName', 'ServiceType', 'Host', 'HTTPMethod', 'URLPath', 'ResourceARN'] as const;

/**
 * One `SamplingRuleRecord` of a GetSamplingRules answer as a rule, or why it cannot be used. Like the
 * SDKs, only version 1 rules are used: a later format may match on fields this code does not know.
 */
export function parseRuleRecord(record: unknown): SamplingRule | { readonly invalid: string } {
  const rule = isRecord(record) ? record['SamplingRule'] : undefined;
  if (!isRecord(rule)) return { invalid: 'a SamplingRuleRecord without a SamplingRule object' };
  const name = rule['RuleName'];
  if (typeof name !== 'string' || name === '') return { invalid: 'a sampling rule without a RuleName' };
  const problem = (what: string): { invalid: string } => ({ invalid: `sampling rule ${clipText(name, 100)}: ${what}` });
  if (rule['Version'] !== 1) return problem(`Version ${preview(rule['Version'], 40)} is not 1, the only rule format known here`);
  const { Priority: priority, FixedRate: fixedRate, ReservoirSize: reservoirSize } = rule;
  if (typeof priority !== 'number' || !Number.isFinite(priority)) return problem('Priority is not a number');
  if (typeof fixedRate !== 'number' || !(fixedRate >= 0 && fixedRate <= 1)) return problem('FixedRate is not a number from 0 to 1');
  if (typeof reservoirSize !== 'number' || !Number.isInteger(reservoirSize) || reservoirSize < 0) {
    return problem('ReservoirSize is not a whole number >= 0');
  }
  const missing = MATCHED_FIELDS.find((field) => typeof rule[field] !== 'string');
  if (missing !== undefined) return problem(`${missing} is not a string`);
  const text = (field: (typeof MATCHED_FIELDS)[number]): string => rule[field] as string;
  const attributes: Record<string, string> = {};
  const given = rule['Attributes'] ?? {};
  if (!isRecord(given)) return problem('Attributes is not an object');
  for (const [key, value] of Object.entries(given)) {
    if (typeof value !== 'string') return problem(`attribute ${key} is not a string`);
    attributes[key] = value;
  }
  return {
    name,
    priority,
    fixedRate,
    reservoirSize,
    serviceName: text('ServiceName'),
    serviceType: text('ServiceType'),
    host: text('Host'),
    httpMethod: text('HTTPMethod'),
    urlPath: text('URLPath'),
    resourceArn: text('ResourceARN'),
    attributes,
  };
}

function criterion(pattern: string, value: string | undefined): boolean {
  return value === undefined || wildcardMatch(pattern, value);
}

/**
 * Whether a rule applies to a request: every field's pattern matches, and every attribute the rule
 * names is on the request with a matching value (a rule without attributes ignores them). The
 * Default rule applies to every request.
 */
export function ruleMatches(rule: SamplingRule, request: SamplingRequest): boolean {
  if (rule.name === DEFAULT_RULE_NAME) return true;
  const attributesMatch = Object.entries(rule.attributes).every(([key, pattern]) => {
    const value = request.attributes?.[key];
    return value !== undefined && wildcardMatch(pattern, value);
  });
  return attributesMatch &&
    wildcardMatch(rule.serviceName, request.serviceName) &&
    wildcardMatch(rule.serviceType, request.serviceType) &&
    criterion(rule.host, request.host) &&
    criterion(rule.httpMethod, request.httpMethod) &&
    criterion(rule.urlPath, request.urlPath) &&
    criterion(rule.resourceArn, request.resourceArn);
}

/** The order rules are tried in: ascending Priority, then by name (names are unique). */
export function compareRules(a: Pick<SamplingRule, 'name' | 'priority'>, b: Pick<SamplingRule, 'name' | 'priority'>): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
