/**
 * The root causes of a TraceSummary: FaultRootCauses, ErrorRootCauses and ResponseTimeRootCauses.
 *
 * Fault (and error) root causes: every deepest faulting (erroring) entity, that is one that
 * faults while nothing downstream of it does (its subsegments, the segments it called, the
 * consumers linked to it), gives one root cause: the path from the trace's root segment down to
 * it, cut into one entry per service. A path that leaves through an AWS or remote call the
 * callee did not answer with its own segment ends with that inferred service. ClientImpacting
 * tells whether the root segment itself faulted (erred).
 *
 * Response time root cause: from the root segment, repeatedly into the longest synchronous child
 * (a subsegment or called segment that lies within its parent's time); Coverage is an entity's
 * time over the root's response time. Computed only for traces at least `responseTimeThreshold`
 * seconds slow.
 */
import { objectField, objectItems, type JsonObject } from '../segments/fields.ts';
import type { NodeId } from './aggregate.ts';
import type { GraphDocument, GraphEntity } from '../model/graph-document.ts';
import type {
  FaultRootCause, FaultRootCauseEntity, ResponseTimeRootCause, ResponseTimeRootCauseEntity, RootCauseException, RootCauseService,
  TraceRootCauses,
} from '../model/trace-summary.ts';
import { buildTraceModel, upstreamOf, type EntityRef, type TraceModel } from './model.ts';
import { brokerOf, inferredNode, isBrokerSegment, isComplete, isError, isFault, isNamespaced, segmentNode } from './naming.ts';

export interface RootCauseOptions {
  /** Seconds of root response time from which a response-time root cause is given. @default 1 */
  readonly responseTimeThreshold?: number;
}

/** Child times may stick out of their parent's by clock rounding; this much is still "within". */
const TOLERANCE_SECONDS = 0.001;

export function rootCausesOfTrace(documents: readonly GraphDocument[], options: RootCauseOptions = {}): TraceRootCauses {
  const model = buildTraceModel(documents);
  const exceptions = exceptionIndex(model);
  return {
    fault: failureRootCauses(model, isFault, exceptions),
    error: failureRootCauses(model, isError, exceptions),
    responseTime: responseTimeRootCauses(model, options.responseTimeThreshold ?? 1),
  };
}

type Predicate = (entity: GraphEntity) => boolean;

function failureRootCauses(model: TraceModel, failed: Predicate, exceptions: ReadonlyMap<string, RootCauseException>): FaultRootCause[] {
  const below = failureBelow(failed);
  const causes: FaultRootCause[] = [];
  const seen = new Set<string>();
  for (const leaf of reachable(model)) {
    if (!failed(leaf.entity) || below(leaf)) continue;
    const path = pathTo(leaf, model.byId.size);
    if (path === undefined) continue;
    const entityOf = (ref: EntityRef): FaultRootCauseEntity => ({
      name: ref.entity.name,
      exceptions: exceptionsOf(ref.entity, exceptions),
      remote: !ref.isSegment && isNamespaced(ref.entity),
    });
    const cause: FaultRootCause = {
      services: servicesOnPath(path, entityOf, (call, node) => ({ name: node.name, exceptions: exceptionsOf(call.entity, exceptions), remote: true })),
      clientImpacting: path[0] !== undefined && failed(path[0].entity),
    };
    const key = JSON.stringify(cause);
    if (!seen.has(key)) {
      seen.add(key);
      causes.push(cause);
    }
  }
  return causes;
}

function responseTimeRootCauses(model: TraceModel, threshold: number): ResponseTimeRootCause[] {
  const root = model.roots[0];
  if (root === undefined || !isComplete(root.entity) || root.entity.end_time === undefined) return [];
  const responseTime = root.entity.end_time - root.entity.start_time;
  if (responseTime < threshold || responseTime <= 0) return [];

  const path: EntityRef[] = [root];
  let at = root;
  for (let steps = 0; steps < model.byId.size; steps++) {
    const next = longestWithin(at);
    if (next === undefined || path.includes(next)) break;
    path.push(next);
    at = next;
  }
  const coverage = (entity: GraphEntity): number =>
    Math.round((((entity.end_time ?? entity.start_time) - entity.start_time) / responseTime) * 1000) / 1000;
  const entityOf = (ref: EntityRef): ResponseTimeRootCauseEntity => ({
    name: ref.entity.name,
    coverage: coverage(ref.entity),
    remote: !ref.isSegment && isNamespaced(ref.entity),
  });
  return [{
    services: servicesOnPath(path, entityOf, (call, node) => ({ name: node.name, coverage: coverage(call.entity), remote: true })),
    clientImpacting: true,
  }];
}

/** The longest complete child or called segment lying within `ref`'s time; ties go to the earliest. */
function longestWithin(ref: EntityRef): EntityRef | undefined {
  const { start_time: start, end_time: end } = ref.entity;
  if (end === undefined) return undefined;
  let best: EntityRef | undefined;
  let bestTime = -1;
  for (const child of [...ref.children, ...ref.callees]) {
    const { entity } = child;
    if (!isComplete(entity) || entity.end_time === undefined) continue;
    if (entity.start_time < start - TOLERANCE_SECONDS || entity.end_time > end + TOLERANCE_SECONDS) continue;
    const time = entity.end_time - entity.start_time;
    if (time > bestTime || (time === bestTime && best !== undefined && entity.start_time < best.entity.start_time)) {
      best = child;
      bestTime = time;
    }
  }
  return best;
}

/**
 * Cuts a root-to-leaf path into services: one entry per segment crossed, an inferred entry for an
 * SNS topic or SQS queue the path passes through, and one for an uninstrumented callee at the end.
 */
function servicesOnPath<Entity>(
  path: readonly EntityRef[],
  entityOf: (ref: EntityRef) => Entity,
  inferredEntity: (call: EntityRef, node: NodeId) => Entity,
): Array<RootCauseService<Entity>> {
  const services: Array<{ service: NodeId; entityPath: Entity[]; inferred: boolean }> = [];
  const inferred = (call: EntityRef): void => {
    const node = inferredNode(call.entity);
    services.push({ service: serviceOf(node), entityPath: [inferredEntity(call, node)], inferred: true });
  };
  let current: { service: NodeId; entityPath: Entity[]; inferred: boolean } | undefined;
  let segment: EntityRef | undefined;
  path.forEach((ref, index) => {
    if (ref.segment !== segment) {
      const previous = path[index - 1];
      const broker = previous === undefined ? undefined : brokerOf(previous.entity);
      if (previous !== undefined && broker !== undefined && !isBrokerSegment(ref.entity, broker)) inferred(previous);
      segment = ref.segment;
      current = { service: serviceOf(segmentNode((segment ?? ref).entity)), entityPath: [], inferred: false };
      services.push(current);
    }
    current?.entityPath.push(entityOf(ref));
  });
  const leaf = path[path.length - 1];
  if (leaf !== undefined && !leaf.isSegment && isNamespaced(leaf.entity) && leaf.callees.length === 0) inferred(leaf);
  return services;
}

/** Name, type and account alone: the node may carry more. */
function serviceOf(node: NodeId): NodeId {
  return { name: node.name, type: node.type, accountId: node.accountId };
}

/** From the trace's root down to `leaf`; undefined when the way up loops (bad input). */
function pathTo(leaf: EntityRef, bound: number): EntityRef[] | undefined {
  const path: EntityRef[] = [];
  const seen = new Set<EntityRef>();
  for (let at: EntityRef | undefined = leaf; at !== undefined; at = upstreamOf(at)) {
    if (seen.has(at) || path.length > bound) return undefined;
    seen.add(at);
    path.push(at);
  }
  const root = path[path.length - 1];
  return root?.isSegment === true ? path.reverse() : undefined;
}

function downstream(ref: EntityRef): EntityRef[] {
  return [...ref.children, ...ref.callees, ...ref.linked];
}

/** Whether anything downstream of an entity failed; memoized, cycles cut. */
function failureBelow(failed: Predicate): (ref: EntityRef) => boolean {
  const memo = new Map<EntityRef, boolean>();
  const visiting = new Set<EntityRef>();
  const below = (ref: EntityRef): boolean => {
    const known = memo.get(ref);
    if (known !== undefined) return known;
    if (visiting.has(ref)) return false;
    visiting.add(ref);
    const result = downstream(ref).some((next) => failed(next.entity) || below(next));
    visiting.delete(ref);
    memo.set(ref, result);
    return result;
  };
  return below;
}

/** Every entity reachable from the roots, depth first, in start-time order. */
function reachable(model: TraceModel): EntityRef[] {
  const order: EntityRef[] = [];
  const seen = new Set<EntityRef>();
  const stack = [...model.roots].reverse();
  while (stack.length > 0) {
    const ref = stack.pop();
    if (ref === undefined || seen.has(ref)) continue;
    seen.add(ref);
    order.push(ref);
    stack.push(...downstream(ref).reverse());
  }
  return order;
}

function exceptionIndex(model: TraceModel): Map<string, RootCauseException> {
  const index = new Map<string, RootCauseException>();
  for (const ref of model.byId.values()) {
    for (const exception of objectItems(objectField(ref.entity.cause)?.['exceptions'])) {
      if (typeof exception.id === 'string' && !index.has(exception.id)) index.set(exception.id, exceptionOf(exception));
    }
  }
  return index;
}

function exceptionsOf(entity: GraphEntity, index: ReadonlyMap<string, RootCauseException>): RootCauseException[] {
  const cause = entity.cause;
  if (typeof cause === 'string') {
    const found = index.get(cause);
    return found === undefined ? [] : [found];
  }
  return objectItems(objectField(cause)?.['exceptions']).map(exceptionOf);
}

function exceptionOf(exception: JsonObject): RootCauseException {
  return {
    name: typeof exception['type'] === 'string' ? exception['type'] : undefined,
    message: typeof exception['message'] === 'string' ? exception['message'] : undefined,
  };
}
