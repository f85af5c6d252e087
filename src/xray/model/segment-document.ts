/**
 * The shape of a segment document once `validateDocument` has accepted it. Validation checks only
 * what X-Ray requires (ids, names, times, the subsegment tree), so only those fields are typed as
 * the developer guide documents them; every other field may hold anything a client sent (the Python
 * SDK's `namespace: "local"`, a `content_length` written as a string) and is typed `unknown`: read
 * it through fields.ts, which returns the documented value or nothing.
 *
 * The field interfaces below (HttpFields, CauseFields, ...) are the documented shapes, for code
 * that writes documents (the OTLP translation).
 */

/** An annotation's value: X-Ray indexes strings, numbers and booleans. */
export type AnnotationValue = string | number | boolean;

export interface HttpRequestFields {
  readonly method?: string;
  readonly url?: string;
  readonly user_agent?: string;
  readonly client_ip?: string;
  readonly x_forwarded_for?: boolean;
  /** Set on a subsegment when the callee is instrumented and sends its own segment. */
  readonly traced?: boolean;
}

export interface HttpResponseFields {
  readonly status?: number;
  readonly content_length?: number;
}

export interface HttpFields {
  readonly request?: HttpRequestFields;
  readonly response?: HttpResponseFields;
}

/** `aws` holds service-specific keys (table_name, queue_url, ec2.instance_id, ...). */
export type AwsFields = Readonly<Record<string, unknown>>;

export interface ExceptionFields {
  readonly id?: string;
  readonly message?: string;
  readonly type?: string;
  readonly remote?: boolean;
  readonly truncated?: number;
  readonly skipped?: number;
  readonly cause?: string;
  readonly stack?: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

export interface CauseFields {
  readonly working_directory?: string;
  readonly paths?: readonly string[];
  readonly exceptions?: readonly ExceptionFields[];
}

/**
 * A span link: an entity this one follows from without being called by it, usually in another
 * trace (a message's producer, a batch's requests). AWS's OpenTelemetry exporter writes them.
 */
export interface LinkFields {
  /** The linked entity's trace, `1-<8 hex>-<24 hex>`. */
  readonly trace_id: string;
  /** The linked segment's or subsegment's id. */
  readonly id: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** Fields common to segments and subsegments. */
export interface EntityFields {
  readonly id: string;
  readonly name: string;
  readonly start_time: number;
  /** A number when present; absent only while in progress. */
  readonly end_time?: number;
  /** In progress only when `true`. */
  readonly in_progress?: unknown;
  readonly trace_id?: string;
  readonly parent_id?: string;
  /** Documented boolean flags: set only when `true`. */
  readonly error?: unknown;
  readonly fault?: unknown;
  readonly throttle?: unknown;
  /** Documented: CauseFields, or the 16-hex id of an exception recorded on another (sub)segment. */
  readonly cause?: unknown;
  /** Documented: HttpFields. */
  readonly http?: unknown;
  /** Documented: AwsFields. */
  readonly aws?: unknown;
  /** Documented: an object of AnnotationValue. */
  readonly annotations?: unknown;
  readonly metadata?: unknown;
  /** Documented: LinkFields[]. */
  readonly links?: unknown;
  readonly subsegments?: readonly SubsegmentFields[];
  readonly [other: string]: unknown;
}

export interface SubsegmentFields extends EntityFields {
  /** `subsegment` on a subsegment sent on its own. */
  readonly type?: unknown;
  /** Documented: `aws` for AWS SDK calls, `remote` for other downstream calls; SDKs also write `local`. */
  readonly namespace?: unknown;
  readonly precursor_ids?: unknown;
}

/** A top-level document: a segment, or a subsegment sent on its own (`type: "subsegment"`). */
export interface SegmentDocument extends SubsegmentFields {
  readonly trace_id: string;
  /** Segments only; documented as text, e.g. `AWS::Lambda::Function`, `AWS::EC2::Instance`. */
  readonly origin?: unknown;
  /** Segments only; documented as text. */
  readonly user?: unknown;
  readonly resource_arn?: unknown;
}

/** A document as the service itself writes one (the OTLP translation): every field as documented. */
export interface WrittenDocument extends SegmentDocument {
  readonly in_progress?: boolean;
  readonly error?: boolean;
  readonly fault?: boolean;
  readonly throttle?: boolean;
  readonly cause?: CauseFields | string;
  readonly http?: HttpFields;
  readonly aws?: AwsFields;
  readonly annotations?: Readonly<Record<string, AnnotationValue>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly links?: readonly LinkFields[];
  readonly type?: 'subsegment';
  readonly namespace?: 'aws' | 'remote';
  readonly origin?: string;
  readonly user?: string;
  readonly resource_arn?: string;
}
