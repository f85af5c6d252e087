// `xray-tracer traces`: trace summaries matching a filter expression, from the X-Ray API.
export { planTraces } from './options.ts';
export type { TracesFlags, TracesPlan } from './options.ts';
export { readSummaries } from './query.ts';
export type { TracesResult } from './query.ts';
export { formatJson, formatTable } from './format.ts';
export { runTraces } from './run-traces.ts';
