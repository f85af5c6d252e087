/**
 * The X-Ray API's JSON shapes the console reads (AWS's names; times in epoch seconds): the shared
 * ones of src/common/xray-api, and the local service's own telemetry summaries.
 */
export type * from '../../common/xray-api/index.ts';

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

/** A CloudWatch Logs line as the console's log routes answer it (`/local/TraceLogLines`, `/local/LogGroups`, `/local/SearchLogs`). */
export interface LogLine {
  readonly Group: string;
  readonly Stream: string;
  readonly TimestampMs: number;
  readonly Message: string;
}

export interface LogSearchResult {
  readonly Lines?: readonly LogLine[];
  readonly More?: boolean;
  readonly Fields?: readonly string[];
  readonly Rows?: ReadonlyArray<Readonly<Record<string, string>>>;
}
