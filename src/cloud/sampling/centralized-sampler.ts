import type { Clock, Random } from '../tracing/ids.ts';
import type { Logger } from '../core/runtime.ts';
import { RuleCache } from './rule-cache.ts';
import { compareRules, parseRuleRecord } from './rules.ts';
import type { SamplingRule } from './rules.ts';
import type { SamplingRequest, Sampler } from './sampler.ts';
import type { SamplingApi } from './sampling-api.ts';

/** Runs a task every so often until cancelled; injected so tests drive the refreshes. */
export interface Scheduler {
  every(intervalMs: number, task: () => void): () => void;
}

/**
 * Rules are read again every 5 s, not every 5 minutes as the SDKs do against AWS: a rule created
 * or changed locally (with the CLI, the console or a template) applies within seconds, and the
 * local API answers such a call in a millisecond.
 */
export const RULES_INTERVAL_MS = 5_000;
/** Statistics are reported and targets fetched every 10 s, as the SDKs do. */
export const TARGETS_INTERVAL_MS = 10_000;

export interface CentralizedSamplerOptions {
  readonly api: SamplingApi;
  /** Epoch milliseconds. @default Date.now */
  readonly clock?: Clock;
  /** The FixedRate draws, and the ClientID when none is given. @default Math.random */
  readonly random?: Random;
  /**
   * The ClientID of the statistics reports, 24 hex digits. The X-Ray service shares a rule's
   * reservoir among the clients that reported in the last ~20 s, so a sampler that replaces another
   * (the local cloud restarted on a reload) keeps its ClientID, or the new one gets what the gone
   * one leaves. @default newSamplingClientId(random)
   */
  readonly clientId?: string;
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
  /** @default timers that do not keep the process alive */
  readonly scheduler?: Scheduler;
  /** @default RULES_INTERVAL_MS */
  readonly rulesIntervalMs?: number;
  /** @default TARGETS_INTERVAL_MS */
  readonly targetsIntervalMs?: number;
}

const timerScheduler: Scheduler = {
  every(intervalMs, task) {
    const timer = setInterval(task, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  },
};

const CLIENT_ID = /^[0-9a-f]{24}$/;

/** 24 hex digits, like the SDKs' ClientID: one per client, the same in every report it makes. */
export function newSamplingClientId(random: Random = Math.random): string {
  let id = '';
  for (let i = 0; i < 24; i += 1) id += Math.floor(random() * 16).toString(16);
  return id;
}

/**
 * Centralized sampling as the X-Ray SDKs do it: rules read from the X-Ray API (GetSamplingRules)
 * and refreshed periodically; each rule's statistics reported with GetSamplingTargets, whose
 * targets set its reservoir quota and rate; a rule changed since it was read (LastRuleModification)
 * is read again at once. Until the rules have been read, and whenever reading them fails, every
 * request is sampled (one warning per outage).
 */
export class CentralizedSampler implements Sampler {
  readonly clientId: string;
  private readonly api: SamplingApi;
  private readonly clock: Clock;
  private readonly logger: Pick<Logger, 'info' | 'warn'>;
  private readonly scheduler: Scheduler;
  private readonly cache: RuleCache;
  private readonly stopping = new AbortController();
  private cancels: Array<() => void> = [];
  /** Whether the rules were read and the last attempt to read them succeeded. */
  private haveRules = false;
  private rulesFailing = false;
  private targetsFailing = false;
  /** Epoch seconds when the rules in use were asked for. */
  private rulesReadAtSeconds = 0;
  private ruleSummary = '';
  private readonly reportedInvalid = new Set<string>();
  private rulesInFlight: Promise<void> | undefined;
  private targetsInFlight: Promise<void> | undefined;

  constructor(private readonly options: CentralizedSamplerOptions) {
    this.api = options.api;
    this.clock = options.clock ?? Date.now;
    const random = options.random ?? Math.random;
    this.clientId = options.clientId ?? newSamplingClientId(random);
    if (!CLIENT_ID.test(this.clientId)) throw new Error(`sampling: ClientID ${JSON.stringify(this.clientId)} is not 24 lowercase hex digits`);
    this.cache = new RuleCache(random);
    this.logger = options.logger ?? { info: (message) => console.log(message), warn: (message) => console.warn(message) };
    this.scheduler = options.scheduler ?? timerScheduler;
  }

  /** Reads the rules once (a failure is logged, not thrown), then refreshes on the intervals. */
  async start(): Promise<void> {
    await this.refreshRules();
    if (this.stopping.signal.aborted) return;
    this.cancels = [
      this.scheduler.every(this.options.rulesIntervalMs ?? RULES_INTERVAL_MS, () => void this.refreshRules()),
      this.scheduler.every(this.options.targetsIntervalMs ?? TARGETS_INTERVAL_MS, () => void this.reportStatistics()),
    ];
  }

  /** Cancels the refreshes and waits for a call in flight to give up. */
  async stop(): Promise<void> {
    for (const cancel of this.cancels.splice(0)) cancel();
    this.stopping.abort();
    await Promise.all([this.rulesInFlight, this.targetsInFlight]);
  }

  shouldSample(request: SamplingRequest): boolean {
    if (!this.haveRules) return true;
    try {
      return this.cache.decide(request, this.clock() / 1000)?.sampled ?? true;
    } catch {
      return true;
    }
  }

  /** Reads the rules now; one call at a time, later callers share the call in flight. */
  refreshRules(): Promise<void> {
    this.rulesInFlight ??= this.readRules().finally(() => {
      this.rulesInFlight = undefined;
    });
    return this.rulesInFlight;
  }

  /** Reports the statistics of the rules due a report and applies the targets answered. */
  reportStatistics(): Promise<void> {
    this.targetsInFlight ??= this.readTargets().finally(() => {
      this.targetsInFlight = undefined;
    });
    return this.targetsInFlight;
  }

  private async readRules(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    // Taken before the call: a rule changed while it is in flight must count as newer.
    const askedAtSeconds = this.clock() / 1000;
    let records: unknown[];
    try {
      records = await this.api.getSamplingRules(this.stopping.signal);
    } catch (error) {
      if (this.stopping.signal.aborted) return;
      this.haveRules = false;
      if (!this.rulesFailing) {
        this.rulesFailing = true;
        this.logger.warn(`sampling: could not read the sampling rules from the X-Ray API at ${this.api.url}: ${(error as Error).message}. ` +
          'Every request is sampled until they can be read (tried again every few seconds).');
      }
      return;
    }
    if (this.stopping.signal.aborted) return;
    const rules = this.usableRules(records);
    this.cache.load(rules);
    this.rulesReadAtSeconds = askedAtSeconds;
    this.haveRules = true;
    // In the order they are tried.
    const summary = [...rules].sort(compareRules).map(describeRule).join(', ');
    if (this.rulesFailing || summary !== this.ruleSummary) {
      this.logger.info(`sampling: ${rules.length} sampling rule${rules.length === 1 ? '' : 's'} from ${this.api.url}` +
        `${this.rulesFailing ? ' (readable again)' : ''}: ${summary === '' ? 'none, every request is sampled' : summary}`);
    }
    this.rulesFailing = false;
    this.ruleSummary = summary;
  }

  private usableRules(records: readonly unknown[]): SamplingRule[] {
    const rules: SamplingRule[] = [];
    for (const record of records) {
      const parsed = parseRuleRecord(record);
      if (!('invalid' in parsed)) {
        rules.push(parsed);
      } else if (!this.reportedInvalid.has(parsed.invalid)) {
        this.reportedInvalid.add(parsed.invalid);
        this.logger.warn(`sampling: ${parsed.invalid}; the rule is not used`);
      }
    }
    return rules;
  }

  private async readTargets(): Promise<void> {
    if (this.stopping.signal.aborted || !this.haveRules) return;
    const statistics = this.cache.statistics(this.clientId, this.clock() / 1000);
    if (statistics.length === 0) return;
    try {
      // The API takes at most 25 documents a call.
      for (let start = 0; start < statistics.length; start += 25) {
        const answer = await this.api.getSamplingTargets(statistics.slice(start, start + 25), this.stopping.signal);
        if (this.stopping.signal.aborted) return;
        this.cache.applyTargets(answer.targets);
        if (answer.lastRuleModification !== undefined && answer.lastRuleModification > this.rulesReadAtSeconds) void this.refreshRules();
      }
      this.targetsFailing = false;
    } catch (error) {
      if (this.stopping.signal.aborted || this.targetsFailing) return;
      this.targetsFailing = true;
      this.logger.warn(`sampling: could not get sampling targets from the X-Ray API at ${this.api.url}: ${(error as Error).message}. ` +
        'The rules keep their last quotas.');
    }
  }
}

function describeRule(rule: SamplingRule): string {
  return `${rule.name} (priority ${rule.priority}, reservoir ${rule.reservoirSize}/s, rate ${rule.fixedRate})`;
}
