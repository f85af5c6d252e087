/**
 * The narrow, read-only view of segment documents that the graph builder reads. The store's
 * parsed documents (`SegmentDocument`) fit it structurally; nothing here depends on the store.
 *
 * Documents may carry their subsegments nested, as standalone documents (`type: "subsegment"`
 * with `parent_id`), or both (a folded copy and the original): ids are deduplicated.
 */

export interface GraphException {
  readonly id?: string;
  readonly message?: string;
  readonly type?: string;
  readonly remote?: boolean;
}

export interface GraphCause {
  readonly exceptions?: readonly GraphException[];
}

export interface GraphHttp {
  readonly request?: { readonly url?: string; readonly traced?: boolean };
  readonly response?: { readonly status?: number };
}

/** A span link as X-Ray documents carry it (e.g. an SQS consumer linked to its producer). */
export interface GraphLink {
  readonly trace_id?: string;
  readonly id?: string;
}

/**
 * A segment or a subsegment, nested or standalone. Only the fields validation guarantees are typed
 * as documented; the others hold whatever a client sent (`namespace: "local"`, a status written as
 * text) and are `unknown`: the graph reads the documented values (GraphHttp, GraphCause, ...) and
 * ignores anything else.
 */
export interface GraphEntity {
  readonly id: string;
  readonly name: string;
  readonly start_time: number;
  readonly end_time?: number;
  /** In progress only when `true`. */
  readonly in_progress?: unknown;
  /** `subsegment` for a standalone subsegment document; absent for segments. */
  readonly type?: unknown;
  readonly parent_id?: string;
  /** Segments only: the AWS resource type, e.g. `AWS::Lambda::Function`. */
  readonly origin?: unknown;
  /** Subsegments only: `aws` for AWS SDK calls, `remote` for other downstream calls. */
  readonly namespace?: unknown;
  readonly error?: unknown;
  readonly fault?: unknown;
  readonly throttle?: unknown;
  /** Documented: a GraphCause, or the 16-hex id of an exception recorded on another (sub)segment. */
  readonly cause?: unknown;
  /** Documented: GraphHttp. */
  readonly http?: unknown;
  /** Documented: an object of service-specific keys. */
  readonly aws?: unknown;
  /** Documented: GraphLink[]. */
  readonly links?: unknown;
  readonly subsegments?: readonly GraphEntity[];
}

/** A top-level document of one trace. */
export type GraphDocument = GraphEntity;
