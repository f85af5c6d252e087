/**
 * A compact encoding of a `StoredSummary` for the SQLite store's `summary` column, which is
 * rewritten every time a batch touches a trace. The API's shape repeats a ServiceId object in every
 * annotation value, user and the entry point; here each service is listed once and referenced by
 * its index, and empty lists are left out. That halves the bytes serialized and written per
 * update (1.9 KB to about 1 KB for a Lambda trace). `unpackSummary(packSummary(s))` equals `s`.
 *
 * Files written since version 1 hold this text, so it keeps the X-Ray API's member names (the
 * `Packed*` types below spell them out) whatever the model's names are.
 *
 * Encoding (version 1): the scalar members and Http (API names) as they are, then
 *   S: [[Name, Type | null, AccountId | null], ...]   the ServiceIds, in order
 *   A: [[key, [[AnnotationValue, [service index, ...]], ...]], ...]
 *   U: [[UserName, [service index, ...]], ...]
 *   R, I, Z: ResourceARNs, InstanceIds, AvailabilityZones as plain strings
 *   E: the EntryPoint's service index
 *   F, X, T: FaultRootCauses, ErrorRootCauses, ResponseTimeRootCauses in the API's shape, when not empty
 */
import type { AnnotationValue } from '../model/segment-document.ts';
import { annotationValueJson, faultEntityJson, responseTimeEntityJson, rootCauseJson, summaryScalarsJson } from '../summary-json/summary-json-parts.ts';
import type {
  AnnotationValueJson, FaultRootCauseEntityJson, ResponseTimeRootCauseEntityJson, RootCauseJson, SummaryScalarsJson,
} from '../summary-json/summary-json-parts.ts';
import type {
  AnnotatedValue, FaultRootCause, FaultRootCauseEntity, ResponseTimeRootCause, ResponseTimeRootCauseEntity, RootCause, RootCauseException,
  ServiceId, StoredSummary,
} from '../model/trace-summary.ts';

type ServiceTuple = [string, string | null, string | null];

// The parts kept in the API's shape are written by the API's own encoders.
type PackedAnnotationValue = AnnotationValueJson;
type PackedRootCause<Entity> = RootCauseJson<Entity>;
type PackedFaultEntity = FaultRootCauseEntityJson;
type PackedResponseTimeEntity = ResponseTimeRootCauseEntityJson;

interface PackedSummary extends SummaryScalarsJson {
  S?: ServiceTuple[];
  A?: Array<[string, Array<[PackedAnnotationValue, number[]]>]>;
  U?: Array<[string, number[]]>;
  R?: string[];
  I?: string[];
  Z?: string[];
  E?: number;
  F?: Array<PackedRootCause<PackedFaultEntity>>;
  X?: Array<PackedRootCause<PackedFaultEntity>>;
  T?: Array<PackedRootCause<PackedResponseTimeEntity>>;
}

export function packSummary(summary: StoredSummary): string {
  const index = new Map<ServiceId, number>();
  const keyIndex = new Map<string, number>();
  const services: ServiceTuple[] = [];
  for (const service of summary.services) {
    index.set(service, services.length);
    keyIndex.set(serviceKey(service), services.length);
    services.push([service.name, service.type ?? null, service.accountId ?? null]);
  }
  // Services are shared objects when computeTrace built them; compare by content otherwise.
  const ref = (service: ServiceId): number => {
    const at = index.get(service) ?? keyIndex.get(serviceKey(service));
    if (at === undefined) throw new Error(`service ${service.name} is not among the trace's ServiceIds`);
    return at;
  };
  const packed: PackedSummary = {
    ...summaryScalarsJson(summary),
  };
  if (services.length > 0) packed.S = services;
  if (summary.annotations.size > 0) {
    packed.A = [...summary.annotations].map(([key, values]) => [key, values.map((v) => [annotationValueJson(v.value), v.services.map(ref)])]);
  }
  if (summary.users.length > 0) packed.U = summary.users.map((user) => [user.name, user.services.map(ref)]);
  if (summary.resourceArns.length > 0) packed.R = [...summary.resourceArns];
  if (summary.instanceIds.length > 0) packed.I = [...summary.instanceIds];
  if (summary.availabilityZones.length > 0) packed.Z = [...summary.availabilityZones];
  if (summary.entryPoint !== undefined) packed.E = ref(summary.entryPoint);
  const { fault, error, responseTime } = summary.rootCauses;
  if (fault.length > 0) packed.F = fault.map((cause) => rootCauseJson(cause, faultEntityJson));
  if (error.length > 0) packed.X = error.map((cause) => rootCauseJson(cause, faultEntityJson));
  if (responseTime.length > 0) packed.T = responseTime.map((cause) => rootCauseJson(cause, responseTimeEntityJson));
  return JSON.stringify(packed);
}

export function unpackSummary(text: string): StoredSummary {
  const packed = JSON.parse(text) as PackedSummary;
  const services = (packed.S ?? []).map(([name, type, accountId]): ServiceId => ({ name, type: type ?? undefined, accountId: accountId ?? undefined }));
  const deref = (at: number): ServiceId => {
    const service = services[at];
    if (service === undefined) throw new Error(`stored summary of ${packed.Id} refers to service ${at}, which it does not list`);
    return service;
  };
  const http = packed.Http;
  return {
    id: packed.Id,
    startTime: packed.StartTime,
    duration: packed.Duration,
    responseTime: packed.ResponseTime,
    hasFault: packed.HasFault,
    hasError: packed.HasError,
    hasThrottle: packed.HasThrottle,
    isPartial: packed.IsPartial,
    http: { url: http.HttpURL, status: http.HttpStatus, method: http.HttpMethod, userAgent: http.UserAgent, clientIp: http.ClientIp },
    annotations: new Map((packed.A ?? []).map(([key, values]) => [
      key,
      values.map(([value, owners]): AnnotatedValue => ({ value: unpackValue(value), services: owners.map(deref) })),
    ])),
    users: (packed.U ?? []).map(([name, owners]) => ({ name, services: owners.map(deref) })),
    services,
    resourceArns: packed.R ?? [],
    instanceIds: packed.I ?? [],
    availabilityZones: packed.Z ?? [],
    entryPoint: packed.E === undefined ? undefined : deref(packed.E),
    rootCauses: {
      fault: (packed.F ?? []).map((cause): FaultRootCause => unpackRootCause(cause, unpackFaultEntity)),
      error: (packed.X ?? []).map((cause): FaultRootCause => unpackRootCause(cause, unpackFaultEntity)),
      responseTime: (packed.T ?? []).map((cause): ResponseTimeRootCause => unpackRootCause(cause, unpackResponseTimeEntity)),
    },
  };
}

function serviceKey(service: ServiceId): string {
  return `${service.name}\u0000${service.type ?? ''}\u0000${service.accountId ?? ''}`;
}

function unpackValue(packed: PackedAnnotationValue): AnnotationValue {
  const value = packed.StringValue ?? packed.NumberValue ?? packed.BooleanValue;
  if (value === undefined) throw new Error('stored annotation value holds none of StringValue, NumberValue, BooleanValue');
  return value;
}

function unpackRootCause<Packed, Entity>(packed: PackedRootCause<Packed>, unpackEntity: (entity: Packed) => Entity): RootCause<Entity> {
  return {
    services: packed.Services.map((service) => ({
      service: { name: service.Name, type: service.Type, accountId: service.AccountId },
      entityPath: service.EntityPath.map(unpackEntity),
      inferred: service.Inferred,
    })),
    clientImpacting: packed.ClientImpacting,
  };
}

function unpackFaultEntity(packed: PackedFaultEntity): FaultRootCauseEntity {
  return {
    name: packed.Name,
    exceptions: packed.Exceptions.map((exception): RootCauseException => ({ name: exception.Name, message: exception.Message })),
    remote: packed.Remote,
  };
}

function unpackResponseTimeEntity(packed: PackedResponseTimeEntity): ResponseTimeRootCauseEntity {
  return { name: packed.Name, coverage: packed.Coverage, remote: packed.Remote };
}
