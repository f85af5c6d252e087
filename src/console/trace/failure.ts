import type { Status } from '../../common/trace-model/status.ts';
import type { Timeline, TimelineRow } from '../../common/trace-model/timeline.ts';

/** Where a trace failed: the segment to open it on, and what the summary line says. */
export interface FailureLead {
  /** The first segment (by start) with the trace's worst status: the row the trace opens on. */
  readonly row: TimelineRow;
  readonly status: Exclude<Status, 'ok'>;
  /** `Type: message` of the segment's own exception, if it recorded one. */
  readonly exception: string | undefined;
  /** The deepest failed row under it that recorded an exception, when not the segment itself: where it started. */
  readonly origin: { readonly row: TimelineRow; readonly exception: string } | undefined;
  /** A Lambda function's run among the runs of one invocation (asynchronous invocations are retried). */
  readonly attempt: { readonly number: number; readonly of: number } | undefined;
}

const WORST_FIRST = ['fault', 'throttle', 'error'] as const;

/**
 * The first failed segment of the trace's worst kind (a fault before a throttle before an error),
 * else the first failed subsegment; undefined when nothing failed.
 */
export function failureLead(timeline: Timeline): FailureLead | undefined {
  for (const status of WORST_FIRST) {
    const failed = timeline.rows.filter((row) => row.status === status);
    const row = earliest(failed.filter((candidate) => candidate.kind === 'segment')) ?? earliest(failed);
    if (row === undefined) continue;
    const exception = exceptionOf(row);
    const origin = deepestException(timeline, row);
    return {
      row,
      status,
      exception,
      origin: origin === undefined || origin.row === row ? undefined : origin,
      attempt: attemptOf(timeline, row),
    };
  }
  return undefined;
}

/** `Fault in http-flow (AWS::Lambda::Function), attempt 2 of 3: Error: boom · started at host: Error: Bad Gateway`. */
export function failureText(lead: FailureLead): string {
  const kind = lead.status === 'fault' ? 'Fault' : lead.status === 'throttle' ? 'Throttled' : 'Error';
  const where = `${lead.row.name}${lead.row.origin === undefined ? '' : ` (${lead.row.origin})`}`;
  const attempt = lead.attempt === undefined ? '' : `, attempt ${lead.attempt.number} of ${lead.attempt.of}`;
  const exception = lead.exception === undefined ? '' : `: ${lead.exception}`;
  const origin = lead.origin === undefined ? '' : ` · started at ${lead.origin.row.name}: ${lead.origin.exception}`;
  return `${kind} in ${where}${attempt}${exception}${origin}`;
}

function earliest(rows: readonly TimelineRow[]): TimelineRow | undefined {
  let first: TimelineRow | undefined;
  for (const row of rows) if (first === undefined || row.start < first.start) first = row;
  return first;
}

/** The first exception a row's own `cause` records (`cause` as an id points at another row's). */
export function exceptionOf(row: TimelineRow): string | undefined {
  const cause = row.document['cause'];
  if (typeof cause !== 'object' || cause === null) return undefined;
  const exceptions = (cause as { exceptions?: unknown }).exceptions;
  const first: unknown = Array.isArray(exceptions) ? exceptions[0] : undefined;
  if (typeof first !== 'object' || first === null) return undefined;
  const { type, message } = first as { type?: unknown; message?: unknown };
  const text = [type, message].filter((part): part is string => typeof part === 'string' && part !== '').join(': ');
  return text === '' ? undefined : text;
}

function deepestException(timeline: Timeline, top: TimelineRow): { row: TimelineRow; exception: string } | undefined {
  const byId = new Map(timeline.rows.map((row) => [row.id, row]));
  let found: { row: TimelineRow; exception: string } | undefined;
  const visit = (row: TimelineRow): void => {
    if (row.status === 'ok') return;
    const exception = exceptionOf(row);
    if (exception !== undefined && (found === undefined || row.depth > found.row.depth)) found = { row, exception };
    for (const id of row.children) {
      const child = byId.get(id);
      if (child !== undefined) visit(child);
    }
  };
  visit(top);
  return found;
}

/**
 * Lambda writes one `AWS::Lambda::Function` segment a run, each a child of the invocation's
 * `AWS::Lambda` segment: a retried asynchronous invocation has several, in start order.
 */
function attemptOf(timeline: Timeline, row: TimelineRow): FailureLead['attempt'] {
  if (row.origin !== 'AWS::Lambda::Function') return undefined;
  const parent = row.document['parent_id'];
  const runs = timeline.rows
    .filter((other) => other.origin === 'AWS::Lambda::Function' && other.name === row.name && other.document['parent_id'] === parent)
    .sort((a, b) => a.start - b.start);
  return { number: runs.indexOf(row) + 1, of: runs.length };
}
