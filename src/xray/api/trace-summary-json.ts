/**
 * The X-Ray API's JSON shapes of a trace summary and its root causes, and the mapping of the typed
 * summary (model/trace-summary.ts) into them, member for member in the order AWS lists them.
 */
import type {
  AnnotatedValue, FaultRootCauseEntity, ResponseTimeRootCauseEntity, RootCause, RootCauseException, ServiceId, StoredSummary,
  TraceHttp, TraceRootCauses, TraceSummary, TraceUser,
} from '../model/trace-summary.ts';
import type { AnnotationValue } from '../model/segment-document.ts';

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

export interface RootCauseExceptionJson {
  Name?: string;
  Message?: string;
}

export interface FaultRootCauseEntityJson {
  Name: string;
  Exceptions: RootCauseExceptionJson[];
  Remote: boolean;
}

export interface ResponseTimeRootCauseEntityJson {
  Name: string;
  Coverage: number;
  Remote: boolean;
}

export interface RootCauseServiceJson<Entity> {
  Name: string;
  Names: string[];
  Type?: string;
  AccountId?: string;
  EntityPath: Entity[];
  Inferred: boolean;
}

export interface RootCauseJson<Entity> {
  Services: Array<RootCauseServiceJson<Entity>>;
  ClientImpacting: boolean;
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
    Id: summary.id,
    StartTime: summary.startTime,
    Duration: summary.duration,
    ...(summary.responseTime === undefined ? {} : { ResponseTime: summary.responseTime }),
    HasFault: summary.hasFault,
    HasError: summary.hasError,
    HasThrottle: summary.hasThrottle,
    IsPartial: summary.isPartial,
    Http: httpJson(summary.http),
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

export function serviceIdJson(service: ServiceId): ServiceIdJson {
  const json: ServiceIdJson = { Name: service.name, Names: [service.name] };
  if (service.type !== undefined) json.Type = service.type;
  if (service.accountId !== undefined) json.AccountId = service.accountId;
  return json;
}

export function annotationValueJson(value: AnnotationValue): AnnotationValueJson {
  if (typeof value === 'number') return { NumberValue: value };
  if (typeof value === 'boolean') return { BooleanValue: value };
  return { StringValue: value };
}

function httpJson(http: TraceHttp): HttpJson {
  const json: HttpJson = {};
  if (http.url !== undefined) json.HttpURL = http.url;
  if (http.status !== undefined) json.HttpStatus = http.status;
  if (http.method !== undefined) json.HttpMethod = http.method;
  if (http.userAgent !== undefined) json.UserAgent = http.userAgent;
  if (http.clientIp !== undefined) json.ClientIp = http.clientIp;
  return json;
}

function valueWithServiceIdsJson(annotated: AnnotatedValue): ValueWithServiceIdsJson {
  return { AnnotationValue: annotationValueJson(annotated.value), ServiceIds: annotated.services.map(serviceIdJson) };
}

function userJson(user: TraceUser): TraceUserJson {
  return { UserName: user.name, ServiceIds: user.services.map(serviceIdJson) };
}

function rootCauseJson<Entity, EntityJson>(cause: RootCause<Entity>, entityJson: (entity: Entity) => EntityJson): RootCauseJson<EntityJson> {
  return {
    Services: cause.services.map((service) => ({
      ...serviceIdJson(service.service),
      EntityPath: service.entityPath.map(entityJson),
      Inferred: service.inferred,
    })),
    ClientImpacting: cause.clientImpacting,
  };
}

function faultEntityJson(entity: FaultRootCauseEntity): FaultRootCauseEntityJson {
  return { Name: entity.name, Exceptions: entity.exceptions.map(exceptionJson), Remote: entity.remote };
}

function responseTimeEntityJson(entity: ResponseTimeRootCauseEntity): ResponseTimeRootCauseEntityJson {
  return { Name: entity.name, Coverage: entity.coverage, Remote: entity.remote };
}

function exceptionJson(exception: RootCauseException): RootCauseExceptionJson {
  return {
    ...(exception.name === undefined ? {} : { Name: exception.name }),
    ...(exception.message === undefined ? {} : { Message: exception.message }),
  };
}
