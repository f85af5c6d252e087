/**
 * The inferred segments X-Ray adds to a trace for downstream calls whose callee sent no segment of
 * its own (developer guide, "Getting data from X-Ray": "X-Ray uses the information in the subsegment
 * to create an inferred segment to represent the DynamoDB resource ... and adds it to the trace
 * document"). BatchGetTraces returns them beside the segments that were sent, so that clients
 * drawing their own view of a trace (the AWS console, Grafana) find the nodes the service map has.
 *
 * As in AWS's examples, an inferred segment is built from the caller's `namespace: "aws"` or
 * `"remote"` subsegment: the subsegment's name (for a remote call, the URL's host), start and end
 * times, `http`, `aws` and error, throttle and fault flags; `parent_id` is the subsegment's id,
 * `inferred: true`, and `origin` the resource type the service map gives the node
 * (`AWS::DynamoDB::Table`, `AWS::SNS`, `AWS::SQS::Queue`, ...; none for a remote host). Its id
 * is derived from the trace and the subsegment, so it is the same on every read.
 *
 * Which calls get one follows the service map (graph/calls.ts): an AWS or remote call with no
 * segment answering it, not nested in another such call. An SNS or SQS call gets one unless the
 * broker sent its own segment, even when a consumer's segment names the call as its parent.
 */
import { createHash } from 'node:crypto';
import { callTargets } from '../graph/calls.ts';
import type { GraphDocument, GraphEntity } from '../model/graph-document.ts';
import { buildTraceModel, walkSubsegments, type EntityRef } from '../graph/model.ts';
import { inferredNode, isComplete } from '../graph/naming.ts';

export interface InferredSegment {
  readonly id: string;
  readonly document: string;
}

export function inferredSegments(traceId: string, documents: readonly GraphDocument[]): InferredSegment[] {
  const model = buildTraceModel(documents);
  const inferred: InferredSegment[] = [];
  const seen = new Set<string>();
  for (const segment of model.segments) {
    walkSubsegments(segment, (call, namespacedAbove) => {
      const targets = callTargets(call, namespacedAbove);
      if (!targets.inferred || targets.direct.length > 0 || seen.has(call.entity.id)) return;
      seen.add(call.entity.id);
      inferred.push(inferredSegment(traceId, call));
    });
  }
  return inferred;
}

function inferredSegment(traceId: string, call: EntityRef): InferredSegment {
  const entity: GraphEntity = call.entity;
  const node = inferredNode(entity);
  const id = createHash('sha256').update(`inferred:${traceId}:${entity.id}`).digest('hex').slice(0, 16);
  // Field order as AWS's documents have it.
  const document: Record<string, unknown> = {
    id,
    name: entity.namespace === 'remote' ? node.name : entity.name,
    start_time: entity.start_time,
    ...(isComplete(entity) ? { end_time: entity.end_time } : { in_progress: true }),
    parent_id: entity.id,
    inferred: true,
    ...(entity.http === undefined ? {} : { http: entity.http }),
    ...(entity.aws === undefined ? {} : { aws: entity.aws }),
    ...(entity.error === true ? { error: true } : {}),
    ...(entity.throttle === true ? { throttle: true } : {}),
    ...(entity.fault === true ? { fault: true } : {}),
    trace_id: traceId,
    ...(node.type === 'remote' ? {} : { origin: node.type }),
  };
  return { id, document: JSON.stringify(document) };
}
