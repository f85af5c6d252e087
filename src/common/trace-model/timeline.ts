/**
 * A trace's documents as a causal timeline: the model behind the console's waterfall and the CLI's
 * text one. Framework-free and imports nothing of ours outside src/common/trace-model.
 */
import { statusOfDocument, type Status } from './status.ts';

/** A segment or subsegment document as the timeline reads it; every other field is shown as is. */
export type SegmentDocument = Readonly<Record<string, unknown>>;

export interface TimelineRow {
  readonly id: string;
  readonly name: string;
  /** 0 for a trace's first segments; children one deeper than their parent. */
  readonly depth: number;
  readonly start: number;
  /** Undefined while in progress. */
  readonly end: number | undefined;
  readonly status: Status;
  readonly kind: 'segment' | 'subsegment';
  /** `origin` of a segment, `namespace` of a subsegment. */
  readonly origin: string | undefined;
  /** Ids of the rows right under this one, in start order. */
  readonly children: readonly string[];
  readonly document: SegmentDocument;
}

export interface Timeline {
  readonly rows: readonly TimelineRow[];
  readonly start: number;
  readonly end: number;
}

interface Item {
  readonly document: SegmentDocument;
  readonly kind: 'segment' | 'subsegment';
  /** Where it hangs: the enclosing document for nested subsegments, else its `parent_id`. */
  readonly parentId: string | undefined;
}

/**
 * A trace's documents as one causal tree: nested subsegments under their document, standalone
 * subsegments and child segments (a Lambda under the subsegment that invoked it) under their
 * `parent_id`; what has no parent in the trace starts at the top. Siblings run in start order.
 * Inferred segments, which BatchGetTraces adds for downstream calls, are left out.
 */
export function buildTimeline(documents: readonly SegmentDocument[]): Timeline {
  const items = new Map<string, Item>();
  const add = (document: SegmentDocument, kind: Item['kind'], parentId: string | undefined): void => {
    const id = stringField(document, 'id');
    if (id === undefined) return;
    items.set(id, { document, kind, parentId });
    for (const child of subsegmentsOf(document)) add(child, 'subsegment', id);
  };
  for (const document of documents) {
    // An inferred segment (X-Ray's node for a downstream call) repeats the calling subsegment, a row already.
    if (document['inferred'] === true) continue;
    add(document, document['type'] === 'subsegment' ? 'subsegment' : 'segment', stringField(document, 'parent_id'));
  }

  const children = new Map<string | undefined, string[]>();
  for (const [id, item] of items) {
    const parent = item.parentId !== undefined && items.has(item.parentId) && item.parentId !== id ? item.parentId : undefined;
    const list = children.get(parent) ?? [];
    list.push(id);
    children.set(parent, list);
  }
  const byStart = (a: string, b: string): number => {
    const first = items.get(a)?.document;
    const second = items.get(b)?.document;
    return (numberField(first, 'start_time') ?? 0) - (numberField(second, 'start_time') ?? 0) || (a < b ? -1 : a > b ? 1 : 0);
  };
  for (const list of children.values()) list.sort(byStart);

  const rows: TimelineRow[] = [];
  const visited = new Set<string>();
  const visit = (id: string, depth: number): void => {
    if (visited.has(id)) return;
    visited.add(id);
    const item = items.get(id) as Item;
    const { document } = item;
    const start = numberField(document, 'start_time') ?? 0;
    const inProgress = document['in_progress'] === true;
    rows.push({
      id,
      name: stringField(document, 'name') ?? id,
      depth,
      start,
      end: inProgress ? undefined : numberField(document, 'end_time'),
      status: statusOfDocument(document),
      kind: item.kind,
      origin: stringField(document, item.kind === 'segment' ? 'origin' : 'namespace'),
      children: children.get(id) ?? [],
      document,
    });
    for (const child of children.get(id) ?? []) visit(child, depth + 1);
  };
  for (const id of children.get(undefined) ?? []) visit(id, 0);
  // A parent cycle leaves its members unreached from the top: show them there rather than not at all.
  for (const id of [...items.keys()].sort(byStart)) visit(id, 0);

  const starts = rows.map((row) => row.start);
  const ends = rows.map((row) => row.end ?? row.start);
  return { rows, start: starts.length === 0 ? 0 : Math.min(...starts), end: ends.length === 0 ? 0 : Math.max(...ends, ...starts) };
}

function subsegmentsOf(document: SegmentDocument): SegmentDocument[] {
  const list = document['subsegments'];
  return Array.isArray(list) ? list.filter((item): item is SegmentDocument => typeof item === 'object' && item !== null) : [];
}

function stringField(document: SegmentDocument | undefined, name: string): string | undefined {
  const value = document?.[name];
  return typeof value === 'string' ? value : undefined;
}

function numberField(document: SegmentDocument | undefined, name: string): number | undefined {
  const value = document?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The rows left visible when the rows in `collapsed` hide their descendants. */
export function visibleRows(rows: readonly TimelineRow[], collapsed: ReadonlySet<string>): TimelineRow[] {
  const visible: TimelineRow[] = [];
  let hiddenBelow: number | undefined;
  for (const row of rows) {
    if (hiddenBelow !== undefined && row.depth > hiddenBelow) continue;
    hiddenBelow = undefined;
    visible.push(row);
    if (collapsed.has(row.id) && row.children.length > 0) hiddenBelow = row.depth;
  }
  return visible;
}
