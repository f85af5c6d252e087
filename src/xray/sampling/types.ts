/**
 * The storage contract of sampling rules. `SamplingRules` (rules.ts) holds the rules (the reserved
 * Default rule, the limit, ARNs, clocks) and keeps its records through this interface;
 * `SqliteSamplingRuleStorage` and `MemorySamplingRuleStorage` implement it and one conformance
 * suite runs against both.
 */
import type { SamplingRules } from './rules.ts';
import type { SamplingStatistics } from './statistics.ts';

/** A rule as stored. The Default rule is stored only once its FixedRate or ReservoirSize changes. */
export interface SamplingRuleRecord {
  /** Case-sensitive and unique. */
  readonly name: string;
  readonly arn: string;
  readonly resourceArn: string;
  readonly priority: number;
  readonly fixedRate: number;
  readonly reservoirSize: number;
  readonly serviceName: string;
  readonly serviceType: string;
  readonly host: string;
  readonly httpMethod: string;
  readonly urlPath: string;
  readonly version: number;
  readonly attributes: Readonly<Record<string, string>>;
  /** Stored and returned as AWS does; not applied here (no anomaly detection). Absent when the rule has none. */
  readonly samplingRateBoost?: SamplingRateBoost | undefined;
  /** Epoch seconds, fractions kept. */
  readonly createdAt: number;
  readonly modifiedAt: number;
}

/** AWS's temporary raise of a rule's rate on anomalies, at most once per cooldown window. */
export interface SamplingRateBoost {
  /** 0 to 1: the highest rate a boost may reach. */
  readonly maxRate: number;
  readonly cooldownWindowMinutes: number;
}

export interface SamplingRuleStorage {
  /** Every stored rule, ordered by name (code unit order). */
  list(): SamplingRuleRecord[];
  /** Undefined when there is none of that name. */
  get(name: string): SamplingRuleRecord | undefined;
  /** Adds a rule; throws `DuplicateSamplingRuleError` when the name or the ARN is taken. Durable when it returns. */
  insert(rule: SamplingRuleRecord): void;
  /** Replaces the rule of that name; returns false (and changes nothing) when there is none. */
  replace(rule: SamplingRuleRecord): boolean;
  /** Returns false when there was none of that name. */
  delete(name: string): boolean;
  close(): void;
}

export class DuplicateSamplingRuleError extends Error {
  override readonly name = 'DuplicateSamplingRuleError';
}

/** What the sampling routes and the daemon's TCP side answer from. */
export interface Sampling {
  readonly rules: SamplingRules;
  readonly statistics: SamplingStatistics;
  /**
   * Rules (and summaries) per page. The SDKs read only the first page of GetSamplingRules, so
   * this is more than there can be rules unless a test wants pages.
   */
  readonly pageSize: number;
}
