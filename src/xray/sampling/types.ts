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
  /** Epoch seconds, fractions kept. */
  readonly createdAt: number;
  readonly modifiedAt: number;
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
