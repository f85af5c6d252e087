// Centralized sampling rules: where they are kept.
export { MemorySamplingRuleStorage } from './memory-rules.ts';
export { SqliteSamplingRuleStorage } from './sqlite-rules.ts';
export { DuplicateSamplingRuleError } from './types.ts';
export type { SamplingRuleRecord, SamplingRuleStorage } from './types.ts';
