/**
 * A compact encoding of `StoredSummaryJson` for the SQLite store's `summary` column, which is
 * rewritten every time a batch touches a trace. The wire shape repeats a ServiceId object in every
 * annotation value, user and the entry point; here each service is listed once and referenced by
 * its index, and empty lists are left out. That halves the bytes serialized and written per
 * update (1.9 KB to about 1 KB for a Lambda trace). `unpackSummary(packSummary(s))` equals `s`.
 *
 * Encoding (version 1): the scalar members and Http as they are, then
 *   S: [[Name, Type | null, AccountId | null], ...]   the ServiceIds, in order
 *   A: [[key, [[AnnotationValue, [service index, ...]], ...]], ...]
 *   U: [[UserName, [service index, ...]], ...]
 *   R, I, Z: ResourceARNs, InstanceIds, AvailabilityZones as plain strings
 *   E: the EntryPoint's service index
 *   F, X, T: FaultRootCauses, ErrorRootCauses, ResponseTimeRootCauses as they are, when not empty
 */
import type { ServiceIdJson } from './services.ts';
import type { AnnotationValueJson, StoredSummaryJson } from './summary.ts';

type ServiceTuple = [string, string | null, string | null];

interface PackedSummary {
  Id: string;
  StartTime: number;
  Duration: number;
  ResponseTime?: number;
  HasFault: boolean;
  HasError: boolean;
  HasThrottle: boolean;
  IsPartial: boolean;
  Http: StoredSummaryJson['Http'];
  S?: ServiceTuple[];
  A?: Array<[string, Array<[AnnotationValueJson, number[]]>]>;
  U?: Array<[string, number[]]>;
  R?: string[];
  I?: string[];
  Z?: string[];
  E?: number;
  F?: unknown[];
  X?: unknown[];
  T?: unknown[];
}

export function packSummary(summary: StoredSummaryJson): string {
  const index = new Map<ServiceIdJson, number>();
  const keyIndex = new Map<string, number>();
  const services: ServiceTuple[] = [];
  for (const service of summary.ServiceIds) {
    index.set(service, services.length);
    keyIndex.set(serviceKey(service), services.length);
    services.push([service.Name, service.Type ?? null, service.AccountId ?? null]);
  }
  // Services are shared objects when computeTrace built them; compare by content otherwise.
  const ref = (service: ServiceIdJson): number => {
    const at = index.get(service) ?? keyIndex.get(serviceKey(service));
    if (at === undefined) throw new Error(`service ${service.Name} is not among the trace's ServiceIds`);
    return at;
  };
  const packed: PackedSummary = {
    Id: summary.Id,
    StartTime: summary.StartTime,
    Duration: summary.Duration,
    ...(summary.ResponseTime === undefined ? {} : { ResponseTime: summary.ResponseTime }),
    HasFault: summary.HasFault,
    HasError: summary.HasError,
    HasThrottle: summary.HasThrottle,
    IsPartial: summary.IsPartial,
    Http: summary.Http,
  };
  if (services.length > 0) packed.S = services;
  const annotations = Object.entries(summary.Annotations);
  if (annotations.length > 0) {
    packed.A = annotations.map(([key, values]) => [key, values.map((v) => [v.AnnotationValue, v.ServiceIds.map(ref)])]);
  }
  if (summary.Users.length > 0) packed.U = summary.Users.map((user) => [user.UserName, user.ServiceIds.map(ref)]);
  if (summary.ResourceARNs.length > 0) packed.R = summary.ResourceARNs.map((arn) => arn.ARN);
  if (summary.InstanceIds.length > 0) packed.I = summary.InstanceIds.map((instance) => instance.Id);
  if (summary.AvailabilityZones.length > 0) packed.Z = summary.AvailabilityZones.map((zone) => zone.Name);
  if (summary.EntryPoint !== undefined) packed.E = ref(summary.EntryPoint);
  if (summary.FaultRootCauses.length > 0) packed.F = summary.FaultRootCauses;
  if (summary.ErrorRootCauses.length > 0) packed.X = summary.ErrorRootCauses;
  if (summary.ResponseTimeRootCauses.length > 0) packed.T = summary.ResponseTimeRootCauses;
  return JSON.stringify(packed);
}

export function unpackSummary(text: string): StoredSummaryJson {
  const packed = JSON.parse(text) as PackedSummary;
  const services = (packed.S ?? []).map(([Name, Type, AccountId]): ServiceIdJson => {
    const service: ServiceIdJson = { Name, Names: [Name] };
    if (Type !== null) service.Type = Type;
    if (AccountId !== null) service.AccountId = AccountId;
    return service;
  });
  const deref = (at: number): ServiceIdJson => {
    const service = services[at];
    if (service === undefined) throw new Error(`stored summary of ${packed.Id} refers to service ${at}, which it does not list`);
    return { ...service, Names: [...service.Names] };
  };
  return {
    Id: packed.Id,
    StartTime: packed.StartTime,
    Duration: packed.Duration,
    ...(packed.ResponseTime === undefined ? {} : { ResponseTime: packed.ResponseTime }),
    HasFault: packed.HasFault,
    HasError: packed.HasError,
    HasThrottle: packed.HasThrottle,
    IsPartial: packed.IsPartial,
    Http: packed.Http,
    Annotations: Object.fromEntries((packed.A ?? []).map(([key, values]) => [
      key,
      values.map(([AnnotationValue, owners]) => ({ AnnotationValue, ServiceIds: owners.map(deref) })),
    ])),
    Users: (packed.U ?? []).map(([UserName, owners]) => ({ UserName, ServiceIds: owners.map(deref) })),
    ServiceIds: services,
    ResourceARNs: (packed.R ?? []).map((ARN) => ({ ARN })),
    InstanceIds: (packed.I ?? []).map((Id) => ({ Id })),
    AvailabilityZones: (packed.Z ?? []).map((Name) => ({ Name })),
    ...(packed.E === undefined ? {} : { EntryPoint: deref(packed.E) }),
    FaultRootCauses: packed.F ?? [],
    ErrorRootCauses: packed.X ?? [],
    ResponseTimeRootCauses: packed.T ?? [],
  };
}

function serviceKey(service: ServiceIdJson): string {
  return `${service.Name}\u0000${service.Type ?? ''}\u0000${service.AccountId ?? ''}`;
}
