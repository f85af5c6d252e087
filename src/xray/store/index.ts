export { MemoryTraceStore } from './memory-store.ts';
export { SqliteTraceStore } from './sqlite-store.ts';
export { InvalidQueryError } from './query.ts';
export type {
  GraphReader,
  GraphWindow,
  SegmentRecord,
  StoredTrace,
  SummaryPage,
  SummaryQuery,
  TimeRangeType,
  TraceReader,
  TraceStore,
  TraceWriter,
} from './types.ts';
