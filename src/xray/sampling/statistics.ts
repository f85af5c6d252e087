/**
 * What the SDKs report with GetSamplingTargets and what they get back: every client reports each
 * rule's counts every Interval seconds; the answer gives the rule's FixedRate and the client's share
 * of the rule's reservoir. The counts add up per rule in 10-second windows for
 * GetSamplingStatisticSummaries. Kept in memory only, as they describe the last seconds.
 */
import { reservoirQuota } from './reservoir.ts';
import type { SamplingRuleRecord } from './types.ts';

/** Seconds between an SDK's reports, as AWS answers. */
export const TARGET_INTERVAL_SECONDS = 10;
/**
 * How long a client keeps its share after a report, and how long its quota lives: two intervals,
 * so a report late by the SDK's jitter does not shrink the others' shares and grow them back, and a
 * client that stopped gives its share back once its quota expired.
 */
export const CLIENT_TTL_SECONDS = 2 * TARGET_INTERVAL_SECONDS;
/** The window GetSamplingStatisticSummaries adds counts up in. */
export const SUMMARY_WINDOW_SECONDS = 10;

export interface StatisticsReport {
  readonly clientId: string;
  readonly requestCount: number;
  readonly sampledCount: number;
  readonly borrowCount: number;
}

export interface SamplingTarget {
  readonly ruleName: string;
  readonly fixedRate: number;
  readonly reservoirQuota: number;
  /** Epoch seconds. */
  readonly reservoirQuotaTtlSeconds: number;
  readonly intervalSeconds: number;
}

export interface StatisticSummary {
  readonly ruleName: string;
  /** Start of the window, epoch seconds. */
  readonly timestamp: number;
  readonly requestCount: number;
  readonly sampledCount: number;
  readonly borrowCount: number;
}

interface RuleState {
  /** Client id to when it last reported (epoch seconds). */
  readonly clients: Map<string, number>;
  window: Omit<StatisticSummary, 'ruleName'>;
}

export class SamplingStatistics {
  private readonly nowSeconds: () => number;
  private readonly rules = new Map<string, RuleState>();

  constructor(options: { readonly nowSeconds: () => number }) {
    this.nowSeconds = options.nowSeconds;
  }

  /** Records a client's counts for `rule` and hands back its target. */
  report(rule: SamplingRuleRecord, report: StatisticsReport): SamplingTarget {
    const nowSeconds = this.nowSeconds();
    const state = this.stateOf(rule.name, nowSeconds);
    for (const [client, at] of state.clients) if (at <= nowSeconds - CLIENT_TTL_SECONDS) state.clients.delete(client);
    state.clients.set(report.clientId, nowSeconds);
    state.window = {
      ...state.window,
      requestCount: state.window.requestCount + report.requestCount,
      sampledCount: state.window.sampledCount + report.sampledCount,
      borrowCount: state.window.borrowCount + report.borrowCount,
    };
    return {
      ruleName: rule.name,
      fixedRate: rule.fixedRate,
      reservoirQuota: reservoirQuota(rule.reservoirSize, [...state.clients.keys()], report.clientId),
      reservoirQuotaTtlSeconds: nowSeconds + CLIENT_TTL_SECONDS,
      intervalSeconds: TARGET_INTERVAL_SECONDS,
    };
  }

  /**
   * Per rule, the counts of its latest window if that is the current one or the one before: a
   * rule reported every ten seconds always shows its last report, not an empty window just begun.
   */
  summaries(): StatisticSummary[] {
    const recent = windowStart(this.nowSeconds()) - SUMMARY_WINDOW_SECONDS;
    return [...this.rules]
      .filter(([, state]) => state.window.timestamp >= recent)
      .map(([ruleName, state]) => ({ ruleName, ...state.window }));
  }

  /** A deleted rule's clients and counts go with it; a new rule of that name starts afresh. */
  forget(ruleName: string): void {
    this.rules.delete(ruleName);
  }

  private stateOf(ruleName: string, nowSeconds: number): RuleState {
    const start = windowStart(nowSeconds);
    let state = this.rules.get(ruleName);
    if (state === undefined) {
      state = { clients: new Map(), window: emptyWindow(start) };
      this.rules.set(ruleName, state);
    } else if (state.window.timestamp !== start) {
      state.window = emptyWindow(start);
    }
    return state;
  }
}

function windowStart(nowSeconds: number): number {
  return Math.floor(nowSeconds / SUMMARY_WINDOW_SECONDS) * SUMMARY_WINDOW_SECONDS;
}

function emptyWindow(timestamp: number): Omit<StatisticSummary, 'ruleName'> {
  return { timestamp, requestCount: 0, sampledCount: 0, borrowCount: 0 };
}
