/**
 * How the documents of one trace hang together: every (sub)segment id, which document a standalone
 * subsegment folds into, and which segment each document belongs to. Assembly and summaries both
 * read this, so they agree on parents, orphans and owners.
 */
import type { EntityFields, SegmentDocument } from '../model/segment-document.ts';
import { MAX_SUBSEGMENT_DEPTH } from '../segments/validate.ts';
import type { SegmentRecord } from '../model/trace.ts';

/** A stored record with its document parsed (records come from `validateDocument`, so the shape holds). */
export interface ParsedRecord {
  readonly record: SegmentRecord;
  readonly doc: SegmentDocument;
}

export interface TraceTree {
  /** Sorted by start time, then id, so every derived list has a stable order. */
  readonly docs: readonly ParsedRecord[];
  /** Every segment and subsegment id in the trace, nested ones included; the first holder wins. */
  readonly nodes: ReadonlyMap<string, TreeNode>;
  /** For a standalone subsegment whose parent arrived: the parent's entity object. */
  readonly foldParent: ReadonlyArray<EntityFields | undefined>;
  /** The index of the top document each document ends up in (itself when not folded). */
  readonly top: readonly number[];
}

export interface TreeNode {
  readonly entity: EntityFields;
  readonly doc: number;
  /** Subsegment levels below its document's top entity: 0 for the document itself. */
  readonly level: number;
}

/**
 * How many subsegment levels folding may nest a standalone subsegment below its top document: as
 * many as a document may nest its own. A chain of thousands of standalone subsegments would
 * otherwise nest the assembled document past what JSON.stringify and the recursive readers can
 * go, making the whole trace unreadable; a document past this stays one of its own, as an orphan.
 */
export const MAX_FOLD_LEVELS = MAX_SUBSEGMENT_DEPTH;

export function parseRecords(records: Iterable<SegmentRecord>): ParsedRecord[] {
  const parsed: ParsedRecord[] = [];
  for (const record of records) parsed.push({ record, doc: JSON.parse(record.document) as SegmentDocument });
  return parsed;
}

export function buildTree(records: readonly ParsedRecord[]): TraceTree {
  const docs = [...records].sort(byStartThenId);
  const nodes = new Map<string, TreeNode>();
  // Document ids first, so a nested copy never shadows a document of its own.
  for (let doc = 0; doc < docs.length; doc++) {
    const id = docs[doc]!.record.id;
    if (!nodes.has(id)) nodes.set(id, { entity: docs[doc]!.doc, doc, level: 0 });
  }
  for (let doc = 0; doc < docs.length; doc++) indexNested(docs[doc]!.doc.subsegments, doc, nodes, 1);

  // Loops rather than callbacks here and in summary.ts: this runs for every trace a batch touches.
  const link: Array<number | undefined> = [];
  const foldParent: Array<EntityFields | undefined> = [];
  const parentLevel: number[] = [];
  for (let doc = 0; doc < docs.length; doc++) {
    const { record } = docs[doc]!;
    const parent = record.type === 'subsegment' && record.parentId !== undefined ? nodes.get(record.parentId) : undefined;
    const folds = parent !== undefined && parent.doc !== doc;
    link.push(folds ? parent.doc : undefined);
    foldParent.push(folds ? parent.entity : undefined);
    parentLevel.push(folds ? parent.level : 0);
  }
  // Parent links between standalone subsegments could form a cycle (bad input); cut it where found.
  for (let doc = 0; doc < docs.length; doc++) {
    let at = link[doc];
    for (let steps = 0; at !== undefined && steps <= docs.length; steps++) {
      if (at === doc) {
        link[doc] = undefined;
        foldParent[doc] = undefined;
        break;
      }
      at = link[at];
    }
  }
  cutDeepFolds(link, foldParent, parentLevel);
  const top: number[] = [];
  for (let doc = 0; doc < docs.length; doc++) {
    let at = doc;
    for (let next = link[at]; next !== undefined; next = link[at]) at = next;
    top.push(at);
  }
  return { docs, nodes, foldParent, top };
}

/** Unlinks each document that folding would put more than MAX_FOLD_LEVELS below its top (links have no cycles here). */
function cutDeepFolds(link: Array<number | undefined>, foldParent: Array<EntityFields | undefined>, parentLevel: readonly number[]): void {
  // The level each document's own entity lands on once folded; chains are followed without recursion.
  const level: Array<number | undefined> = [];
  for (let doc = 0; doc < link.length; doc++) {
    const chain: number[] = [];
    for (let at: number | undefined = doc; at !== undefined && level[at] === undefined; at = link[at]) chain.push(at);
    for (let i = chain.length - 1; i >= 0; i--) {
      const at = chain[i]!;
      const parent = link[at];
      const landing = parent === undefined ? 0 : level[parent]! + parentLevel[at]! + 1;
      if (landing > MAX_FOLD_LEVELS) {
        link[at] = undefined;
        foldParent[at] = undefined;
      }
      level[at] = landing > MAX_FOLD_LEVELS ? 0 : landing;
    }
  }
}

function byStartThenId(a: ParsedRecord, b: ParsedRecord): number {
  return a.record.startTime - b.record.startTime || compareText(a.record.id, b.record.id);
}

function indexNested(subsegments: readonly EntityFields[] | undefined, doc: number, nodes: Map<string, TreeNode>, level: number): void {
  if (subsegments === undefined) return;
  for (const entity of subsegments) {
    if (!nodes.has(entity.id)) nodes.set(entity.id, { entity, doc, level });
    indexNested(entity.subsegments, doc, nodes, level + 1);
  }
}

/** Visits nested subsegments depth first (validation bounds the depth). */
export function walk(subsegments: readonly EntityFields[] | undefined, visit: (entity: EntityFields) => void): void {
  if (subsegments === undefined) return;
  for (const entity of subsegments) {
    visit(entity);
    walk(entity.subsegments, visit);
  }
}

/** Seconds of the epoch written in a trace id `1-<8 hex>-<24 hex>`. */
export function traceIdEpoch(traceId: string): number {
  return Number.parseInt(traceId.slice(2, 10), 16);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
