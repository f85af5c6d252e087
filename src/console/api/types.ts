/**
 * The parts of the X-Ray API's JSON shapes the console reads (AWS's names; times in epoch seconds).
 * Fields the service may leave out are optional.
 */

export interface ErrorStatistics {
  readonly ThrottleCount?: number;
  readonly OtherCount?: number;
  readonly TotalCount?: number;
}

export interface FaultStatistics {
  readonly OtherCount?: number;
  readonly TotalCount?: number;
}

export interface SummaryStatistics {
  readonly OkCount?: number;
  readonly ErrorStatistics?: ErrorStatistics;
  readonly FaultStatistics?: FaultStatistics;
  readonly TotalCount?: number;
  readonly TotalResponseTime?: number;
}

export interface HistogramEntry {
  readonly Value: number;
  readonly Count: number;
}

export interface Edge {
  readonly ReferenceId: number;
  readonly StartTime?: number;
  readonly EndTime?: number;
  readonly SummaryStatistics?: SummaryStatistics;
  readonly ResponseTimeHistogram?: readonly HistogramEntry[];
  readonly EdgeType?: string;
}

export interface Service {
  readonly ReferenceId: number;
  readonly Name?: string;
  readonly Names?: readonly string[];
  readonly Root?: boolean;
  readonly AccountId?: string;
  readonly Type?: string;
  readonly State?: string;
  readonly StartTime?: number;
  readonly EndTime?: number;
  readonly Edges?: readonly Edge[];
  readonly SummaryStatistics?: SummaryStatistics;
  readonly DurationHistogram?: readonly HistogramEntry[];
  readonly ResponseTimeHistogram?: readonly HistogramEntry[];
}

export interface ServiceGraphResponse {
  readonly Services?: readonly Service[];
  readonly StartTime?: number;
  readonly EndTime?: number;
  readonly NextToken?: string;
}

/** One period of GetTimeSeriesServiceStatistics: edge or service statistics, as the selector picked. */
export interface TimeSeriesServiceStatistics {
  /** The period's start. */
  readonly Timestamp?: number;
  readonly EdgeSummaryStatistics?: SummaryStatistics;
  readonly ServiceSummaryStatistics?: SummaryStatistics;
  readonly ResponseTimeHistogram?: readonly HistogramEntry[];
}

export interface TimeSeriesServiceStatisticsResponse {
  readonly TimeSeriesServiceStatistics?: readonly TimeSeriesServiceStatistics[];
  readonly NextToken?: string;
}

export interface ServiceId {
  readonly Name?: string;
  readonly Names?: readonly string[];
  readonly Type?: string;
  readonly AccountId?: string;
}

export interface AnnotationValue {
  readonly StringValue?: string;
  readonly NumberValue?: number;
  readonly BooleanValue?: boolean;
}

export interface ValueWithServiceIds {
  readonly AnnotationValue?: AnnotationValue;
  readonly ServiceIds?: readonly ServiceId[];
}

export interface RootCauseEntity {
  readonly Name?: string;
  readonly Exceptions?: ReadonlyArray<{ readonly Name?: string; readonly Message?: string }>;
  readonly Remote?: boolean;
}

export interface RootCauseService {
  readonly Name?: string;
  readonly Type?: string;
  readonly EntityPath?: readonly RootCauseEntity[];
  readonly Inferred?: boolean;
}

/** The path of services from the trace's entry to where a fault or error started. */
export interface RootCause {
  readonly Services?: readonly RootCauseService[];
  readonly ClientImpacting?: boolean;
}

export interface TraceSummary {
  readonly Id: string;
  readonly StartTime?: number;
  readonly Duration?: number;
  readonly ResponseTime?: number;
  readonly HasFault?: boolean;
  readonly HasError?: boolean;
  readonly HasThrottle?: boolean;
  readonly IsPartial?: boolean;
  readonly Http?: { readonly HttpURL?: string; readonly HttpStatus?: number; readonly HttpMethod?: string; readonly UserAgent?: string; readonly ClientIp?: string };
  readonly Annotations?: Readonly<Record<string, readonly ValueWithServiceIds[]>>;
  readonly ServiceIds?: readonly ServiceId[];
  readonly EntryPoint?: ServiceId;
  readonly FaultRootCauses?: readonly RootCause[];
  readonly ErrorRootCauses?: readonly RootCause[];
}

export interface TraceSummariesResponse {
  readonly TraceSummaries?: readonly TraceSummary[];
  readonly ApproximateTime?: number;
  readonly TracesProcessedCount?: number;
  readonly NextToken?: string;
}

export interface TraceSegment {
  readonly Id: string;
  readonly Document: string;
}

export interface Trace {
  readonly Id: string;
  readonly Duration?: number;
  readonly LimitExceeded?: boolean;
  readonly Segments?: readonly TraceSegment[];
}

export interface BatchGetTracesResponse {
  readonly Traces?: readonly Trace[];
  readonly UnprocessedTraceIds?: readonly string[];
  readonly NextToken?: string;
}

export interface Group {
  readonly GroupName: string;
  readonly GroupARN?: string;
  readonly FilterExpression?: string;
}

export interface GroupsResponse {
  readonly Groups?: readonly Group[];
  readonly NextToken?: string;
}

/** A centralized sampling rule, as GetSamplingRules answers and CreateSamplingRule takes it. */
export interface SamplingRule {
  readonly RuleName?: string;
  readonly RuleARN?: string;
  readonly ResourceARN: string;
  readonly Priority: number;
  readonly FixedRate: number;
  readonly ReservoirSize: number;
  readonly ServiceName: string;
  readonly ServiceType: string;
  readonly Host: string;
  readonly HTTPMethod: string;
  readonly URLPath: string;
  readonly Version: number;
  readonly Attributes?: Readonly<Record<string, string>>;
}

export interface SamplingRuleRecord {
  readonly SamplingRule?: SamplingRule;
  /** Epoch seconds. */
  readonly CreatedAt?: number;
  readonly ModifiedAt?: number;
}

export interface SamplingRulesResponse {
  readonly SamplingRuleRecords?: readonly SamplingRuleRecord[];
  readonly NextToken?: string;
}

/** Requests the SDKs and API Gateway saw for a rule in the current reporting window. */
export interface SamplingStatisticSummary {
  readonly RuleName?: string;
  /** Epoch seconds: the start of the window. */
  readonly Timestamp?: number;
  readonly RequestCount?: number;
  readonly BorrowCount?: number;
  readonly SampledCount?: number;
}

export interface SamplingStatisticSummariesResponse {
  readonly SamplingStatisticSummaries?: readonly SamplingStatisticSummary[];
  readonly NextToken?: string;
}

/** What one X-Ray daemon or collector reported through PutTelemetryRecords, added up (a local extension). */
export interface TelemetrySummary {
  readonly ResourceARN?: string;
  readonly EC2InstanceId?: string;
  readonly Hostname?: string;
  readonly RecordCount?: number;
  readonly SegmentsReceivedCount?: number;
  readonly SegmentsSentCount?: number;
  readonly SegmentsSpilloverCount?: number;
  readonly SegmentsRejectedCount?: number;
  readonly BackendConnectionErrors?: Readonly<Record<string, number>>;
  /** Epoch seconds. */
  readonly LastRecordTime?: number;
  readonly LastReportTime?: number;
}

export interface TelemetrySummariesResponse {
  readonly TelemetrySummaries?: readonly TelemetrySummary[];
}
