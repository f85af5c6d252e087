/**
 * SQS batches across traces. A Lambda consumer handles a batch in the trace of its first message;
 * its AWS::Lambda segment carries span links (`links: [{ trace_id, id }]`) to the senders of the
 * other messages, as X-Ray links an SQS batch's traces. Seen from the consumer's trace, those are
 * the other traces it served; seen from a sender's trace, its message was consumed elsewhere, and
 * only the consumer's trace says where: the console looks for it among the traces of the queue.
 */
import type { XrayApi } from '../api/client.ts';
import type { Timeline, TimelineRow } from '../../common/trace-model/timeline.ts';

/** A row's span links into other traces: their trace ids, each once. */
export function linkedTraceIds(row: TimelineRow, ownTraceId: string): string[] {
  const links = row.document['links'];
  if (!Array.isArray(links)) return [];
  const ids = links.flatMap((link: unknown) => {
    const id = typeof link === 'object' && link !== null ? (link as { trace_id?: unknown }).trace_id : undefined;
    return typeof id === 'string' && id !== ownTraceId ? [id] : [];
  });
  return [...new Set(ids)];
}

/** An SQS send of this trace that no segment of this trace consumed. */
export interface UnconsumedSend {
  readonly rowId: string;
  readonly queueName: string;
  /** Epoch seconds. */
  readonly sentAt: number;
}

export function unconsumedSends(timeline: Timeline): UnconsumedSend[] {
  const parents = new Set(timeline.rows.filter((row) => row.kind === 'segment').map((row) => row.document['parent_id']));
  return timeline.rows.flatMap((row) => {
    const aws = row.document['aws'];
    if (typeof aws !== 'object' || aws === null) return [];
    const { operation, queue_url: queueUrl } = aws as { operation?: unknown; queue_url?: unknown };
    if ((operation !== 'SendMessage' && operation !== 'SendMessageBatch') || typeof queueUrl !== 'string' || parents.has(row.id)) return [];
    const queueName = queueUrl.split('/').pop() ?? '';
    return queueName === '' ? [] : [{ rowId: row.id, queueName, sentAt: row.start }];
  });
}

/** How far around a send the consumer's trace is looked for, and how many traces are read at most. */
export const SEARCH_BEFORE_SECONDS = 300;
export const SEARCH_AFTER_SECONDS = 900;
export const MAX_CANDIDATES = 60;

/**
 * The trace whose batch consumed each send (by row id): among the traces through the queue around
 * the send, nearest first, the one with a link to the send's subsegment. A send not found in
 * MAX_CANDIDATES traces is left out.
 */
export async function findConsumingTraces(api: XrayApi, traceId: string, sends: readonly UnconsumedSend[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const queueName of new Set(sends.map((send) => send.queueName))) {
    const mine = sends.filter((send) => send.queueName === queueName);
    const sentAt = Math.min(...mine.map((send) => send.sentAt));
    const window = { start: sentAt - SEARCH_BEFORE_SECONDS, end: Math.max(...mine.map((send) => send.sentAt)) + SEARCH_AFTER_SECONDS };
    const filter = `service(id(name: ${JSON.stringify(queueName)}, type: "AWS::SQS::Queue"))`;
    const batch = await api.traceSummaries(window, { filter }, MAX_CANDIDATES * 4);
    const candidates = batch.summaries
      .filter((summary) => summary.Id !== traceId)
      .sort((a, b) => Math.abs((a.StartTime ?? 0) - sentAt) - Math.abs((b.StartTime ?? 0) - sentAt))
      .slice(0, MAX_CANDIDATES)
      .map((summary) => summary.Id);
    const wanted = new Set(mine.map((send) => send.rowId));
    for (let at = 0; at < candidates.length && found.size < sends.length; at += 5) {
      for (const trace of await api.traces(candidates.slice(at, at + 5))) {
        for (const segment of trace.Segments ?? []) {
          for (const id of linkedSpans(segment.Document, traceId)) if (wanted.has(id) && !found.has(id)) found.set(id, trace.Id ?? '');
        }
      }
    }
  }
  return found;
}

/** The ids of the spans of `traceId` a segment document links to. */
function linkedSpans(documentText: string | undefined, traceId: string): string[] {
  if (documentText === undefined || !documentText.includes(traceId)) return [];
  try {
    const document = JSON.parse(documentText) as { links?: unknown };
    if (!Array.isArray(document.links)) return [];
    return document.links.flatMap((link: unknown) => {
      const fields = typeof link === 'object' && link !== null ? link as { trace_id?: unknown; id?: unknown } : {};
      return fields.trace_id === traceId && typeof fields.id === 'string' ? [fields.id] : [];
    });
  } catch {
    return [];
  }
}
