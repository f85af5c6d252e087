/**
 * The X-Ray API's JSON shapes of a trace summary and its root causes, and the mapping of the typed
 * summary (model/trace-summary.ts) into them, member for member in the order AWS lists them.
 */
import type { AnnotatedValue, StoredSummary, TraceRootCauses, TraceSummary, TraceUser } from '../model/trace-summary.ts';
import { annotationValueJson, faultEntityJson, responseTimeEntityJson, rootCauseJson, serviceIdJson, summaryScalarsJson } from '../summary-json/summary-json-parts.ts';
import type {
  AnnotationValueJson, FaultRootCauseEntityJson, ResponseTimeRootCauseEntityJson, RootCauseJson, ServiceIdJson, SummaryScalarsJson,
} from '../summary-json/summary-json-parts.ts';

export { annotationValueJson, serviceIdJson };
export type {
  AnnotationValueJson, FaultRootCauseEntityJson, HttpJson, ResponseTimeRootCauseEntityJson, RootCauseExceptionJson, RootCauseJson,
  RootCauseServiceJson, ServiceIdJson,
} from '../summary-json/summary-json-parts.ts';

export interface ValueWithServiceIdsJson {
  AnnotationValue: AnnotationValueJson;
  ServiceIds: ServiceIdJson[];
}

export interface TraceUserJson {
  UserName: string;
  ServiceIds: ServiceIdJson[];
}

export type FaultRootCauseJson = RootCauseJson<FaultRootCauseEntityJson>;
export type ErrorRootCauseJson = RootCauseJson<FaultRootCauseEntityJson>;
export type ResponseTimeRootCauseJson = RootCauseJson<ResponseTimeRootCauseEntityJson>;

export interface TraceRootCausesJson {
  FaultRootCauses: FaultRootCauseJson[];
  ErrorRootCauses: ErrorRootCauseJson[];
  ResponseTimeRootCauses: ResponseTimeRootCauseJson[];
}

/** A TraceSummary as GetTraceSummaries lists it. */
export type TraceSummaryJson = SummaryScalarsJson & {
  Annotations: Record<string, ValueWithServiceIdsJson[]>;
  Users: TraceUserJson[];
  ServiceIds: ServiceIdJson[];
  ResourceARNs: Array<{ ARN: string }>;
  InstanceIds: Array<{ Id: string }>;
  AvailabilityZones: Array<{ Name: string }>;
  EntryPoint?: ServiceIdJson;
  FaultRootCauses: FaultRootCauseJson[];
  ErrorRootCauses: ErrorRootCauseJson[];
  ResponseTimeRootCauses: ResponseTimeRootCauseJson[];
  Revision: number;
  MatchedEventTime?: number;
};

/** The summary minus the members that depend on the store and the query. */
export type StoredSummaryJson = Omit<TraceSummaryJson, 'Revision' | 'MatchedEventTime'>;

export function traceSummaryJson(summary: TraceSummary): TraceSummaryJson {
  return {
    ...storedSummaryJson(summary),
    Revision: summary.revision,
    ...(summary.matchedEventTime === undefined ? {} : { MatchedEventTime: summary.matchedEventTime }),
  };
}

export function storedSummaryJson(summary: StoredSummary): StoredSummaryJson {
  return {
    ...summaryScalarsJson(summary),
    Annotations: Object.fromEntries([...summary.annotations].map(([key, values]) => [key, values.map(valueWithServiceIdsJson)])),
    Users: summary.users.map(userJson),
    ServiceIds: summary.services.map(serviceIdJson),
    ResourceARNs: summary.resourceArns.map((ARN) => ({ ARN })),
    InstanceIds: summary.instanceIds.map((Id) => ({ Id })),
    AvailabilityZones: summary.availabilityZones.map((Name) => ({ Name })),
    ...(summary.entryPoint === undefined ? {} : { EntryPoint: serviceIdJson(summary.entryPoint) }),
    ...rootCausesJson(summary.rootCauses),
  };
}

export function rootCausesJson(rootCauses: TraceRootCauses): TraceRootCausesJson {
  return {
    FaultRootCauses: rootCauses.fault.map((cause) => rootCauseJson(cause, faultEntityJson)),
    ErrorRootCauses: rootCauses.error.map((cause) => rootCauseJson(cause, faultEntityJson)),
    ResponseTimeRootCauses: rootCauses.responseTime.map((cause) => rootCauseJson(cause, responseTimeEntityJson)),
  };
}

function valueWithServiceIdsJson(annotated: AnnotatedValue): ValueWithServiceIdsJson {
  return { AnnotationValue: annotationValueJson(annotated.value), ServiceIds: annotated.services.map(serviceIdJson) };
}

function userJson(user: TraceUser): TraceUserJson {
  return { UserName: user.name, ServiceIds: user.services.map(serviceIdJson) };
}
