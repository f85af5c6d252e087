export { planLoad, LoadOptionError, DEFAULT_URL, DEFAULT_PATHS } from './options.ts';
export type { LoadFlags, LoadPlan } from './options.ts';
export { runLoad, GatewayUnreachableError } from './run-load.ts';
export type { LoadDependencies, LoadResult, RequestResult } from './run-load.ts';
export { summarize, formatSummary, percentile } from './summary.ts';
export type { LoadSummary } from './summary.ts';
export { terminalProgress, silentProgress } from '../progress.ts';
export type { Progress } from '../progress.ts';
