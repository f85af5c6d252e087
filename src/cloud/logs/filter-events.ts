/**
 * FilterLogEvents over the store: a filter pattern's matches in time order across a group's
 * streams, in pages. A page stops at `limit` matches or after `maxScanned` events read (AWS too
 * answers a page with fewer events, even none, and a nextToken while there is more to search),
 * so one call is bounded whatever the group holds. A pattern naming a trace id reads only that
 * trace's indexed lines.
 */
import { compileFilterPattern } from './filter-pattern.ts';
import type { LogStore, StoredLogEvent } from './store.ts';

export interface FilterRequest {
  readonly groupName: string;
  readonly streamNames?: readonly string[];
  readonly streamPrefix?: string;
  readonly startMs?: number;
  readonly endMs?: number;
  readonly pattern?: string;
  /** Events per page. @default 10,000 (AWS's maximum and default) */
  readonly limit?: number;
  readonly nextToken?: string;
  /** Only the lines indexed under this trace (the CLI's and the console's `--trace`). */
  readonly traceId?: string;
}

export interface FilterPage {
  readonly events: StoredLogEvent[];
  readonly nextToken: string | undefined;
}

const MAX_SCANNED_PER_PAGE = 200_000;

export class InvalidTokenError extends Error {}

export function filterLogEvents(store: LogStore, request: FilterRequest): FilterPage {
  const filter = compileFilterPattern(request.pattern);
  const limit = request.limit ?? 10_000;
  const after = request.nextToken === undefined ? undefined : decodeToken(request.nextToken);
  const events: StoredLogEvent[] = [];
  let scanned = 0;
  let last: StoredLogEvent | undefined;
  const traceId = request.traceId ?? filter.traceIdHint;
  if (request.traceId !== undefined && filter.traceIdHint !== undefined && request.traceId !== filter.traceIdHint) return { events, nextToken: undefined };
  const iterator = store.scan({
    groupName: request.groupName,
    ...(request.streamNames !== undefined ? { streamNames: request.streamNames } : {}),
    ...(request.streamPrefix !== undefined ? { streamPrefix: request.streamPrefix } : {}),
    ...(request.startMs !== undefined ? { startMs: request.startMs } : {}),
    ...(request.endMs !== undefined ? { endMs: request.endMs } : {}),
    ...(after !== undefined ? { after } : {}),
    ...(traceId !== undefined ? { traceId } : {}),
  });
  try {
    for (const event of iterator) {
      last = event;
      scanned++;
      if (filter.matches(event.message)) events.push(event);
      if (events.length >= limit || scanned >= MAX_SCANNED_PER_PAGE) {
        // More may follow: the next page starts after the last event read.
        const more = !iterator.next().done;
        return { events, nextToken: more ? encodeToken(last) : undefined };
      }
    }
  } finally {
    iterator.return(undefined);
  }
  return { events, nextToken: undefined };
}

export function encodeToken(event: { timestampMs: number; id: number }): string {
  return Buffer.from(JSON.stringify([event.timestampMs, event.id])).toString('base64url');
}

export function decodeToken(token: string): { timestampMs: number; id: number } {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((n) => Number.isInteger(n))) {
      return { timestampMs: value[0] as number, id: value[1] as number };
    }
  } catch {
    // Reported below.
  }
  throw new InvalidTokenError('The specified nextToken is invalid.');
}
