/**
 * An objective's attainment over its rolling window, from the service graph's node statistics (the
 * same counts the map shows): availability counts a request good unless it faulted; latency counts
 * it good when its response time is within the threshold (read from the node's response-time
 * histogram). The error budget is the share of requests the goal allows to be bad; burn is the
 * share of that budget the bad requests used (over 1 once it is spent).
 */
import type { GraphService } from '../model/graph.ts';
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

export function attainment(slo: ServiceLevelObjective, services: readonly GraphService[]): Attainment {
  const cell = services.find(({ cell: { node } }) => node.name === slo.serviceName && (slo.serviceType === undefined || node.type === slo.serviceType))?.cell;
  // As the map counts a node's requests: ok, errors (throttles included) and faults.
  const total = cell === undefined ? 0 : cell.ok + cell.errorOther + cell.throttle + cell.fault;
  let bad: number;
  if (slo.kind === 'availability') {
    bad = cell?.fault ?? 0;
  } else {
    const thresholdSeconds = (slo.latencyThresholdMs ?? 0) / 1000;
    bad = [...(cell?.responseTime ?? [])].filter(([valueSeconds]) => valueSeconds > thresholdSeconds).reduce((sum, [, count]) => sum + count, 0);
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
