/**
 * How the documents of one trace hang together for the graph: every segment and subsegment
 * (nested or standalone, deduplicated by id), the segment that owns each subsegment, and the
 * caller of each segment, found through its `parent_id` (AWSTraceHeader / X-Amzn-Trace-Id) or,
 * failing that, through its `links`.
 */
import { callNamespaceOf, objectItems } from '../segments/fields.ts';
import type { GraphDocument, GraphEntity } from '../model/graph-document.ts';
import { isComplete } from './naming.ts';

export interface EntityRef {
  /** The entity; a complete copy replaces an in-progress one with the same id. */
  entity: GraphEntity;
  readonly isSegment: boolean;
  /** Subsegments: the entity that contains it. Undefined for segments and orphans. */
  parent: EntityRef | undefined;
  /** The segment this entity belongs to (itself for a segment); undefined for orphans. */
  segment: EntityRef | undefined;
  /** Segments: the entity (in another segment) named by `parent_id`. */
  caller: EntityRef | undefined;
  /** Segments without a caller: the entities their `links` name, in another segment. */
  readonly linkedFrom: EntityRef[];
  readonly children: EntityRef[];
  /** Segments whose caller is this entity. */
  readonly callees: EntityRef[];
  /** Segments linked to this entity. */
  readonly linked: EntityRef[];
}

export interface TraceModel {
  /** Segments ordered by start time, then id. */
  readonly segments: readonly EntityRef[];
  readonly byId: ReadonlyMap<string, EntityRef>;
  /** Segments with neither a caller nor a link: each has a client in front of it. */
  readonly roots: readonly EntityRef[];
}

export function buildTraceModel(documents: readonly GraphDocument[]): TraceModel {
  const byId = new Map<string, EntityRef>();
  const standalone: EntityRef[] = [];
  const segments: EntityRef[] = [];

  const register = (entity: GraphEntity, isSegment: boolean, parent: EntityRef | undefined): EntityRef => {
    let ref = byId.get(entity.id);
    if (ref === undefined) {
      ref = { entity, isSegment, parent, segment: undefined, caller: undefined, linkedFrom: [], children: [], callees: [], linked: [] };
      byId.set(entity.id, ref);
      if (parent !== undefined) parent.children.push(ref);
      if (isSegment) segments.push(ref);
    } else if (!isComplete(ref.entity) && isComplete(entity)) {
      ref.entity = entity;
    }
    for (const child of entity.subsegments ?? []) {
      if (isEntity(child)) register(child, false, ref);
    }
    return ref;
  };

  // Segments first, so a folded copy of a subsegment and its standalone original collapse onto
  // the same entry whatever the order of the documents.
  const ordered = [...documents].filter(isEntity).sort(
    (a, b) => Number(isStandalone(a)) - Number(isStandalone(b)) || compareEntities(a, b),
  );
  for (const document of ordered) {
    if (isStandalone(document)) {
      const known = byId.has(document.id);
      const ref = register(document, false, undefined);
      if (!known) standalone.push(ref);
    } else {
      register(document, true, undefined);
    }
  }

  for (const ref of standalone) {
    const parentId = ref.entity.parent_id;
    const parent = parentId === undefined ? undefined : byId.get(parentId);
    if (parent !== undefined && parent !== ref) {
      ref.parent = parent;
      parent.children.push(ref);
    }
  }

  for (const ref of byId.values()) ref.segment = owningSegment(ref, byId.size);
  for (const ref of byId.values()) sortByStart(ref.children);

  for (const segment of segments) {
    const parentId = segment.entity.parent_id;
    const caller = parentId === undefined ? undefined : byId.get(parentId);
    if (caller?.segment !== undefined && caller.segment !== segment) {
      segment.caller = caller;
      caller.callees.push(segment);
      continue;
    }
    for (const link of objectItems(segment.entity.links)) {
      const from = typeof link['id'] === 'string' ? byId.get(link['id']) : undefined;
      if (from?.segment === undefined || from.segment === segment || segment.linkedFrom.includes(from)) continue;
      segment.linkedFrom.push(from);
      from.linked.push(segment);
    }
  }
  for (const ref of byId.values()) {
    sortByStart(ref.callees);
    sortByStart(ref.linked);
  }
  sortByStart(segments);
  const roots = segments.filter((segment) => segment.caller === undefined && segment.linkedFrom.length === 0);
  return { segments, byId, roots };
}

/**
 * Depth-first over a segment's subsegments (not into other segments). A stack, not recursion:
 * standalone subsegments naming each other as parents can chain thousands of levels deep.
 */
export function walkSubsegments(ref: EntityRef, visit: (entity: EntityRef, namespacedAbove: boolean) => void, namespacedAbove = false): void {
  const pending: Array<{ readonly child: EntityRef; readonly above: boolean }> = [];
  const push = (parent: EntityRef, above: boolean): void => {
    for (let i = parent.children.length - 1; i >= 0; i--) pending.push({ child: parent.children[i]!, above });
  };
  push(ref, namespacedAbove);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { child, above } = next;
    visit(child, above);
    push(child, above || callNamespaceOf(child.entity.namespace) !== undefined);
  }
}

/**
 * The entity one step up towards the trace's root: the containing entity, or for a segment its
 * caller (or the first entity it links to).
 */
export function upstreamOf(ref: EntityRef): EntityRef | undefined {
  if (!ref.isSegment) return ref.parent;
  return ref.caller ?? ref.linkedFrom[0];
}

function owningSegment(ref: EntityRef, bound: number): EntityRef | undefined {
  let at: EntityRef | undefined = ref;
  // Standalone subsegments could name each other as parents (bad input): the bound cuts a cycle.
  for (let steps = 0; at !== undefined && steps <= bound; steps++) {
    if (at.isSegment) return at;
    at = at.parent;
  }
  return undefined;
}

function isStandalone(document: GraphEntity): boolean {
  return document.type === 'subsegment';
}

function isEntity(value: GraphEntity): boolean {
  return typeof value === 'object' && value !== null && typeof value.id === 'string'
    && typeof value.name === 'string' && typeof value.start_time === 'number';
}

function sortByStart(refs: EntityRef[]): void {
  refs.sort((a, b) => compareEntities(a.entity, b.entity));
}

function compareEntities(a: GraphEntity, b: GraphEntity): number {
  return a.start_time - b.start_time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
