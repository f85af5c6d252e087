/**
 * Which service a segment or subsegment stands for in a TraceSummary's ServiceIds. The names and
 * types come from the service map's own rules (graph/naming.ts), so a trace's summary and the map
 * name every node alike: a segment is its own service (name, origin as type); an AWS SDK call
 * (`namespace: "aws"`) is an inferred service named after its resource (table, queue, topic name
 * with type `AWS::SNS`, bucket, function); an uninstrumented downstream call (`namespace:
 * "remote"`) is a `remote` service named after the URL's host.
 *
 * When a call infers a service follows the map too: only the outermost namespaced subsegment of a
 * call counts (the caller passes `namespacedAbove`), and a remote call marked `traced` infers
 * nothing, since the callee sends a segment of its own.
 */
import { inferredNode, isNamespaced, segmentNode } from '../graph/naming.ts';
import type { EntityFields, SegmentDocument, SubsegmentFields } from '../model/segment-document.ts';
import { httpRequestOf } from '../segments/fields.ts';
import type { ServiceId } from '../model/trace-summary.ts';

export interface ServiceRef {
  readonly name: string;
  /** e.g. `AWS::Lambda::Function`; undefined for a segment without `origin`. */
  readonly type: string | undefined;
  readonly accountId: string | undefined;
  /** True when X-Ray infers the node from a caller's subsegment rather than the service's own segment. */
  readonly inferred: boolean;
}

export type { ServiceId } from '../model/trace-summary.ts';

export function segmentService(doc: SegmentDocument): ServiceRef {
  const node = segmentNode(doc);
  return { name: node.name, type: node.type, accountId: node.accountId, inferred: false };
}

export function inferredService(entity: EntityFields, namespacedAbove = false): ServiceRef | undefined {
  const sub = entity as SubsegmentFields;
  if (namespacedAbove || !isNamespaced(sub)) return undefined;
  if (sub.namespace === 'remote' && httpRequestOf(sub.http)?.['traced'] === true) return undefined;
  const node = inferredNode(sub);
  return { name: node.name, type: node.type, accountId: node.accountId, inferred: true };
}

export function serviceKey(service: ServiceRef): string {
  return `${service.name}\u0000${service.type ?? ''}\u0000${service.accountId ?? ''}`;
}

/** The service as a summary names it: without whether it was inferred. */
export function toServiceId(service: ServiceRef): ServiceId {
  return { name: service.name, type: service.type, accountId: service.accountId };
}
