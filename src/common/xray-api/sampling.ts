/** The sampling rule and statistics operations in the X-Ray API's JSON shape (AWS's names; times in epoch seconds). */

/** A centralized sampling rule, as GetSamplingRules answers and CreateSamplingRule takes it. */
export interface SamplingRule {
  readonly RuleName?: string;
  readonly RuleARN?: string;
  readonly ResourceARN: string;
  readonly Priority: number;
  readonly FixedRate: number;
  readonly ReservoirSize: number;
  readonly ServiceName: string;
  readonly ServiceType: string;
  readonly Host: string;
  readonly HTTPMethod: string;
  readonly URLPath: string;
  readonly Version: number;
  readonly Attributes?: Readonly<Record<string, string>>;
  readonly SamplingRateBoost?: SamplingRateBoost;
}

/** A temporary raise of the rule's rate on anomalies, at most once per cooldown window. */
export interface SamplingRateBoost {
  readonly MaxRate: number;
  readonly CooldownWindowMinutes: number;
}

export interface SamplingRuleRecord {
  readonly SamplingRule?: SamplingRule;
  readonly CreatedAt?: number;
  readonly ModifiedAt?: number;
}

export interface GetSamplingRulesRequest {
  readonly NextToken?: string;
}

export interface GetSamplingRulesResult {
  readonly SamplingRuleRecords?: readonly SamplingRuleRecord[];
  readonly NextToken?: string;
}

/** Requests the SDKs and API Gateway saw for a rule in the current reporting window. */
export interface SamplingStatisticSummary {
  readonly RuleName?: string;
  /** The start of the window. */
  readonly Timestamp?: number;
  readonly RequestCount?: number;
  readonly BorrowCount?: number;
  readonly SampledCount?: number;
}

export interface GetSamplingStatisticSummariesRequest {
  readonly NextToken?: string;
}

export interface GetSamplingStatisticSummariesResult {
  readonly SamplingStatisticSummaries?: readonly SamplingStatisticSummary[];
  readonly NextToken?: string;
}

/** What GetSamplingTargets assigns an SDK for one rule. */
export interface SamplingTargetDocument {
  readonly RuleName?: string;
  readonly FixedRate?: number;
  readonly ReservoirQuota?: number;
  /** When the quota expires. */
  readonly ReservoirQuotaTTL?: number;
  /** Seconds until the SDK should report again. */
  readonly Interval?: number;
}

export interface UnprocessedStatistics {
  readonly RuleName?: string;
  readonly ErrorCode?: string;
  readonly Message?: string;
}

export interface GetSamplingTargetsResult {
  readonly SamplingTargetDocuments?: readonly SamplingTargetDocument[];
  /** When the rules last changed: the SDK fetches them again when this is newer than its copy. */
  readonly LastRuleModification?: number;
  readonly UnprocessedStatistics?: readonly UnprocessedStatistics[];
}

/** What CreateSamplingRule, UpdateSamplingRule and DeleteSamplingRule answer. */
export interface CreateSamplingRuleResult {
  readonly SamplingRuleRecord?: SamplingRuleRecord;
}

export type UpdateSamplingRuleResult = CreateSamplingRuleResult;
export type DeleteSamplingRuleResult = CreateSamplingRuleResult;
