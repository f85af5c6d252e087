/**
 * What both stores share about GetTraceSummaries paging and about upserts.
 *
 * Order: newest first by the trace id's epoch second, then by arrival (a per-store sequence number
 * given to a trace when its first document is written). Both keys are fixed for a trace's life,
 * unlike its start time, which moves when an earlier document arrives late; so a keyset cursor
 * never repeats or skips a trace. The first page also fixes a snapshot (the highest sequence
 * number then); later pages leave out traces that arrived after it, so paging through a busy
 * store ends. The cursor is bound to the query it came from.
 */
import { createHash } from 'node:crypto';
import type { SegmentRecord, SummaryQuery, TimeRangeType } from './types.ts';

/** A query the store cannot run: the API answers it as a client error. */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';
}

export interface PageCursor {
  /** Position: the last trace returned. */
  readonly idEpoch: number;
  readonly seq: number;
  /** Snapshot: the highest trace sequence number when the first page was read. */
  readonly asOf: number;
  /** When the first page was read (epoch seconds); reported as ApproximateTime on every page. */
  readonly approximateTime: number;
}

const TIME_RANGE_TYPES: readonly TimeRangeType[] = ['TraceId', 'Event', 'Service'];
/** Sorts after every real position, so the first page starts at the top. */
export const TOP = Number.MAX_SAFE_INTEGER;

export function checkQuery(query: SummaryQuery): void {
  for (const field of ['startTime', 'endTime'] as const) {
    if (typeof query[field] !== 'number' || !Number.isFinite(query[field])) {
      throw new InvalidQueryError(`${field} must be a number of epoch seconds, got ${String(query[field])}`);
    }
  }
  if (query.startTime > query.endTime) {
    throw new InvalidQueryError(`startTime (${query.startTime}) is after endTime (${query.endTime})`);
  }
  if (!TIME_RANGE_TYPES.includes(query.timeRangeType)) {
    throw new InvalidQueryError(`timeRangeType "${String(query.timeRangeType)}" must be one of ${TIME_RANGE_TYPES.join(', ')}`);
  }
  if (!Number.isInteger(query.limit) || query.limit < 1) {
    throw new InvalidQueryError(`limit must be a whole number of at least 1, got ${String(query.limit)}`);
  }
}

export function encodeCursor(query: SummaryQuery, cursor: PageCursor): string {
  const body = { q: fingerprint(query), e: cursor.idEpoch, s: cursor.seq, a: cursor.asOf, t: cursor.approximateTime };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** No page is issued for a time past the year 2100 (the latest a segment's times may be). */
const MAX_CURSOR_TIME_SECONDS = 4_102_444_800;

export function decodeCursor(query: SummaryQuery, text: string): PageCursor {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidQueryError('the pagination token is not one this service issued');
  }
  const { q, e, s, a, t } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  // What a page issues: whole non-negative epoch seconds and sequence numbers (TOP at most), a time in range.
  const isPosition = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;
  if (typeof q !== 'string' || ![e, s, a].every(isPosition) || !(typeof t === 'number' && t >= 0 && t <= MAX_CURSOR_TIME_SECONDS)) {
    throw new InvalidQueryError('the pagination token is not one this service issued');
  }
  if (q !== fingerprint(query)) {
    throw new InvalidQueryError('the pagination token belongs to a different StartTime, EndTime or TimeRangeType (or FilterExpression)');
  }
  return { idEpoch: e as number, seq: s as number, asOf: a as number, approximateTime: t as number };
}

function fingerprint(query: SummaryQuery): string {
  const range = `${query.startTime}/${query.endTime}/${query.timeRangeType}`;
  if (query.filter === undefined) return range;
  // The groups too: what `group.name = "g"` selects changes with g's filter.
  const filter = createHash('sha256').update(JSON.stringify([query.filter, query.groups ?? []])).digest('base64url');
  return `${range}/${filter.slice(0, 16)}`;
}

/**
 * The upsert rule on (traceId, id): a complete document replaces an in-progress one and never the
 * other way round; between two of the same kind the later write wins; an identical one is a no-op.
 * The SQLite store states the same rule in its upsert's WHERE clause.
 */
export function replaces(existing: SegmentRecord, incoming: SegmentRecord): boolean {
  return existing.document !== incoming.document && (existing.inProgress || !incoming.inProgress);
}
