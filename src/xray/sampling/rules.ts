/**
 * Centralized sampling rules: what CreateSamplingRule, UpdateSamplingRule, DeleteSamplingRule and
 * GetSamplingRules work on, and what the SDKs apply.
 *
 * Rules, as the X-Ray API reference states them (where it is silent, what we chose):
 * - Names are case-sensitive and unique; the ARN is `arn:aws:xray:<region>:<account>:sampling-rule/<name>`.
 * - `Default` is reserved: it always exists and cannot be created or deleted; only its FixedRate
 *   and ReservoirSize change (a request repeating one of its other values is not a change).
 * - At most 25 rules besides Default (AWS's quota of rules one creates in a Region).
 * - A rule is named by RuleName, RuleARN or both (then they must agree).
 * Field values (lengths, ranges) are checked where requests are read (../api/sampling-rule-json.ts).
 */
import { DEFAULT_PRIORITY, DEFAULT_RULE_NAME, defaultRule, type SamplingSettings, validateSamplingSettings } from './default-rule.ts';
import { DuplicateSamplingRuleError, type SamplingRuleRecord, type SamplingRuleStorage } from './types.ts';

export const MAX_RULES = 25;

/** A request that cannot be carried out; the API answers InvalidRequestException. */
export class SamplingRuleRequestError extends Error {
  override readonly name = 'SamplingRuleRequestError';
}

/** Creating one more rule would pass MAX_RULES; the API answers RuleLimitExceededException. */
export class SamplingRuleLimitError extends Error {
  override readonly name = 'SamplingRuleLimitError';
}

export interface RuleRef {
  readonly name?: string | undefined;
  readonly arn?: string | undefined;
}

/** A new rule: everything but what the service assigns. */
export type NewSamplingRule = Omit<SamplingRuleRecord, 'arn' | 'createdAt' | 'modifiedAt'>;

/** What UpdateSamplingRule can change; what is undefined stays. */
export type SamplingRuleChanges = Partial<Omit<NewSamplingRule, 'name' | 'version'>>;

/** The API's name of each changeable field, for messages. */
const FIELD_NAMES: Readonly<Record<keyof SamplingRuleChanges, string>> = {
  resourceArn: 'ResourceARN',
  priority: 'Priority',
  fixedRate: 'FixedRate',
  reservoirSize: 'ReservoirSize',
  serviceName: 'ServiceName',
  serviceType: 'ServiceType',
  host: 'Host',
  httpMethod: 'HTTPMethod',
  urlPath: 'URLPath',
  attributes: 'Attributes',
  samplingRateBoost: 'SamplingRateBoost',
};
const DEFAULT_CHANGEABLE: ReadonlySet<keyof SamplingRuleChanges> = new Set(['fixedRate', 'reservoirSize', 'samplingRateBoost']);

export interface SamplingRulesOptions {
  readonly storage: SamplingRuleStorage;
  /** Default's FixedRate and ReservoirSize until UpdateSamplingRule changes them (then the stored ones hold). */
  readonly defaults: SamplingSettings;
  /** @default 'us-east-1' */
  readonly region?: string | undefined;
  /** @default '000000000000' */
  readonly accountId?: string | undefined;
  /** Epoch seconds, fractions kept. */
  readonly nowSeconds: () => number;
}

export class SamplingRules {
  private readonly storage: SamplingRuleStorage;
  private readonly defaults: SamplingSettings;
  private readonly arnPrefix: string;
  private readonly nowSeconds: () => number;
  /**
   * An unchanged Default dates from the start, and LastRuleModification is never earlier: an SDK that
   * loaded its rules before a restart loads them again, whatever happened to the data meanwhile.
   */
  private readonly startedAt: number;
  private lastDeletion = 0;

  constructor(options: SamplingRulesOptions) {
    this.storage = options.storage;
    this.defaults = validateSamplingSettings(options.defaults);
    this.arnPrefix = `arn:aws:xray:${options.region ?? 'us-east-1'}:${options.accountId ?? '000000000000'}:sampling-rule/`;
    this.nowSeconds = options.nowSeconds;
    this.startedAt = options.nowSeconds();
  }

  /** Every rule in the order the SDKs try them: by Priority, then by name; Default (10000) last. */
  list(): SamplingRuleRecord[] {
    const stored = this.storage.list();
    const others = stored.filter((r) => r.name !== DEFAULT_RULE_NAME);
    others.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return [...others, this.defaultRule(stored.find((r) => r.name === DEFAULT_RULE_NAME))];
  }

  /** The rule of that name, if any. */
  find(name: string): SamplingRuleRecord | undefined {
    const stored = this.storage.get(name);
    return name === DEFAULT_RULE_NAME ? this.defaultRule(stored) : stored;
  }

  get(ref: RuleRef): SamplingRuleRecord {
    if (ref.name === undefined && ref.arn === undefined) throw new SamplingRuleRequestError('RuleName or RuleARN is required');
    const byName = ref.name === undefined ? undefined : this.find(ref.name);
    const byArn = ref.arn === undefined ? undefined : this.list().find((r) => r.arn === ref.arn);
    if (ref.name !== undefined && byName === undefined) throw new SamplingRuleRequestError(`there is no sampling rule named ${JSON.stringify(ref.name)}`);
    if (ref.arn !== undefined && byArn === undefined) throw new SamplingRuleRequestError(`there is no sampling rule with RuleARN ${JSON.stringify(ref.arn)}`);
    if (byName !== undefined && byArn !== undefined && byName.name !== byArn.name) {
      throw new SamplingRuleRequestError(`RuleName ${JSON.stringify(ref.name)} and RuleARN ${JSON.stringify(ref.arn)} name different sampling rules`);
    }
    return (byName ?? byArn)!;
  }

  /** The ARN a rule of that name has (or would have). */
  arnOf(name: string): string {
    return `${this.arnPrefix}${name}`;
  }

  create(rule: NewSamplingRule): SamplingRuleRecord {
    if (rule.name === DEFAULT_RULE_NAME) throw new SamplingRuleRequestError('RuleName "Default" is reserved: the Default rule always exists');
    if (this.storage.get(rule.name) !== undefined) throw new SamplingRuleRequestError(`a sampling rule named ${JSON.stringify(rule.name)} already exists`);
    const count = this.storage.list().filter((r) => r.name !== DEFAULT_RULE_NAME).length;
    if (count >= MAX_RULES) {
      throw new SamplingRuleLimitError(`there are already ${count} sampling rules besides Default, the most there can be; delete one first`);
    }
    const at = this.nowSeconds();
    const record: SamplingRuleRecord = { ...rule, attributes: { ...rule.attributes }, arn: this.arnOf(rule.name), createdAt: at, modifiedAt: at };
    try {
      this.storage.insert(record);
    } catch (error) {
      if (error instanceof DuplicateSamplingRuleError) throw new SamplingRuleRequestError(error.message);
      throw error;
    }
    return record;
  }

  /** Changes what `changes` names; the rest stays. */
  update(ref: RuleRef, changes: SamplingRuleChanges): SamplingRuleRecord {
    const current = this.get(ref);
    if (current.name === DEFAULT_RULE_NAME) checkDefaultChanges(current, changes);
    else if (changes.priority === DEFAULT_PRIORITY) throw new SamplingRuleRequestError(`Priority ${DEFAULT_PRIORITY} is the Default rule's: other rules take 1 to ${DEFAULT_PRIORITY - 1}`);
    const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as SamplingRuleChanges;
    const record: SamplingRuleRecord = { ...current, ...given, modifiedAt: this.nowSeconds() };
    if (!this.storage.replace(record)) {
      if (current.name !== DEFAULT_RULE_NAME) throw new SamplingRuleRequestError(`there is no sampling rule named ${JSON.stringify(current.name)}`);
      this.storage.insert(record);
    }
    return record;
  }

  /** Returns the rule as it was. */
  delete(ref: RuleRef): SamplingRuleRecord {
    const current = this.get(ref);
    if (current.name === DEFAULT_RULE_NAME) throw new SamplingRuleRequestError('the Default rule cannot be deleted');
    if (!this.storage.delete(current.name)) throw new SamplingRuleRequestError(`there is no sampling rule named ${JSON.stringify(current.name)}`);
    this.lastDeletion = this.nowSeconds();
    return current;
  }

  /** When the rules last changed (epoch seconds): SDKs that loaded them earlier load them again. */
  lastModification(): number {
    return Math.max(this.startedAt, this.lastDeletion, ...this.storage.list().map((r) => r.modifiedAt));
  }

  close(): void {
    this.storage.close();
  }

  private defaultRule(stored: SamplingRuleRecord | undefined): SamplingRuleRecord {
    return stored ?? defaultRule(this.arnOf(DEFAULT_RULE_NAME), this.defaults, this.startedAt);
  }
}

function checkDefaultChanges(current: SamplingRuleRecord, changes: SamplingRuleChanges): void {
  for (const [key, value] of Object.entries(changes) as Array<[keyof SamplingRuleChanges, unknown]>) {
    if (value === undefined || DEFAULT_CHANGEABLE.has(key) || sameValue(current[key], value)) continue;
    throw new SamplingRuleRequestError(`the Default rule's ${FIELD_NAMES[key]} cannot be changed: only its FixedRate, ReservoirSize and SamplingRateBoost can`);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
