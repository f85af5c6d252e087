/**
 * Which traces a GetTraceSummaries time range selects, per TimeRangeType. The API reference says:
 * "TraceId (trace start time), Event (trace update time), or Service (trace segment end time)".
 * Here, with the range [startTime, endTime] inclusive:
 * - `TraceId`: the epoch second written in the trace id falls in the range (the id's second counts
 *   whole: a trace of second 100 matches a range starting at 100.5). MatchedEventTime: StartTime.
 * - `Event`: a document of the trace was started or ended (each such time is an update of the
 *   trace) inside the range. MatchedEventTime: the latest such time in the range.
 * - `Service`: a segment document (not a standalone subsegment) ended inside the range.
 *   MatchedEventTime: the latest such end.
 * Times come from the documents, never from the clock at arrival, so a slow daemon changes nothing.
 * The SQLite store expresses the same rules in SQL; the conformance suite holds both to them.
 */
import type { SegmentRecord, TimeRangeType } from '../model/trace.ts';

export interface TimeRange {
  readonly startTime: number;
  readonly endTime: number;
}

type DocumentTimes = Pick<SegmentRecord, 'type' | 'startTime' | 'endTime'>;

/** The matched event time, or undefined when the trace is outside the range. */
export function matchTimeRange(
  type: TimeRangeType,
  trace: { readonly idEpoch: number; readonly startTime: number; readonly documents: Iterable<DocumentTimes> },
  range: TimeRange,
): number | undefined {
  const inside = (time: number | undefined): time is number =>
    time !== undefined && time >= range.startTime && time <= range.endTime;
  if (type === 'TraceId') {
    return trace.idEpoch >= Math.floor(range.startTime) && trace.idEpoch <= range.endTime ? trace.startTime : undefined;
  }
  let matched: number | undefined;
  for (const doc of trace.documents) {
    const candidates = type === 'Event' ? [doc.startTime, doc.endTime] : doc.type === 'segment' ? [doc.endTime] : [];
    for (const time of candidates) {
      if (inside(time) && (matched === undefined || time > matched)) matched = time;
    }
  }
  return matched;
}
