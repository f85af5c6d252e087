import type { Random } from '../tracing/ids.ts';
import { Reservoir } from './reservoir.ts';
import { compareRules, ruleMatches } from './rules.ts';
import type { SamplingRule } from './rules.ts';
import type { SamplingRequest } from './sampler.ts';

/** A rule's target from GetSamplingTargets; what it leaves out keeps its value. */
export interface SamplingTarget {
  readonly ruleName: string;
  readonly fixedRate?: number | undefined;
  readonly reservoirQuota?: number | undefined;
  /** Epoch seconds. */
  readonly reservoirQuotaTtlSeconds?: number | undefined;
  /** Seconds until the rule's statistics are reported again. */
  readonly intervalSeconds?: number | undefined;
}

/** A SamplingStatisticsDocument of GetSamplingTargets, in the API's shape. */
export interface SamplingStatistics {
  readonly RuleName: string;
  readonly ClientID: string;
  /** Epoch seconds. */
  readonly Timestamp: number;
  readonly RequestCount: number;
  readonly SampledCount: number;
  readonly BorrowCount: number;
}

export interface SamplingDecision {
  readonly sampled: boolean;
  /** The rule that decided. */
  readonly ruleName: string;
}

/** Seconds between a rule's reports until a target says otherwise (AWS's answer is 10 too). */
const DEFAULT_REPORT_INTERVAL = 10;

/** A rule as this client uses it: its current rate, its reservoir and what it counted since its last report. */
class ActiveRule {
  rate: number;
  reservoir = new Reservoir();
  requests = 0;
  sampled = 0;
  borrowed = 0;
  reportInterval = DEFAULT_REPORT_INTERVAL;
  /** Epoch seconds; 0: never reported. */
  reportedAt = 0;

  /** Epoch seconds; a rule never reported is due at once. */
  get nextReportAt(): number {
    return this.reportedAt === 0 ? 0 : this.reportedAt + this.reportInterval;
  }

  constructor(readonly rule: SamplingRule) {
    this.rate = rule.fixedRate;
  }

  /**
   * The state of the same rule before a refresh carries over: its counts, and its quota and rate
   * unless the user changed the rule's ReservoirSize or FixedRate, which then apply at once.
   */
  inherit(previous: ActiveRule): void {
    if (previous.rule.reservoirSize === this.rule.reservoirSize) this.reservoir = previous.reservoir;
    if (previous.rule.fixedRate === this.rule.fixedRate) this.rate = previous.rate;
    this.requests = previous.requests;
    this.sampled = previous.sampled;
    this.borrowed = previous.borrowed;
    this.reportInterval = previous.reportInterval;
    this.reportedAt = previous.reportedAt;
  }
}

/**
 * The rules a client holds, in the order they are tried, with each rule's reservoir and statistics:
 * decides requests, reports statistics and takes targets, as the X-Ray SDKs' rule caches do.
 */
export class RuleCache {
  private rules: ActiveRule[] = [];

  constructor(private readonly random: Random) {}

  get size(): number {
    return this.rules.length;
  }

  get names(): string[] {
    return this.rules.map((active) => active.rule.name);
  }

  /** Replaces the rules; a rule of the same name keeps its state (see ActiveRule.inherit). */
  load(rules: readonly SamplingRule[]): void {
    const previous = new Map(this.rules.map((active) => [active.rule.name, active]));
    this.rules = [...rules].sort(compareRules).map((rule) => {
      const active = new ActiveRule(rule);
      const before = previous.get(rule.name);
      if (before !== undefined) active.inherit(before);
      return active;
    });
  }

  /**
   * The first matching rule decides: its reservoir first (a quota, or borrowing one a second), then
   * its FixedRate against the random source. Undefined when no rule matches.
   */
  decide(request: SamplingRequest, nowSeconds: number): SamplingDecision | undefined {
    const active = this.rules.find((candidate) => ruleMatches(candidate.rule, request));
    if (active === undefined) return undefined;
    active.requests += 1;
    const reservoir = active.reservoir.decide(nowSeconds, active.rule.reservoirSize > 0);
    let sampled = true;
    if (reservoir === 'borrow') active.borrowed += 1;
    else if (reservoir === 'take' || this.random() < active.rate) active.sampled += 1;
    else sampled = false;
    return { sampled, ruleName: active.rule.name };
  }

  /**
   * The statistics of the rules due a report that matched requests since their last one, counts
   * reset as they are read (one second's slack for timers that fire a little early).
   */
  statistics(clientId: string, nowSeconds: number): SamplingStatistics[] {
    const due = this.rules.filter((active) => active.requests > 0 && nowSeconds + 1 > active.nextReportAt);
    return due.map((active) => {
      const document: SamplingStatistics = {
        RuleName: active.rule.name,
        ClientID: clientId,
        Timestamp: Math.floor(nowSeconds),
        RequestCount: active.requests,
        SampledCount: active.sampled,
        BorrowCount: active.borrowed,
      };
      active.requests = 0;
      active.sampled = 0;
      active.borrowed = 0;
      active.reportedAt = nowSeconds;
      return document;
    });
  }

  /**
   * Applies the targets to the rules they name (a target's Interval counts from the report it
   * answers); targets of rules not held are ignored.
   */
  applyTargets(targets: readonly SamplingTarget[]): void {
    for (const target of targets) {
      const active = this.rules.find((candidate) => candidate.rule.name === target.ruleName);
      if (active === undefined) continue;
      if (target.fixedRate !== undefined) active.rate = target.fixedRate;
      active.reservoir.assign(target.reservoirQuota, target.reservoirQuotaTtlSeconds);
      if (target.intervalSeconds !== undefined && target.intervalSeconds > 0) active.reportInterval = target.intervalSeconds;
    }
  }
}
