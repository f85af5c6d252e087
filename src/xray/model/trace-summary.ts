/**
 * A trace's summary as the store keeps it and GetTraceSummaries lists it: traces/summary.ts
 * computes it from the documents. Its members keep the X-Ray API's names and epoch-second times
 * because that is the shape stored (packed, traces/packed-summary.ts) and served as is.
 */

/** ServiceId in the X-Ray API's JSON shape (it has no `Inferred` member). */
export interface ServiceIdJson {
  Name: string;
  Names: string[];
  Type?: string;
  AccountId?: string;
}

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

/** A TraceSummary as GetTraceSummaries lists it. */
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
