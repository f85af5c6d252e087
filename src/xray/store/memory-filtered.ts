/**
 * GetTraceSummaries with a filter expression, for the in-memory store: every candidate in the
 * time range is checked against the whole filter, newest first, until the page is full. Pages and
 * TracesProcessedCount follow the same rules as the SQLite store's (sqlite-filtered.ts): a page
 * counts the traces in the range from its cursor to where it stopped.
 */
import type { GraphDocument } from '../model/graph-document.ts';
import { evaluate, type Expression } from '../query/index.ts';
import { finishSummary, type StoredSummary, type TraceSummary } from '../traces/summary.ts';
import { encodeCursor, type PageCursor } from './query.ts';
import { traceView } from './trace-view.ts';
import type { SummaryPage, SummaryQuery } from './types.ts';

/** A trace in the time range, after the cursor. */
export interface Candidate {
  readonly idEpoch: number;
  readonly seq: number;
  readonly summary: StoredSummary;
  readonly revision: number;
  readonly matched: number;
  readonly documents: () => readonly GraphDocument[];
}

/** `candidates` in page order (newest first); `filter` with its group tests resolved. */
export function filteredPage(candidates: readonly Candidate[], query: SummaryQuery, cursor: PageCursor, filter: Expression): SummaryPage {
  const summaries: TraceSummary[] = [];
  let processed = 0;
  let stop: Candidate | undefined;
  for (const candidate of candidates) {
    if (summaries.length === query.limit) {
      stop = candidates[processed - 1];
      break;
    }
    processed++;
    if (evaluate(filter, traceView({ summary: candidate.summary, documents: candidate.documents }))) {
      summaries.push(finishSummary(candidate.summary, candidate.revision, candidate.matched));
    }
  }
  return {
    summaries,
    nextCursor: stop === undefined ? undefined : encodeCursor(query, { ...cursor, idEpoch: stop.idEpoch, seq: stop.seq }),
    approximateTime: cursor.approximateTime,
    tracesProcessedCount: processed,
  };
}
