/**
 * The service map nodes and edges of one trace as the filter language sees them
 * (`service(...) { }`, `edge(...) { }`): one node per (name, type), one edge per (source,
 * destination), with the outcomes and the longest response time of what was observed on each.
 *
 * The nodes and edges are those the service graph draws (graph/contribution.ts, whose rules this
 * walk follows; a test holds the two together), without the `client` node in front of each root
 * and its edge: a client is not a service. Unlike the graph's histograms, response times here are
 * exact (to the microsecond, like a summary's ResponseTime), so `responsetime > 1` inside a block
 * compares the real value.
 */
import type { NodeId, Status } from '../graph/aggregate.ts';
import type { GraphDocument } from '../model/graph-document.ts';
import { buildTraceModel, walkSubsegments, type EntityRef } from '../graph/model.ts';
import { callTargets } from '../graph/calls.ts';
import { inferredNode, isComplete, segmentNode, statusOf } from '../graph/naming.ts';
import type { EdgeView, ServiceView } from '../query/index.ts';
import { roundSeconds } from '../traces/assemble.ts';

export interface TraceNodes {
  readonly services: readonly ServiceView[];
  readonly edges: readonly EdgeView[];
}

interface Outcomes {
  ok: boolean;
  error: boolean;
  throttle: boolean;
  fault: boolean;
  responseTime: number | undefined;
}

interface NodeState extends Outcomes {
  readonly name: string;
  readonly type: string;
  root: boolean;
  real: boolean;
}

interface EdgeState extends Outcomes {
  readonly source: { readonly name: string; readonly type: string };
  readonly destination: { readonly name: string; readonly type: string };
}

/** One segment or call: its outcome and how long it took (undefined while in progress). */
interface Observation {
  readonly status: Status | undefined;
  readonly responseTime: number | undefined;
}

/** A node without a type (a segment without `origin`) has the type "". */
function identity(node: NodeId): { name: string; type: string } {
  return { name: node.name, type: node.type ?? '' };
}

function key(node: { name: string; type: string }): string {
  return `${node.name}\u0000${node.type}`;
}

function observe(ref: EntityRef): Observation {
  const { entity } = ref;
  const complete = isComplete(entity) && entity.end_time !== undefined;
  return { status: statusOf(entity), responseTime: complete ? roundSeconds(Math.max(0, entity.end_time - entity.start_time)) : undefined };
}

function record(into: Outcomes, observation: Observation, timed: boolean): void {
  switch (observation.status) {
    case 'ok': into.ok = true; break;
    // A throttle is also an error, as in the service graph's ErrorStatistics.
    case 'throttle': into.throttle = true; into.error = true; break;
    case 'error': into.error = true; break;
    case 'fault': into.fault = true; break;
    case undefined: return;
  }
  if (timed && observation.responseTime !== undefined && !(into.responseTime !== undefined && into.responseTime >= observation.responseTime)) {
    into.responseTime = observation.responseTime;
  }
}

class Collector {
  private readonly nodes = new Map<string, NodeState>();
  private readonly edges = new Map<string, EdgeState>();

  node(node: NodeId, observation: Observation, flags: { real?: boolean; root?: boolean } = {}): void {
    const id = identity(node);
    let state = this.nodes.get(key(id));
    if (state === undefined) {
      state = { ...id, root: false, real: false, ok: false, error: false, throttle: false, fault: false, responseTime: undefined };
      this.nodes.set(key(id), state);
    }
    if (flags.real === true) state.real = true;
    if (flags.root === true) state.root = true;
    record(state, observation, true);
  }

  edge(source: NodeId, destination: NodeId, link: boolean, observation: Observation): void {
    const from = identity(source);
    const to = identity(destination);
    const edgeKey = `${key(from)}\u0001${key(to)}`;
    let state = this.edges.get(edgeKey);
    if (state === undefined) {
      state = { source: from, destination: to, ok: false, error: false, throttle: false, fault: false, responseTime: undefined };
      this.edges.set(edgeKey, state);
    }
    // A link (a message a consumer received later) has no synchronous response time.
    record(state, observation, !link);
  }

  build(): TraceNodes {
    const services: ServiceView[] = [];
    for (const n of this.nodes.values()) {
      services.push({
        name: n.name, type: n.type, root: n.root, inferred: !n.real,
        ok: n.ok, error: n.error, throttle: n.throttle, fault: n.fault, responseTime: n.responseTime,
      });
    }
    const edges: EdgeView[] = [...this.edges.values()].map((e) => ({
      source: e.source, destination: e.destination,
      ok: e.ok, error: e.error, throttle: e.throttle, fault: e.fault, responseTime: e.responseTime,
    }));
    return { services, edges };
  }
}

export function traceNodes(documents: readonly GraphDocument[]): TraceNodes {
  const model = buildTraceModel(documents);
  const roots = new Set(model.roots);
  const collector = new Collector();
  for (const segment of model.segments) {
    const node = segmentNode(segment.entity);
    collector.node(node, observe(segment), { real: true, root: roots.has(segment) });
    // Lambda: the function's segment names the Lambda service's segment as its parent.
    for (const callee of segment.callees) collector.edge(node, segmentNode(callee.entity), false, observe(segment));
    for (const consumer of segment.linked) collector.edge(node, segmentNode(consumer.entity), true, observe(consumer));
    walkSubsegments(segment, (call, namespacedAbove) => addCall(collector, node, call, namespacedAbove));
  }
  return collector.build();
}

function addCall(collector: Collector, caller: NodeId, call: EntityRef, namespacedAbove: boolean): void {
  const { broker, direct, brokered, inferred } = callTargets(call, namespacedAbove);
  const observation = observe(call);
  for (const callee of direct) collector.edge(caller, segmentNode(callee.entity), false, observation);
  if (broker === undefined) {
    for (const consumer of call.linked) collector.edge(caller, segmentNode(consumer.entity), true, observe(consumer));
  }
  if (!inferred) return;
  const node = inferredNode(call.entity);
  collector.node(node, observation);
  collector.edge(caller, node, false, observation);
  for (const { callee, linked } of brokered) {
    collector.edge(node, segmentNode(callee.entity), broker === 'sqs' || linked, observe(callee));
  }
}
