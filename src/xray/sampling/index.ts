// Centralized sampling rules: the rules, where they are kept, the SDKs' statistics and targets (the routes are in ../api).
export { DEFAULT_RULE_NAME, validateSamplingSettings } from './default-rule.ts';
export type { SamplingSettings } from './default-rule.ts';
export { MemorySamplingRuleStorage } from './memory-rules.ts';
export { MAX_RULES, SamplingRuleLimitError, SamplingRuleRequestError, SamplingRules } from './rules.ts';
export type { NewSamplingRule, RuleRef, SamplingRuleChanges, SamplingRulesOptions } from './rules.ts';
export { SqliteSamplingRuleStorage } from './sqlite-rules.ts';
export { SamplingStatistics } from './statistics.ts';
export type { SamplingTarget, StatisticsReport, StatisticSummary } from './statistics.ts';
export { DuplicateSamplingRuleError } from './types.ts';
export type { Sampling, SamplingRuleRecord, SamplingRuleStorage } from './types.ts';
