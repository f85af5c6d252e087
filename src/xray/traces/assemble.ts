/**
 * A trace as BatchGetTraces returns it: standalone subsegments folded into their parent's
 * `subsegments` (the parent being a segment or a subsegment nested at any depth, possibly itself
 * folded), orphans (parent never arrived) and those folding would nest past MAX_FOLD_LEVELS
 * (tree.ts) kept as documents of their own.
 *
 * Folded subsegments keep their own fields (`type`, `trace_id`, `parent_id` included) and follow the
 * parent's existing subsegments in start-time order. Documents that receive nothing are returned as
 * received, byte for byte. LimitExceeded is what the store says: it read only the documents that fit
 * the trace's size quota (`takeWithinTraceLimit`).
 */
import type { EntityFields } from '../model/segment-document.ts';
import { MAX_TRACE_DOCUMENT_BYTES, type SegmentRecord, type StoredTrace } from '../model/trace.ts';
import { buildTree, type ParsedRecord } from './tree.ts';

/**
 * The documents of a trace, in the order given (arrival), up to MAX_TRACE_DOCUMENT_BYTES of
 * document text; stops reading at the first that does not fit, so a huge trace costs no more than
 * its quota.
 */
export function takeWithinTraceLimit(records: Iterable<SegmentRecord>, maxBytes = MAX_TRACE_DOCUMENT_BYTES): { records: SegmentRecord[]; limitExceeded: boolean } {
  const taken: SegmentRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    bytes += Buffer.byteLength(record.document, 'utf8');
    if (bytes > maxBytes) return { records: taken, limitExceeded: true };
    taken.push(record);
  }
  return { records: taken, limitExceeded: false };
}

export function assembleTrace(traceId: string, records: readonly ParsedRecord[], limitExceeded = false): StoredTrace {
  const tree = buildTree(records);
  const folded = new Map<EntityFields, number[]>();
  const receives = new Set<number>();
  tree.docs.forEach((_, doc) => {
    const parent = tree.foldParent[doc];
    if (parent === undefined) return;
    const children = folded.get(parent);
    if (children === undefined) folded.set(parent, [doc]);
    else children.push(doc);
    receives.add(tree.top[doc] ?? doc);
  });

  const render = (entity: EntityFields): EntityFields => {
    const own = entity.subsegments ?? [];
    const extra = folded.get(entity) ?? [];
    if (own.length === 0 && extra.length === 0) return entity;
    const present = new Set(own.map((child) => child.id));
    // A subsegment already nested under its parent is not added twice.
    const added = extra.map((doc) => tree.docs[doc]?.doc).filter(
      (child): child is NonNullable<typeof child> => child !== undefined && !present.has(child.id),
    );
    return { ...entity, subsegments: [...own, ...added].map(render) };
  };

  const segments: Array<{ id: string; document: string }> = [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  tree.docs.forEach((parsed, doc) => {
    const { record } = parsed;
    first = Math.min(first, record.startTime);
    last = Math.max(last, record.endTime ?? record.startTime);
    if (tree.foldParent[doc] !== undefined) return;
    const document = receives.has(doc) ? JSON.stringify(render(parsed.doc)) : record.document;
    segments.push({ id: record.id, document });
  });
  return {
    id: traceId,
    duration: tree.docs.length === 0 ? 0 : roundSeconds(last - first),
    limitExceeded,
    segments,
  };
}

/** Times are epoch seconds with millisecond precision; keep float noise out of differences. */
export function roundSeconds(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}
