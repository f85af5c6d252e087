import type { ReactNode } from 'react';
import { useMemo } from 'react';
import type { XrayApi } from '../api/client.ts';
import { useLoader } from '../shared/use-loader.ts';
import type { Timeline } from '../../common/trace-model/timeline.ts';
import { findConsumingTraces, linkedTraceIds, unconsumedSends } from './batch-links.ts';

function TraceLink(props: { readonly traceId: string }) {
  return <a className="mono" href={`#/trace/${encodeURIComponent(props.traceId)}`}>{props.traceId}</a>;
}

/**
 * A line under the timeline rows that cross into other traces through an SQS batch: a consumer's
 * segment linked to the other messages' senders, and a send whose message another trace's batch
 * consumed (looked up in the queue's traces around it).
 */
export interface BatchNotes {
  /** A line under each row that crosses into another trace. */
  readonly notes: ReadonlyMap<string, ReactNode>;
  /** The traces whose batches consumed this trace's messages, each once. */
  readonly consumedIn: readonly string[];
}

export function useBatchNotes(api: XrayApi, traceId: string, timeline: Timeline): BatchNotes {
  const sends = useMemo(() => unconsumedSends(timeline), [timeline]);
  const consumers = useLoader(`consumers:${traceId}:${sends.map((send) => send.rowId).join(',')}`, async () =>
    (sends.length === 0 ? new Map<string, string>() : findConsumingTraces(api, traceId, sends)));
  const notes = useMemo(() => {
    const notes = new Map<string, ReactNode>();
    for (const row of timeline.rows) {
      const linked = linkedTraceIds(row, traceId);
      if (linked.length === 0) continue;
      notes.set(row.id, (
        <span data-note="batch-consumer">
          This invocation&apos;s SQS batch also held messages of {linked.length === 1 ? 'another trace' : `${linked.length} other traces`}:{' '}
          {linked.map((id, index) => <span key={id}>{index > 0 ? ', ' : ''}<TraceLink traceId={id} /></span>)}
        </span>
      ));
    }
    for (const send of sends) {
      const consumer = consumers.value?.get(send.rowId);
      let note: ReactNode;
      if (consumer !== undefined) {
        note = <span data-note="consumed-elsewhere">Message consumed in the SQS batch of another trace: <TraceLink traceId={consumer} /></span>;
      } else if (consumers.error !== undefined) {
        note = <span data-note="consumer-unknown" className="error">Could not look for this message&apos;s consumer: {consumers.error.message}</span>;
      } else if (consumers.loading || consumers.value === undefined) {
        note = <span data-note="consumer-searching" className="muted">Looking for the trace that consumed this message…</span>;
      } else {
        note = <span data-note="consumer-unknown" className="muted">No consumer of this message in this trace, nor a link to it from the traces of {send.queueName} around it.</span>;
      }
      notes.set(send.rowId, note);
    }
    return notes;
  }, [timeline, traceId, sends, consumers.value, consumers.error, consumers.loading]);
  const consumedIn = useMemo(() => [...new Set(consumers.value?.values() ?? [])], [consumers.value]);
  return { notes, consumedIn };
}
