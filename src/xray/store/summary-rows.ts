import { unpackSummary } from '../traces/packed-summary.ts';
import { finishSummary, type TraceSummary } from '../traces/summary.ts';
import type { SkipRow } from './sqlite-graph.ts';

/** A stored summary row as the API lists it, or undefined (reported) when it cannot be read. */
export function readSummary(row: { seq: number; summary: string; revision: number; matched: number }, skip: SkipRow): TraceSummary | undefined {
  try {
    return finishSummary(unpackSummary(row.summary), row.revision, row.matched);
  } catch (error) {
    skip('summaries', `the summary of trace row ${row.seq}`, error);
    return undefined;
  }
}
