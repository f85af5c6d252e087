/**
 * A trace as a text waterfall: the causal tree of its documents that the console draws too
 * (src/common/trace-model: nested subsegments under their document, standalone subsegments and
 * child segments under `parent_id`, orphans at the top, siblings by start time), each row with a
 * bar placed to scale on a fixed number of columns.
 */
import { buildTimeline, type SegmentDocument } from '../../common/trace-model/timeline.ts';
import type { Status } from '../../common/trace-model/status.ts';

export type { SegmentDocument };

export interface WaterfallRow {
  readonly id: string;
  readonly name: string;
  readonly depth: number;
  /** `origin` of a segment, `namespace` of a subsegment. */
  readonly origin: string | undefined;
  readonly status: Status;
  /** Seconds; undefined while in progress. */
  readonly duration: number | undefined;
  /** Exactly `width` characters: spaces, then `=` from start to end (`-` to the trace's end while in progress). */
  readonly bar: string;
  readonly document: SegmentDocument;
}

export interface Waterfall {
  readonly rows: readonly WaterfallRow[];
  /** Epoch seconds: the earliest start and the latest end (or start) of any row. */
  readonly start: number;
  readonly end: number;
}

export function waterfall(documents: readonly SegmentDocument[], width: number): Waterfall {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`width must be a positive whole number, got ${width}`);
  const timeline = buildTimeline(documents);
  const span = timeline.end - timeline.start;
  // A cell index for a time; an empty span puts everything in the first cell.
  const column = (time: number): number => (span > 0 ? ((time - timeline.start) / span) * width : 0);
  const rows = timeline.rows.map((row): WaterfallRow => {
    const inProgress = row.end === undefined;
    const end = Math.max(row.end ?? timeline.end, row.start);
    const from = Math.min(Math.floor(column(row.start)), width - 1);
    // Every row gets at least one cell, however short.
    const to = Math.max(Math.min(Math.ceil(column(end)), width), from + 1);
    const bar = ' '.repeat(from) + (inProgress ? '-' : '=').repeat(to - from) + ' '.repeat(width - to);
    return {
      id: row.id,
      name: row.name,
      depth: row.depth,
      origin: row.origin,
      status: row.status,
      duration: row.end === undefined ? undefined : Math.max(row.end - row.start, 0),
      bar,
      document: row.document,
    };
  });
  return { rows, start: timeline.start, end: timeline.end };
}
