/**
 * A trace's summary computed from its documents (model/trace-summary.ts; api/ writes it as the X-Ray
 * API's TraceSummary), plus the flat columns a store indexes for time ranges and filter expressions.
 *
 * Semantics, following the API reference:
 * - The root segment is the earliest segment with no parent, or whose parent is not in the trace.
 * - HasFault / HasError: the root segment has `fault` / `error` set or a 5xx / 4xx status.
 *   HasThrottle: any segment or subsegment has `throttle` set or a 429 status.
 * - IsPartial: any document or nested subsegment is in progress, or a document names a
 *   `parent_id` that is not in the trace.
 * - StartTime: the earliest start; Duration: to the latest end (the start of an in-progress
 *   document counts as its latest event); ResponseTime: the root's end minus start.
 * - Http, EntryPoint: from the root. Users, ResourceARNs (`resource_arn`), InstanceIds and
 *   AvailabilityZones (`aws.ec2`): from segments. Annotations from anywhere, attributed to the
 *   segment a subsegment belongs to; at most 50 keys a trace (the X-Ray limit), first come first kept.
 * - ServiceIds: each segment's service and the services its calls infer, named as on the service
 *   map (services.ts); first seen first.
 * - FaultRootCauses, ErrorRootCauses, ResponseTimeRootCauses: as the service map computes them
 *   (graph/root-causes.ts, docs/service-graph.md).
 * - Revision and MatchedEventTime depend on the store and the query; `finishSummary` adds them.
 *
 * (Member names above are the API's; the model's are their camelCase.)
 */
import { isNamespaced } from '../graph/naming.ts';
import { rootCausesOfTrace } from '../graph/root-causes.ts';
import type { AnnotationValue, EntityFields, SegmentDocument } from '../model/segment-document.ts';
import type { AnnotatedValue, ServiceId, StoredSummary, TraceSummary, TraceUser } from '../model/trace-summary.ts';
import { annotationEntries, httpRequestOf, httpStatusOf, objectField, textField } from '../segments/fields.ts';
import { roundSeconds } from './assemble.ts';
import { inferredService, segmentService, serviceKey, toServiceId, type ServiceRef } from './services.ts';
import { buildTree, traceIdEpoch, type ParsedRecord, type TraceTree } from './tree.ts';

export type { StoredSummary, TraceSummary } from '../model/trace-summary.ts';

export const MAX_ANNOTATION_KEYS = 50;

export interface TraceIndex {
  readonly traceId: string;
  /** The epoch seconds inside the trace id. */
  readonly idEpoch: number;
  readonly startTime: number;
  /** The latest event: the latest end, or the start of an in-progress document if later. */
  readonly endTime: number;
  readonly duration: number;
  readonly responseTime: number | undefined;
  readonly hasFault: boolean;
  readonly hasError: boolean;
  readonly hasThrottle: boolean;
  readonly isPartial: boolean;
  readonly httpStatus: number | undefined;
  readonly httpUrl: string | undefined;
  readonly httpMethod: string | undefined;
  readonly httpUserAgent: string | undefined;
  readonly httpClientIp: string | undefined;
  /** The root segment's user, else the first segment's that has one. */
  readonly user: string | undefined;
  readonly annotations: ReadonlyArray<{ readonly key: string; readonly value: AnnotationValue }>;
}

export interface ComputedTrace {
  readonly index: TraceIndex;
  readonly summary: StoredSummary;
}

export function computeTrace(traceId: string, records: readonly ParsedRecord[]): ComputedTrace {
  const tree = buildTree(records);
  const { docs, nodes } = tree;
  let root: SegmentDocument | undefined;
  for (const { record, doc } of docs) {
    if (record.type === 'segment' && (record.parentId === undefined || !nodes.has(record.parentId))) {
      root = doc;
      break;
    }
  }
  const facts = new TraceFacts(textField(root?.user));
  const namespacedAbove = callsAbove(tree);
  // The service of each segment document, computed once; listed in ServiceIds when its turn comes.
  const segmentServices = docs.map(({ record, doc }) => (record.type === 'segment' ? facts.service(segmentService(doc)) : undefined));
  let startTime = Number.POSITIVE_INFINITY;
  let endTime = Number.NEGATIVE_INFINITY;

  for (let at = 0; at < docs.length; at++) {
    const { record, doc } = docs[at]!;
    if (record.startTime < startTime) startTime = record.startTime;
    const latest = record.endTime ?? record.startTime;
    if (latest > endTime) endTime = latest;
    if (record.parentId !== undefined && (nodes.get(record.parentId)?.doc ?? at) === at) facts.isPartial = true;
    const own = segmentServices[at];
    if (own !== undefined) {
      facts.addSegment(doc, own);
    } else {
      facts.addInferred(doc, namespacedAbove(at));
    }
    // Annotations of a subsegment belong to the segment it ends up in.
    facts.addEntity(doc, segmentServices[tree.top[at] ?? at], namespacedAbove(at) || isNamespaced(doc));
  }

  if (docs.length === 0) startTime = endTime = 0;
  // Documented values only: a status or URL of another type is kept in the document, not read.
  const status = httpStatusOf(root?.http);
  const request = httpRequestOf(root?.http);
  const url = textField(request?.['url']);
  const method = textField(request?.['method']);
  const userAgent = textField(request?.['user_agent']);
  const clientIp = textField(request?.['client_ip']);
  const hasFault = root !== undefined && (root.fault === true || (status !== undefined && status >= 500 && status < 600));
  const hasError = root !== undefined && (root.error === true || (status !== undefined && status >= 400 && status < 500));
  const responseTime = root?.end_time !== undefined && root.in_progress !== true
    ? roundSeconds(root.end_time - root.start_time)
    : undefined;
  const duration = roundSeconds(endTime - startTime);

  const annotations = new Map<string, AnnotatedValue[]>();
  const annotationRows: Array<{ key: string; value: AnnotationValue }> = [];
  for (const [key, values] of facts.annotations) {
    const list: AnnotatedValue[] = [];
    for (const { value, owners } of values.values()) {
      list.push({ value, services: [...owners] });
      annotationRows.push({ key, value });
    }
    annotations.set(key, list);
  }
  const users: TraceUser[] = [];
  for (const [name, owners] of facts.users) users.push({ name, services: [...owners] });
  const rootService = root === undefined ? undefined : segmentServices[docs.findIndex((parsed) => parsed.doc === root)];

  const summary: StoredSummary = {
    id: traceId,
    startTime,
    duration,
    responseTime,
    hasFault,
    hasError,
    hasThrottle: facts.hasThrottle,
    isPartial: facts.isPartial,
    http: { url, status, method, userAgent, clientIp },
    annotations,
    users,
    services: [...facts.services],
    resourceArns: [...facts.arns],
    instanceIds: [...facts.instances],
    availabilityZones: [...facts.zones],
    entryPoint: rootService,
    rootCauses: rootCausesOfTrace(docs.map(documentOf)),
  };
  const index: TraceIndex = {
    traceId,
    idEpoch: traceIdEpoch(traceId),
    startTime,
    endTime,
    duration,
    responseTime,
    hasFault,
    hasError,
    hasThrottle: facts.hasThrottle,
    isPartial: facts.isPartial,
    httpStatus: status,
    httpUrl: url,
    httpMethod: method,
    httpUserAgent: userAgent,
    httpClientIp: clientIp,
    user: facts.user,
    annotations: annotationRows,
  };
  return { index, summary };
}

/**
 * What the documents of a trace add up to, gathered in one pass. Methods rather than closures:
 * tsx wraps every function created at run time, which costs more than the work here.
 */
class TraceFacts {
  /** One ServiceId object per service key, shared wherever the service is named, so sets of them dedupe. */
  private readonly byKey = new Map<string, ServiceId>();
  /** The trace's ServiceIds in first-seen order. */
  readonly services = new Set<ServiceId>();
  readonly annotations = new Map<string, Map<string, { value: AnnotationValue; owners: Set<ServiceId> }>>();
  readonly users = new Map<string, Set<ServiceId>>();
  readonly arns = new Set<string>();
  readonly instances = new Set<string>();
  readonly zones = new Set<string>();
  isPartial = false;
  hasThrottle = false;

  constructor(public user: string | undefined) {}

  service(ref: ServiceRef): ServiceId {
    const key = serviceKey(ref);
    let service = this.byKey.get(key);
    if (service === undefined) this.byKey.set(key, (service = toServiceId(ref)));
    return service;
  }

  addSegment(doc: SegmentDocument, own: ServiceId): void {
    this.services.add(own);
    if (typeof doc.resource_arn === 'string' && doc.resource_arn !== '') this.arns.add(doc.resource_arn);
    const ec2 = objectField(objectField(doc.aws)?.['ec2']);
    if (ec2 !== undefined) {
      const { instance_id: instance, availability_zone: zone } = ec2;
      if (typeof instance === 'string' && instance !== '') this.instances.add(instance);
      if (typeof zone === 'string' && zone !== '') this.zones.add(zone);
    }
    const user = textField(doc.user);
    if (user !== undefined) {
      this.user ??= user;
      let owners = this.users.get(user);
      if (owners === undefined) this.users.set(user, (owners = new Set()));
      owners.add(own);
    }
  }

  addInferred(entity: EntityFields, namespacedAbove: boolean): void {
    const inferred = inferredService(entity, namespacedAbove);
    if (inferred !== undefined) this.services.add(this.service(inferred));
  }

  /**
   * The entity and its nested subsegments: flags, inferred services, annotations. `namespaced`:
   * the entity is a namespaced call or lies inside one, so its subsegments infer no service.
   */
  addEntity(entity: EntityFields, owner: ServiceId | undefined, namespaced: boolean): void {
    if (entity.in_progress === true) this.isPartial = true;
    if (entity.throttle === true || httpStatusOf(entity.http) === 429) this.hasThrottle = true;
    for (const [key, value] of annotationEntries(entity.annotations)) this.addAnnotation(key, value, owner);
    const subsegments = entity.subsegments;
    if (subsegments === undefined) return;
    for (const child of subsegments) {
      this.addInferred(child, namespaced);
      this.addEntity(child, owner, namespaced || isNamespaced(child));
    }
  }

  private addAnnotation(key: string, value: AnnotationValue, owner: ServiceId | undefined): void {
    let values = this.annotations.get(key);
    if (values === undefined) {
      if (this.annotations.size >= MAX_ANNOTATION_KEYS) return;
      this.annotations.set(key, (values = new Map()));
    }
    const valueKey = typeof value + ':' + String(value);
    let entry = values.get(valueKey);
    if (entry === undefined) values.set(valueKey, (entry = { value, owners: new Set() }));
    if (owner !== undefined) entry.owners.add(owner);
  }
}

function documentOf(parsed: ParsedRecord): SegmentDocument {
  return parsed.doc;
}

/**
 * For each document, whether the entity it folds into is a namespaced call or lies inside one
 * (nested in its document, or further up through folded standalone subsegments): such a document
 * describes the same call and infers no service of its own.
 */
function callsAbove(tree: TraceTree): (doc: number) => boolean {
  const covered = new Set<EntityFields>();
  const mark = (entity: EntityFields, inside: boolean): void => {
    const namespaced = inside || isNamespaced(entity);
    if (namespaced) covered.add(entity);
    if (entity.subsegments !== undefined) for (const child of entity.subsegments) mark(child, namespaced);
  };
  for (const { doc } of tree.docs) mark(doc, false);
  const memo = new Map<number, boolean>();
  const above = (doc: number, steps: number): boolean => {
    const parent = tree.foldParent[doc];
    if (parent === undefined || steps > tree.docs.length) return false;
    const known = memo.get(doc);
    if (known !== undefined) return known;
    const holder = tree.nodes.get(parent.id)?.doc;
    const result = covered.has(parent) || (holder !== undefined && holder !== doc && above(holder, steps + 1));
    memo.set(doc, result);
    return result;
  };
  return (doc) => above(doc, 0);
}

/** Adds the members that depend on the store (revision) and on the query (matched event time). */
export function finishSummary(stored: StoredSummary, revision: number, matchedEventTime: number | undefined): TraceSummary {
  return { ...stored, revision, matchedEventTime };
}
