/**
 * BatchGetTraces answers with standalone subsegments folded into their parents, so a stored segment
 * can be larger than the 64 KB a document may be when it is put back. Such a segment is split again:
 * its subsegments, last first, become standalone subsegments (`type`, `trace_id`, `parent_id`), at
 * any depth, until every document fits. The trace assembles to the same tree.
 */
const MAX_DOCUMENT_BYTES = 64 * 1024;

type Entity = Record<string, unknown> & { id?: unknown; subsegments?: unknown };

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The documents to put for one stored segment; one may still be too large if it has no subsegments left to take out. */
export function splitDocument(document: Entity, traceId: string, maxBytes = MAX_DOCUMENT_BYTES): string[] {
  return split(document, traceId, maxBytes);
}

function split(entity: Entity, traceId: string, maxBytes: number): string[] {
  const whole = JSON.stringify(entity);
  if (bytes(whole) <= maxBytes || !Array.isArray(entity.subsegments)) return [whole];
  const { subsegments, ...rest } = entity;
  const kept = [...(subsegments as Entity[])];
  const render = (): string => JSON.stringify(kept.length > 0 ? { ...rest, subsegments: kept } : rest);
  const detached: string[] = [];
  let text = whole;
  while (bytes(text) > maxBytes && kept.length > 0) {
    // The last ones go first: the store folds standalone subsegments back after those still nested,
    // so the assembled document keeps its order.
    const taken = kept.pop();
    if (taken === undefined) break;
    detached.push(...split({ ...taken, type: 'subsegment', trace_id: traceId, parent_id: entity.id }, traceId, maxBytes));
    text = render();
  }
  return [text, ...detached];
}
