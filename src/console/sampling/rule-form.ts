/**
 * The sampling rule form's fields as text, to and from the API's SamplingRule. Numbers are checked
 * here so the form can say which field is wrong before asking; everything else (limits, names,
 * priorities taken) is the service's to judge, and its message is shown as it comes.
 */
import type { SamplingRule } from '../api/types.ts';

export const DEFAULT_RULE = 'Default';

export interface RuleFields {
  readonly name: string;
  readonly priority: string;
  /** Percent, 0 to 100: people think of rates that way. */
  readonly ratePercent: string;
  readonly reservoir: string;
  readonly serviceName: string;
  readonly serviceType: string;
  readonly host: string;
  readonly method: string;
  readonly urlPath: string;
  readonly resourceArn: string;
  /** `key=value` pairs, one a line. */
  readonly attributes: string;
}

export const EMPTY_FIELDS: RuleFields = {
  name: '', priority: '', ratePercent: '5', reservoir: '1', serviceName: '*', serviceType: '*', host: '*', method: '*', urlPath: '*', resourceArn: '*', attributes: '',
};

export function fieldsOf(rule: SamplingRule): RuleFields {
  return {
    name: rule.RuleName ?? '',
    priority: String(rule.Priority),
    ratePercent: formatPercent(rule.FixedRate),
    reservoir: String(rule.ReservoirSize),
    serviceName: rule.ServiceName,
    serviceType: rule.ServiceType,
    host: rule.Host,
    method: rule.HTTPMethod,
    urlPath: rule.URLPath,
    resourceArn: rule.ResourceARN,
    attributes: Object.entries(rule.Attributes ?? {}).map(([key, value]) => `${key}=${value}`).join('\n'),
  };
}

/** 0.05 -> "5", 0.125 -> "12.5": no float noise. */
export function formatPercent(rate: number): string {
  return String(Math.round(rate * 100 * 1e6) / 1e6);
}

export type RuleFormResult =
  | { readonly ok: true; readonly rule: SamplingRule }
  | { readonly ok: false; readonly field: keyof RuleFields; readonly message: string };

function failure(field: keyof RuleFields, message: string): RuleFormResult {
  return { ok: false, field, message };
}

export function ruleOf(fields: RuleFields): RuleFormResult {
  const name = fields.name.trim();
  if (name === '') return failure('name', 'A rule needs a name.');
  const priority = Number(fields.priority);
  if (fields.priority.trim() === '' || !Number.isInteger(priority)) return failure('priority', 'Priority is a whole number; lower ones are matched first.');
  const percent = Number(fields.ratePercent);
  if (fields.ratePercent.trim() === '' || !(percent >= 0 && percent <= 100)) return failure('ratePercent', 'The rate is a percentage from 0 to 100.');
  const reservoir = Number(fields.reservoir);
  if (fields.reservoir.trim() === '' || !Number.isInteger(reservoir) || reservoir < 0) return failure('reservoir', 'The reservoir is a whole number of requests a second, 0 or more.');
  const attributes: Record<string, string> = {};
  for (const [index, line] of fields.attributes.split('\n').entries()) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    if (at <= 0) return failure('attributes', `Attribute line ${index + 1} is not key=value.`);
    attributes[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return {
    ok: true,
    rule: {
      RuleName: name,
      Priority: priority,
      FixedRate: Math.round(percent * 1e4) / 1e6,
      ReservoirSize: reservoir,
      ServiceName: orWildcard(fields.serviceName),
      ServiceType: orWildcard(fields.serviceType),
      Host: orWildcard(fields.host),
      HTTPMethod: orWildcard(fields.method),
      URLPath: orWildcard(fields.urlPath),
      ResourceARN: orWildcard(fields.resourceArn),
      Version: 1,
      ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    },
  };
}

function orWildcard(text: string): string {
  return text.trim() === '' ? '*' : text.trim();
}

/** What a rule matches, in one line: only the fields that are not `*`. */
export function matchText(rule: SamplingRule): string {
  const parts = [
    ['service', rule.ServiceName], ['type', rule.ServiceType], ['host', rule.Host], ['method', rule.HTTPMethod], ['path', rule.URLPath], ['resource', rule.ResourceARN],
  ].filter(([, value]) => value !== '*').map(([label, value]) => `${label} ${value}`);
  const attributes = Object.entries(rule.Attributes ?? {}).map(([key, value]) => `${key}=${value}`);
  const all = [...parts, ...attributes];
  return all.length === 0 ? 'every request' : all.join(', ');
}

/**
 * Rules in the order they are matched: priority, then name by UTF-16 code unit, as the service and
 * the SDKs compare (not localeCompare: `B` before `a`, `rule-b` before `rule_a`).
 */
export function byPriority<T extends { readonly SamplingRule?: SamplingRule }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => {
    const priority = (a.SamplingRule?.Priority ?? 0) - (b.SamplingRule?.Priority ?? 0);
    if (priority !== 0) return priority;
    const nameA = a.SamplingRule?.RuleName ?? '';
    const nameB = b.SamplingRule?.RuleName ?? '';
    return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
  });
}
