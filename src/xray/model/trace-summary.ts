/**
 * A trace's summary as the store keeps it and GetTraceSummaries lists it: traces/summary.ts
 * computes it from the documents, api/trace-summary-json.ts writes it in the X-Ray API's shape.
 * Times are epoch seconds with fractions; durations seconds.
 */
import type { NodeId } from './graph.ts';
import type { AnnotationValue } from './segment-document.ts';

/** A service as a summary names it: as on the service map (name, type, account). */
export type ServiceId = NodeId;

/** The root segment's request and response; each member only when the document holds it as documented. */
export interface TraceHttp {
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly userAgent: string | undefined;
  readonly clientIp: string | undefined;
}

/** One value of an annotation key, with the services whose segments recorded it. */
export interface AnnotatedValue {
  readonly value: AnnotationValue;
  readonly services: readonly ServiceId[];
}

export interface TraceUser {
  readonly name: string;
  readonly services: readonly ServiceId[];
}

export interface RootCauseException {
  /** The exception's `type`. */
  readonly name: string | undefined;
  readonly message: string | undefined;
}

export interface FaultRootCauseEntity {
  readonly name: string;
  readonly exceptions: readonly RootCauseException[];
  readonly remote: boolean;
}

export interface ResponseTimeRootCauseEntity {
  readonly name: string;
  /** The entity's share of the root segment's response time, 0 to 1, to three places. */
  readonly coverage: number;
  readonly remote: boolean;
}

export interface RootCauseService<Entity> {
  readonly service: ServiceId;
  /** From the service's entry point down to the entity at cause. */
  readonly entityPath: readonly Entity[];
  /** Inferred from a caller's subsegment (an AWS resource or a remote host). */
  readonly inferred: boolean;
}

export interface RootCause<Entity> {
  readonly services: ReadonlyArray<RootCauseService<Entity>>;
  /** The root segment itself failed (always true for a response time root cause). */
  readonly clientImpacting: boolean;
}

export type FaultRootCause = RootCause<FaultRootCauseEntity>;
export type ResponseTimeRootCause = RootCause<ResponseTimeRootCauseEntity>;

/** What graph/root-causes.ts finds in a trace (docs/service-graph.md). */
export interface TraceRootCauses {
  readonly fault: readonly FaultRootCause[];
  readonly error: readonly FaultRootCause[];
  readonly responseTime: readonly ResponseTimeRootCause[];
}

/** What a store keeps per trace: the summary minus what depends on the store and the query. */
export interface StoredSummary {
  readonly id: string;
  /** The earliest start. */
  readonly startTime: number;
  /** From the earliest start to the latest end. */
  readonly duration: number;
  /** The root segment's end minus start; undefined while it is in progress. */
  readonly responseTime: number | undefined;
  readonly hasFault: boolean;
  readonly hasError: boolean;
  readonly hasThrottle: boolean;
  readonly isPartial: boolean;
  readonly http: TraceHttp;
  /** Key -> its values, keys in first-seen order. */
  readonly annotations: ReadonlyMap<string, readonly AnnotatedValue[]>;
  readonly users: readonly TraceUser[];
  /** In first-seen order. */
  readonly services: readonly ServiceId[];
  readonly resourceArns: readonly string[];
  readonly instanceIds: readonly string[];
  readonly availabilityZones: readonly string[];
  /** The root segment's service. */
  readonly entryPoint: ServiceId | undefined;
  readonly rootCauses: TraceRootCauses;
}

/** A summary as a page of GetTraceSummaries lists it. */
export interface TraceSummary extends StoredSummary {
  /** Bumped by every write to the trace. */
  readonly revision: number;
  /** Event time queries only: when the trace matched. */
  readonly matchedEventTime: number | undefined;
}
