/**
 * PutTelemetryRecords (`POST /TelemetryRecords`) in AWS's shape, and `POST /local/TelemetrySummaries`,
 * a local extension (no AWS operation reads telemetry back) that the console's Sampling page shows.
 */
import { invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { describe, optionalString, requiredField, requiredObjectArray } from '../http/json-fields.ts';
import type { Router } from '../http/router.ts';
import {
  CONNECTION_ERROR_COUNTS, TELEMETRY_COUNTS, type Telemetry, type TelemetryClient, type TelemetryRecord, type TelemetrySummary,
} from '../telemetry/telemetry.ts';

/** The local extension's path; not an AWS operation. */
export const TELEMETRY_SUMMARIES_PATH = '/local/TelemetrySummaries';
const LIMITS = { EC2InstanceId: 20, Hostname: 255, ResourceARN: 500 } as const;

function client(body: JsonObject): TelemetryClient {
  const fields = Object.fromEntries(Object.entries(LIMITS).map(([field, max]) => {
    const value = optionalString(body, field);
    if (value !== undefined && value.length > max) throw invalidRequest(`${field} must be at most ${max} characters long, got ${value.length}`);
    return [field, value];
  }));
  return { resourceArn: fields.ResourceARN, ec2InstanceId: fields.EC2InstanceId, hostname: fields.Hostname };
}

function counts<K extends string>(object: JsonObject, keys: ReadonlyArray<K>, prefix: string): Partial<Record<K, number>> {
  const result: Partial<Record<K, number>> = {};
  for (const key of keys) {
    const value = object[key];
    if (value === undefined || value === null) continue;
    // Integers in AWS's model; a count below zero means nothing.
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalidRequest(`${prefix}${key} must be a whole number of at least 0, got ${describe(value)}`);
    result[key] = value;
  }
  return result;
}

function record(item: JsonObject, index: number): TelemetryRecord {
  const prefix = `TelemetryRecords[${index}].`;
  const timestamp = requiredField(item, 'Timestamp', prefix);
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0) {
    throw invalidRequest(`${prefix}Timestamp must be a timestamp in epoch seconds, got ${describe(timestamp)}`);
  }
  const errors = item.BackendConnectionErrors;
  if (errors !== undefined && errors !== null && (typeof errors !== 'object' || Array.isArray(errors))) {
    throw invalidRequest(`${prefix}BackendConnectionErrors must be an object, got ${describe(errors)}`);
  }
  return {
    timestamp,
    counts: counts(item, TELEMETRY_COUNTS, prefix),
    connectionErrors: errors ? counts(errors as JsonObject, CONNECTION_ERROR_COUNTS, `${prefix}BackendConnectionErrors.`) : {},
  };
}

export function telemetrySummaryJson(summary: TelemetrySummary): Record<string, unknown> {
  const { client: who } = summary;
  return {
    ...(who.resourceArn === undefined ? {} : { ResourceARN: who.resourceArn }),
    ...(who.ec2InstanceId === undefined ? {} : { EC2InstanceId: who.ec2InstanceId }),
    ...(who.hostname === undefined ? {} : { Hostname: who.hostname }),
    RecordCount: summary.recordCount,
    ...summary.totals,
    BackendConnectionErrors: summary.connectionErrors,
    LastRecordTime: summary.lastRecordTime,
    LastReportTime: summary.lastReportTime,
  };
}

export function addTelemetryRoutes(router: Router, telemetry: Telemetry): Router {
  return router
    .postJson('/TelemetryRecords', (body) => {
      const records = requiredObjectArray(body, 'TelemetryRecords').map(record);
      telemetry.record(client(body), records);
      return {};
    })
    .postJson(TELEMETRY_SUMMARIES_PATH, () => ({ TelemetrySummaries: telemetry.summaries().map(telemetrySummaryJson) }));
}
