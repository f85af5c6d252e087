import { GetTraceSummariesCommand, type XRayClient } from '@aws-sdk/client-xray';
import { callSource, type PullSource } from './source.ts';

/** AWS answers GetTraceSummaries for a window of at most this long; longer ranges are asked slice by slice. */
export const MAX_WINDOW_SECONDS = 6 * 3600;

export interface TraceListing {
  /** Epoch seconds. */
  readonly startTime: number;
  readonly endTime: number;
  readonly filter?: string | undefined;
  readonly limit: number;
}

/** The windows to ask for, newest first, each at most MAX_WINDOW_SECONDS. */
export function windows(startTime: number, endTime: number): Array<{ start: number; end: number }> {
  const slices: Array<{ start: number; end: number }> = [];
  for (let end = endTime; end > startTime; end -= MAX_WINDOW_SECONDS) {
    slices.push({ start: Math.max(startTime, end - MAX_WINDOW_SECONDS), end });
  }
  return slices;
}

/**
 * The ids of the traces the source holds in the range (by event time: a trace still being written
 * to is included), newest first, at most `limit`, each once.
 */
export async function listTraceIds(client: XRayClient, source: PullSource, listing: TraceListing): Promise<string[]> {
  const ids = new Set<string>();
  for (const window of windows(listing.startTime, listing.endTime)) {
    let nextToken: string | undefined;
    do {
      const page = await callSource(source, () => client.send(new GetTraceSummariesCommand({
        StartTime: new Date(window.start * 1000),
        EndTime: new Date(window.end * 1000),
        TimeRangeType: 'Event',
        ...(listing.filter !== undefined ? { FilterExpression: listing.filter } : {}),
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      })));
      for (const summary of page.TraceSummaries ?? []) {
        if (summary.Id !== undefined) ids.add(summary.Id);
        if (ids.size >= listing.limit) return [...ids];
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
  }
  return [...ids];
}
