/**
 * TraceSummary computed from a trace's documents, in the X-Ray API's JSON shape, plus the flat
 * columns a store indexes for time ranges and (later) filter expressions.
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
 * - The root-cause lists are left empty for now; a later task computes them.
 * - Revision and MatchedEventTime depend on the store and the query; `finishSummary` adds them.
 */
import type { AnnotationValue, EntityFields, SegmentDocument } from '../segments/document.ts';
import { roundSeconds } from './assemble.ts';
import { inferredService, segmentService, serviceKey, toServiceIdJson, type ServiceIdJson, type ServiceRef } from './services.ts';
import { buildTree, traceIdEpoch, walk, type ParsedRecord } from './tree.ts';

export const MAX_ANNOTATION_KEYS = 50;

export interface AnnotationValueJson {
  NumberValue?: number;
  BooleanValue?: boolean;
  StringValue?: string;
}

export interface ValueWithServiceIdsJson {
  AnnotationValue: AnnotationValueJson;
  ServiceIds: ServiceIdJson[];
}

export interface HttpJson {
  HttpURL?: string;
  HttpStatus?: number;
  HttpMethod?: string;
  UserAgent?: string;
  ClientIp?: string;
}

export interface TraceUserJson {
  UserName: string;
  ServiceIds: ServiceIdJson[];
}

// A type alias, not an interface, so it is assignable to the contract's Record<string, unknown>.
export type TraceSummaryJson = {
  Id: string;
  StartTime: number;
  Duration: number;
  ResponseTime?: number;
  HasFault: boolean;
  HasError: boolean;
  HasThrottle: boolean;
  IsPartial: boolean;
  Http: HttpJson;
  Annotations: Record<string, ValueWithServiceIdsJson[]>;
  Users: TraceUserJson[];
  ServiceIds: ServiceIdJson[];
  ResourceARNs: Array<{ ARN: string }>;
  InstanceIds: Array<{ Id: string }>;
  AvailabilityZones: Array<{ Name: string }>;
  EntryPoint?: ServiceIdJson;
  FaultRootCauses: unknown[];
  ErrorRootCauses: unknown[];
  ResponseTimeRootCauses: unknown[];
  Revision: number;
  MatchedEventTime?: number;
};

/** What a store keeps per trace: the summary minus the query-dependent members. */
export type StoredSummaryJson = Omit<TraceSummaryJson, 'Revision' | 'MatchedEventTime'>;

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
  readonly summary: StoredSummaryJson;
}

export function computeTrace(traceId: string, records: readonly ParsedRecord[]): ComputedTrace {
  const tree = buildTree(records);
  const { docs, nodes } = tree;
  const root = docs.find(
    ({ record }) => record.type === 'segment' && (record.parentId === undefined || !nodes.has(record.parentId)),
  )?.doc;

  const services = new Collector<ServiceRef>(serviceKey);
  const annotations = new Map<string, Map<string, { value: AnnotationValue; services: Collector<ServiceRef> }>>();
  const users = new Map<string, Collector<ServiceRef>>();
  const arns = new Set<string>();
  const instances = new Set<string>();
  const zones = new Set<string>();
  let startTime = Number.POSITIVE_INFINITY;
  let endTime = Number.NEGATIVE_INFINITY;
  let isPartial = false;
  let hasThrottle = false;
  let user = root?.user;

  docs.forEach(({ record, doc }, at) => {
    startTime = Math.min(startTime, record.startTime);
    endTime = Math.max(endTime, record.endTime ?? record.startTime);
    if (record.parentId !== undefined && (nodes.get(record.parentId)?.doc ?? at) === at) isPartial = true;

    const top = docs[tree.top[at] ?? at];
    const owner = top?.record.type === 'segment' ? segmentService(top.doc) : undefined;
    if (record.type === 'segment') {
      services.add(segmentService(doc));
      collectSegmentFacts(doc, arns, instances, zones);
      if (doc.user !== undefined) {
        user ??= doc.user;
        getOrSet(users, doc.user, () => new Collector(serviceKey)).add(segmentService(doc));
      }
    }
    const visit = (entity: EntityFields): void => {
      if (entity.in_progress === true) isPartial = true;
      if (entity.throttle === true || entity.http?.response?.status === 429) hasThrottle = true;
      const inferred = entity === doc && record.type === 'segment' ? undefined : inferredService(entity);
      if (inferred !== undefined) services.add(inferred);
      for (const [key, value] of Object.entries(entity.annotations ?? {})) {
        let values = annotations.get(key);
        if (values === undefined) {
          if (annotations.size >= MAX_ANNOTATION_KEYS) continue;
          values = new Map();
          annotations.set(key, values);
        }
        const entry = getOrSet(values, `${typeof value}:${String(value)}`, () => ({ value, services: new Collector(serviceKey) }));
        if (owner !== undefined) entry.services.add(owner);
      }
    };
    visit(doc);
    walk(doc.subsegments, visit);
  });

  if (docs.length === 0) startTime = endTime = 0;
  const status = root?.http?.response?.status;
  const request = root?.http?.request;
  const hasFault = root !== undefined && (root.fault === true || (status !== undefined && status >= 500));
  const hasError = root !== undefined && (root.error === true || (status !== undefined && status >= 400 && status < 500));
  const responseTime = root?.end_time !== undefined && root.in_progress !== true
    ? roundSeconds(root.end_time - root.start_time)
    : undefined;
  const duration = roundSeconds(endTime - startTime);

  const http: HttpJson = {};
  if (request?.url !== undefined) http.HttpURL = request.url;
  if (status !== undefined) http.HttpStatus = status;
  if (request?.method !== undefined) http.HttpMethod = request.method;
  if (request?.user_agent !== undefined) http.UserAgent = request.user_agent;
  if (request?.client_ip !== undefined) http.ClientIp = request.client_ip;

  const summary: StoredSummaryJson = {
    Id: traceId,
    StartTime: startTime,
    Duration: duration,
    ...(responseTime === undefined ? {} : { ResponseTime: responseTime }),
    HasFault: hasFault,
    HasError: hasError,
    HasThrottle: hasThrottle,
    IsPartial: isPartial,
    Http: http,
    Annotations: Object.fromEntries(
      [...annotations].map(([key, values]) => [
        key,
        [...values.values()].map(({ value, services: owners }) => ({
          AnnotationValue: annotationValueJson(value),
          ServiceIds: owners.values().map(toServiceIdJson),
        })),
      ]),
    ),
    Users: [...users].map(([UserName, owners]) => ({ UserName, ServiceIds: owners.values().map(toServiceIdJson) })),
    ServiceIds: services.values().map(toServiceIdJson),
    ResourceARNs: [...arns].map((ARN) => ({ ARN })),
    InstanceIds: [...instances].map((Id) => ({ Id })),
    AvailabilityZones: [...zones].map((Name) => ({ Name })),
    ...(root === undefined ? {} : { EntryPoint: toServiceIdJson(segmentService(root)) }),
    FaultRootCauses: [],
    ErrorRootCauses: [],
    ResponseTimeRootCauses: [],
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
    hasThrottle,
    isPartial,
    httpStatus: status,
    httpUrl: request?.url,
    httpMethod: request?.method,
    httpUserAgent: request?.user_agent,
    httpClientIp: request?.client_ip,
    user,
    annotations: [...annotations].flatMap(([key, values]) => [...values.values()].map(({ value }) => ({ key, value }))),
  };
  return { index, summary };
}

/** Adds the members that depend on the store (revision) and on the query (matched event time). */
export function finishSummary(stored: StoredSummaryJson, revision: number, matchedEventTime: number | undefined): TraceSummaryJson {
  return {
    ...stored,
    Revision: revision,
    ...(matchedEventTime === undefined ? {} : { MatchedEventTime: matchedEventTime }),
  };
}

function collectSegmentFacts(doc: SegmentDocument, arns: Set<string>, instances: Set<string>, zones: Set<string>): void {
  if (typeof doc.resource_arn === 'string' && doc.resource_arn !== '') arns.add(doc.resource_arn);
  const ec2 = doc.aws?.['ec2'];
  if (typeof ec2 === 'object' && ec2 !== null) {
    const { instance_id: instance, availability_zone: zone } = ec2 as Record<string, unknown>;
    if (typeof instance === 'string' && instance !== '') instances.add(instance);
    if (typeof zone === 'string' && zone !== '') zones.add(zone);
  }
}

function annotationValueJson(value: AnnotationValue): AnnotationValueJson {
  if (typeof value === 'number') return { NumberValue: value };
  if (typeof value === 'boolean') return { BooleanValue: value };
  return { StringValue: value };
}

function getOrSet<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Distinct values in first-seen order. */
class Collector<T> {
  private readonly items = new Map<string, T>();
  constructor(private readonly keyOf: (item: T) => string) {}
  add(item: T): void {
    const key = this.keyOf(item);
    if (!this.items.has(key)) this.items.set(key, item);
  }
  values(): T[] {
    return [...this.items.values()];
  }
}
