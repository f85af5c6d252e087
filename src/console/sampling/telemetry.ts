import type { TelemetrySummary } from '../api/types.ts';

/** Who reported: host, instance and resource as the daemon or collector named itself. */
export function clientLabel(summary: TelemetrySummary): string {
  const parts = [summary.Hostname, summary.EC2InstanceId, summary.ResourceARN].filter((part): part is string => part !== undefined && part !== '');
  return parts.length === 0 ? '(unnamed)' : parts.join(' · ');
}

/** Every failure to reach X-Ray the client counted, whatever its kind. */
export function connectionErrorCount(summary: TelemetrySummary): number {
  return Object.values(summary.BackendConnectionErrors ?? {}).reduce((total, count) => total + count, 0);
}

/** Healthy when nothing was rejected, spilled over or failed to send. */
export function healthOf(summary: TelemetrySummary): 'ok' | 'degraded' {
  const losses = (summary.SegmentsRejectedCount ?? 0) + (summary.SegmentsSpilloverCount ?? 0) + connectionErrorCount(summary);
  return losses === 0 ? 'ok' : 'degraded';
}
