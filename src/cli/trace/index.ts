// `xray-tracer trace <id>`: one trace as a text waterfall, from the X-Ray API.
export { BAR_WIDTH, duration, formatJson, formatTrace } from './format.ts';
export { DEFAULT_LOG_FILE, runTrace } from './run-trace.ts';
export { traceLogLines } from './function-logs.ts';
export type { TraceFlags } from './run-trace.ts';
export { waterfall } from './waterfall.ts';
export type { SegmentDocument, Waterfall, WaterfallRow } from './waterfall.ts';
