/** Sampling rules in memory: the same contract as `SqliteSamplingRuleStorage`, for tests. Nothing survives the process. */
import { DuplicateSamplingRuleError, type SamplingRuleRecord, type SamplingRuleStorage } from './types.ts';

export class MemorySamplingRuleStorage implements SamplingRuleStorage {
  private readonly rules = new Map<string, SamplingRuleRecord>();

  list(): SamplingRuleRecord[] {
    return [...this.rules.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): SamplingRuleRecord | undefined {
    return this.rules.get(name);
  }

  insert(rule: SamplingRuleRecord): void {
    if (this.rules.has(rule.name)) throw new DuplicateSamplingRuleError(`a sampling rule named ${JSON.stringify(rule.name)} already exists`);
    if ([...this.rules.values()].some((r) => r.arn === rule.arn)) throw new DuplicateSamplingRuleError(`a sampling rule with ARN ${rule.arn} already exists`);
    this.rules.set(rule.name, copy(rule));
  }

  replace(rule: SamplingRuleRecord): boolean {
    if (!this.rules.has(rule.name)) return false;
    this.rules.set(rule.name, copy(rule));
    return true;
  }

  delete(name: string): boolean {
    return this.rules.delete(name);
  }

  close(): void {
    this.rules.clear();
  }
}

/** A caller keeping its object must not change what is stored. */
function copy(rule: SamplingRuleRecord): SamplingRuleRecord {
  const { samplingRateBoost: boost, ...rest } = rule;
  return { ...rest, attributes: { ...rule.attributes }, ...(boost === undefined ? {} : { samplingRateBoost: { ...boost } }) };
}
