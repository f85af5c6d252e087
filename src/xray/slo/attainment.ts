/**
 * An objective's attainment over its rolling window, from the service graph's node statistics (the
 * same counts the map shows): availability counts a request good unless it faulted; latency counts
 * it good when its response time is within the threshold (read from the node's response-time
 * histogram). The error budget is the share of requests the goal allows to be bad; burn is the
 * share of that budget the bad requests used (over 1 once it is spent).
 */
import type { Service } from '../../common/xray-api/index.ts';
import type { ServiceLevelObjective } from './slo-store.ts';

export interface Attainment {
  readonly totalCount: number;
  readonly goodCount: number;
  /** Percent of good requests; undefined when the window holds no request. */
  readonly attainmentPercent: number | undefined;
  /** Bad requests over the budget the goal allows; 0 with no request. */
  readonly errorBudgetBurn: number;
  readonly met: boolean;
}

export function attainment(slo: ServiceLevelObjective, services: readonly Service[]): Attainment {
  const node = services.find((s) => s.Name === slo.serviceName && (slo.serviceType === undefined || s.Type === slo.serviceType));
  const stats = node?.SummaryStatistics;
  const total = stats?.TotalCount ?? 0;
  let bad: number;
  if (slo.kind === 'availability') {
    bad = stats?.FaultStatistics?.TotalCount ?? 0;
  } else {
    const thresholdSeconds = (slo.latencyThresholdMs ?? 0) / 1000;
    bad = (node?.ResponseTimeHistogram ?? []).filter((entry) => (entry.Value ?? 0) > thresholdSeconds).reduce((sum, entry) => sum + (entry.Count ?? 0), 0);
  }
  bad = Math.min(bad, total);
  const good = total - bad;
  const budget = ((100 - slo.goalPercent) / 100) * total;
  const attainmentPercent = total === 0 ? undefined : (good / total) * 100;
  return {
    totalCount: total,
    goodCount: good,
    attainmentPercent,
    errorBudgetBurn: total === 0 ? 0 : budget === 0 ? (bad === 0 ? 0 : Number.POSITIVE_INFINITY) : bad / budget,
    met: attainmentPercent === undefined || attainmentPercent >= slo.goalPercent,
  };
}
