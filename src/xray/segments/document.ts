/**
 * The shape of a segment document once `validateDocument` has accepted it (the X-Ray developer
 * guide's "segment documents" schema). Only the fields the service reads are typed; everything
 * else (metadata, sql, service, ...) is carried through untouched.
 */

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
  readonly end_time?: number;
  readonly in_progress?: boolean;
  readonly trace_id?: string;
  readonly parent_id?: string;
  readonly error?: boolean;
  readonly fault?: boolean;
  readonly throttle?: boolean;
  /** An object, or the 16-hex id of an exception recorded on another (sub)segment. */
  readonly cause?: CauseFields | string;
  readonly http?: HttpFields;
  readonly aws?: AwsFields;
  readonly annotations?: Readonly<Record<string, AnnotationValue>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly links?: readonly LinkFields[];
  readonly subsegments?: readonly SubsegmentFields[];
  readonly [other: string]: unknown;
}

export interface SubsegmentFields extends EntityFields {
  readonly type?: 'subsegment';
  /** `aws` for AWS SDK calls, `remote` for other downstream calls. */
  readonly namespace?: 'aws' | 'remote';
  readonly precursor_ids?: readonly string[];
}

/** A top-level document: a segment, or a subsegment sent on its own (`type: "subsegment"`). */
export interface SegmentDocument extends SubsegmentFields {
  readonly trace_id: string;
  /** Segments only; e.g. `AWS::Lambda::Function`, `AWS::EC2::Instance`. */
  readonly origin?: string;
  /** Segments only. */
  readonly user?: string;
  readonly resource_arn?: string;
}
