export { assembleTrace } from './assemble.ts';
export { computeTrace, finishSummary, MAX_ANNOTATION_KEYS } from './summary.ts';
export type { ComputedTrace, StoredSummaryJson, TraceIndex, TraceSummaryJson } from './summary.ts';
export { inferredService, segmentService, toServiceIdJson } from './services.ts';
export type { ServiceIdJson, ServiceRef } from './services.ts';
export { matchTimeRange } from './time-range.ts';
export type { TimeRange } from './time-range.ts';
export { buildTree, parseRecords, traceIdEpoch } from './tree.ts';
export type { ParsedRecord, TraceTree } from './tree.ts';
