/** GetTraceSummaries in the X-Ray API's JSON shape (AWS's names; times in epoch seconds). */

export interface ServiceId {
  readonly Name?: string;
  readonly Names?: readonly string[];
  readonly AccountId?: string;
  readonly Type?: string;
}

/** One of the three members is set. */
export interface AnnotationValue {
  readonly NumberValue?: number;
  readonly BooleanValue?: boolean;
  readonly StringValue?: string;
}

export interface ValueWithServiceIds {
  readonly AnnotationValue?: AnnotationValue;
  readonly ServiceIds?: readonly ServiceId[];
}

export interface Http {
  readonly HttpURL?: string;
  readonly HttpStatus?: number;
  readonly HttpMethod?: string;
  readonly UserAgent?: string;
  readonly ClientIp?: string;
}

export interface TraceUser {
  readonly UserName?: string;
  readonly ServiceIds?: readonly ServiceId[];
}

export interface ResourceARNDetail {
  readonly ARN?: string;
}

export interface InstanceIdDetail {
  readonly Id?: string;
}

export interface AvailabilityZoneDetail {
  readonly Name?: string;
}

export interface RootCauseException {
  readonly Name?: string;
  readonly Message?: string;
}

/** FaultRootCauseEntity and ErrorRootCauseEntity have the same members. */
export interface FaultRootCauseEntity {
  readonly Name?: string;
  readonly Exceptions?: readonly RootCauseException[];
  readonly Remote?: boolean;
}

export type ErrorRootCauseEntity = FaultRootCauseEntity;

export interface ResponseTimeRootCauseEntity {
  readonly Name?: string;
  /** The share of the trace's response time spent in this entity. */
  readonly Coverage?: number;
  readonly Remote?: boolean;
}

/** The services of a root cause path: FaultRootCauseService, ErrorRootCauseService, ResponseTimeRootCauseService. */
export interface RootCauseService<Entity> {
  readonly Name?: string;
  readonly Names?: readonly string[];
  readonly Type?: string;
  readonly AccountId?: string;
  readonly EntityPath?: readonly Entity[];
  readonly Inferred?: boolean;
}

export type FaultRootCauseService = RootCauseService<FaultRootCauseEntity>;
export type ErrorRootCauseService = RootCauseService<ErrorRootCauseEntity>;
export type ResponseTimeRootCauseService = RootCauseService<ResponseTimeRootCauseEntity>;

/** The path of services from the trace's entry to where a fault, an error or the time went. */
export interface RootCause<Entity> {
  readonly Services?: ReadonlyArray<RootCauseService<Entity>>;
  readonly ClientImpacting?: boolean;
}

export type FaultRootCause = RootCause<FaultRootCauseEntity>;
export type ErrorRootCause = RootCause<ErrorRootCauseEntity>;
export type ResponseTimeRootCause = RootCause<ResponseTimeRootCauseEntity>;

export interface TraceSummary {
  readonly Id: string;
  readonly StartTime?: number;
  /** Seconds. */
  readonly Duration?: number;
  /** Seconds. */
  readonly ResponseTime?: number;
  readonly HasFault?: boolean;
  readonly HasError?: boolean;
  readonly HasThrottle?: boolean;
  readonly IsPartial?: boolean;
  readonly Http?: Http;
  readonly Annotations?: Readonly<Record<string, readonly ValueWithServiceIds[]>>;
  readonly Users?: readonly TraceUser[];
  readonly ServiceIds?: readonly ServiceId[];
  readonly ResourceARNs?: readonly ResourceARNDetail[];
  readonly InstanceIds?: readonly InstanceIdDetail[];
  readonly AvailabilityZones?: readonly AvailabilityZoneDetail[];
  readonly EntryPoint?: ServiceId;
  readonly FaultRootCauses?: readonly FaultRootCause[];
  readonly ErrorRootCauses?: readonly ErrorRootCause[];
  readonly ResponseTimeRootCauses?: readonly ResponseTimeRootCause[];
  readonly Revision?: number;
  readonly MatchedEventTime?: number;
}

export interface SamplingStrategy {
  readonly Name?: 'PartialScan' | 'FixedRate';
  /** 0 to 1. */
  readonly Value?: number;
}

export interface GetTraceSummariesRequest {
  readonly StartTime: number;
  readonly EndTime: number;
  readonly TimeRangeType?: 'TraceId' | 'Event' | 'Service';
  readonly Sampling?: boolean;
  readonly SamplingStrategy?: SamplingStrategy;
  readonly FilterExpression?: string;
  readonly NextToken?: string;
}

export interface GetTraceSummariesResult {
  readonly TraceSummaries?: readonly TraceSummary[];
  readonly ApproximateTime?: number;
  readonly TracesProcessedCount?: number;
  readonly NextToken?: string;
}
