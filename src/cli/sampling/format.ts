/** How `xray-tracer sampling` prints rules and what it changed. */
import type { SamplingRule, SamplingRuleRecord } from '@aws-sdk/client-xray';
import { alignedTable, printable } from '../xray-api/index.ts';

/** The fields that narrow which requests a rule takes, by a short name, when they are no wildcard. */
function matches(rule: SamplingRule | undefined): string {
  if (rule === undefined) return '?';
  const fields: Array<[string, string | undefined]> = [
    ['service', rule.ServiceName], ['type', rule.ServiceType], ['host', rule.Host], ['method', rule.HTTPMethod],
    ['path', rule.URLPath], ['resource', rule.ResourceARN],
  ];
  const narrowing = fields.filter(([, value]) => value !== undefined && value !== '*').map(([key, value]) => `${key}=${value}`);
  const attributes = Object.entries(rule.Attributes ?? {}).map(([key, value]) => `${key}=${value}`);
  const all = [...narrowing, ...attributes.map((a) => `attribute ${a}`)];
  return all.length === 0 ? '(every request)' : all.join(' ');
}

/** A rule's requests and traced requests (sampled plus borrowed) in the latest reporting window. */
export interface RuleCounts {
  readonly requests: number;
  readonly traced: number;
}

/**
 * In the service's order: the order the SDKs try the rules, Default last; with what the SDKs and API
 * Gateway last reported for each (a rule nobody reported lately shows 0).
 */
export function formatRules(records: readonly SamplingRuleRecord[], counts: ReadonlyMap<string, RuleCounts> = new Map()): string[] {
  const table = alignedTable(
    [
      { title: 'rule' }, { title: 'priority', align: 'right' }, { title: 'rate', align: 'right' }, { title: 'reservoir', align: 'right' },
      { title: 'requests', align: 'right' }, { title: 'traced', align: 'right' }, { title: 'matches' },
    ],
    records.map(({ SamplingRule: rule }) => {
      const seen = counts.get(rule?.RuleName ?? '');
      return [
        rule?.RuleName ?? '?', String(rule?.Priority ?? '?'), String(rule?.FixedRate ?? '?'), `${rule?.ReservoirSize ?? '?'}/s`,
        String(seen?.requests ?? 0), String(seen?.traced ?? 0), matches(rule),
      ];
    }),
  );
  return [...table, `${records.length} rule${records.length === 1 ? '' : 's'}; requests and traced: the latest 10-second report`];
}

/** `created` or `updated`: the rule as the service now holds it. */
export function formatChanged(verb: 'created' | 'updated', record: SamplingRuleRecord | undefined): string[] {
  const rule = record?.SamplingRule;
  return [
    `${verb} sampling rule ${printable(JSON.stringify(rule?.RuleName ?? '?'))}`,
    `  priority  ${rule?.Priority ?? '?'}`,
    `  rate      ${rule?.FixedRate ?? '?'} after a reservoir of ${rule?.ReservoirSize ?? '?'}/s`,
    `  matches   ${printable(matches(rule))}`,
    `  arn       ${printable(rule?.RuleARN ?? '-')}`,
  ];
}

export function formatDeleted(name: string): string[] {
  return [`deleted sampling rule ${printable(JSON.stringify(name))}`];
}
