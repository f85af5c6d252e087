// `xray-tracer sampling`: list, create, update and delete centralized sampling rules through the X-Ray API.
export { formatChanged, formatDeleted, formatRules } from './format.ts';
export type { RuleOptions } from './options.ts';
export { runSampling } from './run-sampling.ts';
export type { SamplingAction, SamplingFlags } from './run-sampling.ts';
