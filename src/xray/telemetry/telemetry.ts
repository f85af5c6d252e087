/**
 * PutTelemetryRecords: the health counts an X-Ray daemon or collector reports about itself
 * (segments received, sent, spilled over and rejected, and its errors reaching X-Ray), kept per
 * client (resource ARN, instance id and host name as it sends them) and added up, so that a client's
 * health can be shown. AWS keeps them for its own CloudWatch metrics and offers no read operation.
 */
import type { SettingsStore } from '../settings/index.ts';

export const TELEMETRY_COUNTS = [
  'SegmentsReceivedCount', 'SegmentsSentCount', 'SegmentsSpilloverCount', 'SegmentsRejectedCount',
] as const;
export const CONNECTION_ERROR_COUNTS = [
  'TimeoutCount', 'ConnectionRefusedCount', 'HTTPCode4XXCount', 'HTTPCode5XXCount', 'UnknownHostCount', 'OtherCount',
] as const;

export type TelemetryCount = (typeof TELEMETRY_COUNTS)[number];
export type ConnectionErrorCount = (typeof CONNECTION_ERROR_COUNTS)[number];

export interface TelemetryRecord {
  /** Epoch seconds of the period the record covers. */
  readonly timestamp: number;
  readonly counts: Readonly<Partial<Record<TelemetryCount, number>>>;
  readonly connectionErrors: Readonly<Partial<Record<ConnectionErrorCount, number>>>;
}

export interface TelemetryClient {
  readonly resourceArn?: string | undefined;
  readonly ec2InstanceId?: string | undefined;
  readonly hostname?: string | undefined;
}

/** One client's totals since it first reported. */
export interface TelemetrySummary {
  readonly client: TelemetryClient;
  readonly recordCount: number;
  readonly totals: Record<TelemetryCount, number>;
  readonly connectionErrors: Record<ConnectionErrorCount, number>;
  /** The newest record's Timestamp, epoch seconds. */
  readonly lastRecordTime: number;
  /** When the service last received a report from it, epoch seconds. */
  readonly lastReportTime: number;
}

const PREFIX = 'telemetry/';
/** Clients are kept until this many have reported; the one silent longest then makes room. */
export const MAX_TELEMETRY_CLIENTS = 1000;

export class Telemetry {
  constructor(private readonly options: { readonly settings: SettingsStore; readonly nowSeconds: () => number }) {}

  record(client: TelemetryClient, records: ReadonlyArray<TelemetryRecord>): TelemetrySummary {
    const { settings } = this.options;
    const key = PREFIX + JSON.stringify([client.resourceArn ?? '', client.ec2InstanceId ?? '', client.hostname ?? '']);
    return settings.transaction(() => {
      const current = (settings.get(key) as TelemetrySummary | undefined) ?? this.makeRoom(emptySummary(client));
      const next: TelemetrySummary = {
        client: current.client,
        recordCount: current.recordCount + records.length,
        totals: addUp(current.totals, records.map((r) => r.counts), TELEMETRY_COUNTS),
        connectionErrors: addUp(current.connectionErrors, records.map((r) => r.connectionErrors), CONNECTION_ERROR_COUNTS),
        lastRecordTime: Math.max(current.lastRecordTime, ...records.map((r) => r.timestamp)),
        lastReportTime: this.options.nowSeconds(),
      };
      settings.put(key, next);
      return next;
    });
  }

  /** Every client, the one heard from last first. */
  summaries(): TelemetrySummary[] {
    return this.options.settings.list(PREFIX).map((entry) => entry.value as TelemetrySummary).sort((a, b) => b.lastReportTime - a.lastReportTime);
  }

  private makeRoom(summary: TelemetrySummary): TelemetrySummary {
    const entries = this.options.settings.list(PREFIX);
    if (entries.length >= MAX_TELEMETRY_CLIENTS) {
      const oldest = entries.reduce((a, b) => ((a.value as TelemetrySummary).lastReportTime <= (b.value as TelemetrySummary).lastReportTime ? a : b));
      this.options.settings.delete(oldest.key);
    }
    return summary;
  }
}

function emptySummary(client: TelemetryClient): TelemetrySummary {
  return {
    client: { ...client },
    recordCount: 0,
    totals: addUp({}, [], TELEMETRY_COUNTS),
    connectionErrors: addUp({}, [], CONNECTION_ERROR_COUNTS),
    lastRecordTime: 0,
    lastReportTime: 0,
  };
}

function addUp<K extends string>(base: Partial<Record<K, number>>, more: ReadonlyArray<Partial<Record<K, number>>>, keys: ReadonlyArray<K>): Record<K, number> {
  const sum = {} as Record<K, number>;
  for (const key of keys) sum[key] = (base[key] ?? 0) + more.reduce((total, counts) => total + (counts[key] ?? 0), 0);
  return sum;
}
