/**
 * What the evaluator may know of a trace. The store adapts its rows to this shape; the filter
 * language never sees segment documents. Times are seconds. A field the trace does not have is
 * `undefined` (or an empty list), and every comparison on it is false.
 */

export type AnnotationValue = string | number | boolean;

/** A node of the service map as seen in this trace; one per (name, type). */
export interface ServiceView {
  readonly name: string;
  /** `AWS::Lambda::Function`, `AWS::DynamoDB::Table`, `remote`, `client`, ... */
  readonly type: string;
  /** The node of the trace's root segment. */
  readonly root: boolean;
  /** Made up from a caller's subsegment rather than from the service's own segment. */
  readonly inferred: boolean;
  /** Of the node's own segments in this trace: at least one answered 2XX, 4XX, 429, 5XX. */
  readonly ok: boolean;
  readonly error: boolean;
  readonly throttle: boolean;
  readonly fault: boolean;
  /** The longest response time of the node's segments in this trace. */
  readonly responseTime: number | undefined;
}

export interface NodeIdentity {
  readonly name: string;
  readonly type: string;
}

/** A call from one node to another, its statistics taken from the caller's subsegments. */
export interface EdgeView {
  readonly source: NodeIdentity;
  readonly destination: NodeIdentity;
  readonly ok: boolean;
  readonly error: boolean;
  readonly throttle: boolean;
  readonly fault: boolean;
  /** The longest of the calls on this edge in this trace. */
  readonly responseTime: number | undefined;
}

export interface GroupMembership {
  readonly name: string;
  readonly arn: string;
}

export interface RootCauseException {
  readonly name: string;
  readonly message: string | undefined;
}

export interface RootCauseEntity {
  readonly name: string;
  readonly remote: boolean;
  /** Empty for response-time root causes. */
  readonly exceptions: readonly RootCauseException[];
  /** Response-time root causes only: the entity's share of the root segment's response time, 0 to 1. */
  readonly coverage: number | undefined;
}

export interface RootCauseService {
  readonly name: string;
  readonly type: string;
  readonly inferred: boolean;
  /** From the service's entry point down to the entity at fault. */
  readonly entityPath: readonly RootCauseEntity[];
}

/** One root cause, as in TraceSummary's FaultRootCauses, ErrorRootCauses, ResponseTimeRootCauses. */
export interface RootCause {
  readonly services: readonly RootCauseService[];
}

export interface HttpView {
  readonly url: string | undefined;
  readonly method: string | undefined;
  readonly userAgent: string | undefined;
  readonly clientIp: string | undefined;
  readonly status: number | undefined;
}

export interface TraceView {
  readonly id: string;
  /** Of the root segment: end minus start. Undefined while it is in progress. */
  readonly responseTime: number | undefined;
  /** From the earliest start to the latest end of all the trace's segments. */
  readonly duration: number | undefined;
  /** The root segment's request and response. */
  readonly http: HttpView;
  /** The root segment's outcome: 2XX, 4XX, 429, 5XX. */
  readonly ok: boolean;
  readonly error: boolean;
  readonly throttle: boolean;
  readonly fault: boolean;
  /** Some segment is still in progress or never arrived. */
  readonly partial: boolean;
  /** The `user` field of every segment that has one. */
  readonly users: readonly string[];
  readonly availabilityZones: readonly string[];
  readonly instanceIds: readonly string[];
  readonly resourceArns: readonly string[];
  /** Every value recorded under each key, across all segments and subsegments. */
  readonly annotations: ReadonlyMap<string, readonly AnnotationValue[]>;
  readonly services: readonly ServiceView[];
  readonly edges: readonly EdgeView[];
  /** Every group whose filter expression the trace matches, Default included. */
  readonly groups: readonly GroupMembership[];
  readonly rootCauses: {
    readonly fault: readonly RootCause[];
    readonly error: readonly RootCause[];
    readonly responseTime: readonly RootCause[];
  };
}
