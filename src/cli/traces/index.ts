// `xray-tracer traces`: trace summaries matching a filter expression, from the X-Ray API.
export { DEFAULT_ENDPOINT, parseSince, planTraces, TracesOptionError } from './options.ts';
export type { TracesFlags, TracesPlan } from './options.ts';
export { readSummaries, ServiceUnreachableError, tracesClient, TracesRequestError } from './query.ts';
export type { TracesResult } from './query.ts';
export { formatJson, formatTable } from './format.ts';
export { runTraces } from './run-traces.ts';
export type { TracesOutput } from './run-traces.ts';
