/**
 * The X-Ray API's JSON shapes of the parts of a trace summary (ServiceId, annotation value, Http,
 * root causes), member for member in the order AWS lists them. api/trace-summary-json.ts builds
 * the summary from them; traces/packed-summary.ts stores its scalars and root causes in the same shapes.
 */
import type {
  FaultRootCauseEntity, ResponseTimeRootCauseEntity, RootCause, RootCauseException, ServiceId, StoredSummary, TraceHttp,
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

export interface HttpJson {
  HttpURL?: string;
  HttpStatus?: number;
  HttpMethod?: string;
  UserAgent?: string;
  ClientIp?: string;
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

/**
 * The members a summary has as they are, in the API's shape and order (Id to Http). A type, not an
 * interface, so that TraceSummaryJson stays assignable to Record<string, unknown>.
 */
export type SummaryScalarsJson = {
  Id: string;
  StartTime: number;
  Duration: number;
  ResponseTime?: number;
  HasFault: boolean;
  HasError: boolean;
  HasThrottle: boolean;
  IsPartial: boolean;
  Http: HttpJson;
};

export function summaryScalarsJson(summary: StoredSummary): SummaryScalarsJson {
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

export function httpJson(http: TraceHttp): HttpJson {
  const json: HttpJson = {};
  if (http.url !== undefined) json.HttpURL = http.url;
  if (http.status !== undefined) json.HttpStatus = http.status;
  if (http.method !== undefined) json.HttpMethod = http.method;
  if (http.userAgent !== undefined) json.UserAgent = http.userAgent;
  if (http.clientIp !== undefined) json.ClientIp = http.clientIp;
  return json;
}

export function rootCauseJson<Entity, EntityJson>(cause: RootCause<Entity>, entityJson: (entity: Entity) => EntityJson): RootCauseJson<EntityJson> {
  return {
    Services: cause.services.map((service) => ({
      ...serviceIdJson(service.service),
      EntityPath: service.entityPath.map(entityJson),
      Inferred: service.inferred,
    })),
    ClientImpacting: cause.clientImpacting,
  };
}

export function faultEntityJson(entity: FaultRootCauseEntity): FaultRootCauseEntityJson {
  return { Name: entity.name, Exceptions: entity.exceptions.map(exceptionJson), Remote: entity.remote };
}

export function responseTimeEntityJson(entity: ResponseTimeRootCauseEntity): ResponseTimeRootCauseEntityJson {
  return { Name: entity.name, Coverage: entity.coverage, Remote: entity.remote };
}

export function exceptionJson(exception: RootCauseException): RootCauseExceptionJson {
  return {
    ...(exception.name === undefined ? {} : { Name: exception.name }),
    ...(exception.message === undefined ? {} : { Message: exception.message }),
  };
}
