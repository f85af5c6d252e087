/**
 * One trace's contribution to the service graph: the nodes and edges it draws, each with its
 * observations, bucketed by the minute each observation started. See docs/service-graph.md for
 * the rules; in short:
 *
 * - every segment observes its own node; a root segment also observes a client node and the
 *   client -> root edge;
 * - a subsegment whose callee sent its own segment draws caller -> callee from the subsegment;
 *   an AWS or remote call without one draws caller -> inferred node, the subsegment observing both;
 * - a segment whose `parent_id` is a segment (Lambda service -> function) draws parent -> segment,
 *   observed by the parent;
 * - an SNS publish or SQS send keeps its inferred topic or queue node and the consumer hangs below
 *   it (SNS: standard edge; SQS: link edge); a consumer found through `links` is a link edge too.
 */
import { AggregateBuilder, nodeKey, type Aggregate, type EdgeType, type NodeId, type Observation } from './aggregate.ts';
import type { GraphDocument } from '../model/graph-document.ts';
import { buildTraceModel, walkSubsegments, type EntityRef } from './model.ts';
import { callTargets } from './calls.ts';
import { clientNode, inferredNode, isComplete, segmentNode, statusOf } from './naming.ts';

export function contributionOfTrace(documents: readonly GraphDocument[]): Aggregate {
  const model = buildTraceModel(documents);
  const builder = new AggregateBuilder();
  const roots = new Set(model.roots);
  const downstreamEnd = latestEnds();

  for (const segment of model.segments) {
    const node = segmentNode(segment.entity);
    const own = observe(segment, { duration: spanTo(segment, downstreamEnd(segment)), real: true, root: roots.has(segment) });
    builder.node(node, own);
    if (roots.has(segment)) {
      const client = clientNode(segment.entity);
      builder.node(client, { ...own, real: false, root: false });
      builder.edge(client, node, 'standard', own);
    }
    // Lambda: the function's segment names the Lambda service's segment as its parent.
    const seen = new Set<string>();
    for (const callee of segment.callees) {
      const target = segmentNode(callee.entity);
      if (markSeen(seen, target)) builder.edge(node, target, 'standard', observe(segment));
    }
    for (const consumer of segment.linked) {
      builder.edge(node, segmentNode(consumer.entity), 'link', observe(consumer, { age: consumer.entity.start_time - segment.entity.start_time }));
    }
    walkSubsegments(segment, (call, namespacedAbove) => addCall(builder, node, call, namespacedAbove));
  }
  return builder.build();
}

function addCall(builder: AggregateBuilder, caller: NodeId, call: EntityRef, namespacedAbove: boolean): void {
  const { broker, direct, brokered, inferred } = callTargets(call, namespacedAbove);

  const observation = observe(call);
  const seen = new Set<string>();
  for (const callee of direct) {
    const target = segmentNode(callee.entity);
    if (markSeen(seen, target)) builder.edge(caller, target, 'standard', observation);
  }
  if (broker === undefined) {
    for (const consumer of call.linked) {
      builder.edge(caller, segmentNode(consumer.entity), 'link', observe(consumer, { age: consumer.entity.start_time - call.entity.start_time }));
    }
  }
  if (!inferred) return;

  const node = inferredNode(call.entity);
  builder.node(node, { ...observation, duration: responseOf(call) });
  builder.edge(caller, node, 'standard', observation);
  for (const { callee, linked } of brokered) {
    const edgeType: EdgeType = broker === 'sqs' || linked ? 'link' : 'standard';
    builder.edge(node, segmentNode(callee.entity), edgeType, observe(callee, { age: callee.entity.start_time - call.entity.start_time }));
  }
}

function observe(ref: EntityRef, extra: Partial<Observation> = {}): Observation {
  const { entity } = ref;
  const complete = isComplete(entity);
  return {
    start: entity.start_time,
    end: complete ? entity.end_time : undefined,
    status: statusOf(entity),
    ...extra,
  };
}

function responseOf(ref: EntityRef): number | undefined {
  const { entity } = ref;
  return isComplete(entity) && entity.end_time !== undefined ? entity.end_time - entity.start_time : undefined;
}

function spanTo(ref: EntityRef, end: number): number | undefined {
  return isComplete(ref.entity) ? end - ref.entity.start_time : undefined;
}

function markSeen(seen: Set<string>, node: NodeId): boolean {
  const key = nodeKey(node);
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/**
 * The latest end among a segment's own subsegments and, transitively, the segments it called:
 * the "duration" of the request as this service saw it, downstream work included.
 */
function latestEnds(): (segment: EntityRef) => number {
  const memo = new Map<EntityRef, number>();
  const visiting = new Set<EntityRef>();
  const endOf = (ref: EntityRef): number => {
    const { entity } = ref;
    return isComplete(entity) && entity.end_time !== undefined ? entity.end_time : entity.start_time;
  };
  interface Frame { readonly segment: EntityRef; end: number; readonly callees: EntityRef[]; next: number }
  const enter = (segment: EntityRef): Frame => {
    visiting.add(segment);
    const frame: Frame = { segment, end: endOf(segment), callees: [], next: 0 };
    const visit = (ref: EntityRef): void => {
      frame.end = Math.max(frame.end, endOf(ref));
      frame.callees.push(...ref.callees);
    };
    visit(segment);
    walkSubsegments(segment, visit);
    return frame;
  };
  // Depth first over callees with a stack of frames, not recursion: a chain of segments, each
  // naming the one before as its parent, can be thousands long.
  const latest = (start: EntityRef): number => {
    const known = memo.get(start);
    if (known !== undefined) return known;
    const stack: Frame[] = [enter(start)];
    for (;;) {
      const frame = stack[stack.length - 1]!;
      const callee = frame.callees[frame.next++];
      if (callee !== undefined) {
        const done = memo.get(callee);
        // Callers may form a cycle in bad input; a segment on the current path adds nothing more.
        if (done !== undefined) frame.end = Math.max(frame.end, done);
        else if (visiting.has(callee)) frame.end = Math.max(frame.end, endOf(callee));
        else stack.push(enter(callee));
        continue;
      }
      stack.pop();
      visiting.delete(frame.segment);
      memo.set(frame.segment, frame.end);
      const caller = stack[stack.length - 1];
      if (caller === undefined) return frame.end;
      caller.end = Math.max(caller.end, frame.end);
    }
  };
  return latest;
}
