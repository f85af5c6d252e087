/**
 * The DynamoDB stream event source mappings of the templates, each run by a `StreamPoller` in a
 * loop of its own: one batch in flight per shard (ParallelizationFactor 1), woken when its stream
 * gets records, paused after a failed attempt. Checkpoints are in the stream store, so a restart
 * goes on where the last run stopped.
 */
import type { Clock, IdSource, Logger } from '../core/runtime.ts';
import { randomIds, silentLogger, systemClock } from '../core/runtime.ts';
import type { LambdaInvoker } from '../core/types.ts';
import type { StreamMappingConfig } from './mapping-config.ts';
import type { FailureDestinations, RecordFilter, StepOutcome } from './stream-poller.ts';
import { StreamPoller } from './stream-poller.ts';
import type { StreamStore } from './stream-store.ts';

/**
 * Builds a mapping's record filter from its FilterCriteria (Lambda event filtering). The event
 * pattern engine (src/cloud/event-patterns/) plugs in here; without it FilterCriteria is not
 * applied and every record goes to the function (a warning at start says so).
 */
export type RecordFilterFactory = (filterCriteria: unknown) => RecordFilter;

export interface StreamMappingsOptions {
  readonly store: StreamStore;
  readonly lambda: LambdaInvoker;
  readonly destinations: FailureDestinations;
  readonly mappings: readonly StreamMappingConfig[];
  readonly region: string;
  readonly accountId: string;
  readonly filters?: RecordFilterFactory;
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly logger?: Logger;
  /** How long an idle poller waits for a record before it looks again. @default 1000 */
  readonly idlePollMs?: number;
  /** The pause after a failed attempt before the batch is retried. @default 1000 */
  readonly retryDelayMs?: number;
  /** Told of each batch a function ran, with its last record's age (AWS/Lambda IteratorAge). */
  readonly onBatchInvoked?: (functionName: string, iteratorAgeMs: number, nowMs: number) => void;
}

export class StreamEventSourceMappings {
  readonly pollers: readonly StreamPoller[];
  /** What runs differently from the templates: FilterCriteria without the pattern engine. */
  readonly warnings: readonly string[];
  private readonly logger: Logger;
  private controller: AbortController | undefined;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: StreamMappingsOptions) {
    this.logger = options.logger ?? silentLogger;
    const warnings: string[] = [];
    this.pollers = options.mappings.map((config) => {
      let filter: RecordFilter | undefined;
      if (config.filterCriteria !== undefined) {
        if (options.filters === undefined) warnings.push(`event source mapping ${config.where}: FilterCriteria not applied: every record goes to ${config.functionName}`);
        else filter = options.filters(config.filterCriteria);
      }
      return new StreamPoller(config, {
        store: options.store,
        lambda: options.lambda,
        destinations: options.destinations,
        region: options.region,
        accountId: options.accountId,
        clock: options.clock ?? systemClock,
        ids: options.ids ?? randomIds,
        logger: this.logger,
        ...(filter !== undefined ? { filter } : {}),
        ...(options.onBatchInvoked !== undefined ? { onBatchInvoked: options.onBatchInvoked } : {}),
      });
    });
    this.warnings = warnings;
  }

  async start(): Promise<void> {
    if (this.controller) throw new Error('the stream event source mappings are already started');
    const controller = new AbortController();
    this.controller = controller;
    this.loops = this.pollers.map((poller) => this.run(poller, controller.signal));
  }

  /** Stops the loops; a batch already handed to a function finishes first. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await Promise.all(this.loops);
    this.loops = [];
    this.controller = undefined;
  }

  private async run(poller: StreamPoller, signal: AbortSignal): Promise<void> {
    const clock = this.options.clock ?? systemClock;
    while (!signal.aborted) {
      let outcome: StepOutcome;
      try {
        outcome = await poller.step();
      } catch (error) {
        this.logger.warn(`event source mapping ${poller.config.where}: ${(error as Error).message}`);
        outcome = { kind: 'failed' };
      }
      if (outcome.kind === 'progress') continue;
      const idleMs = this.options.idlePollMs ?? 1000;
      const waitMs = outcome.kind === 'failed' ? (this.options.retryDelayMs ?? 1000) : outcome.kind === 'waiting' ? Math.min(idleMs, Math.max(1, outcome.untilMs - clock.nowMs())) : idleMs;
      await this.pause(poller.config.streamArn, waitMs, outcome.kind !== 'failed', signal);
    }
  }

  /** Waits `ms`, or less when the stream gets records (unless retrying) or the loop stops. */
  private pause(streamArn: string, ms: number, wakeOnAppend: boolean, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        unsubscribe();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const unsubscribe = wakeOnAppend ? this.options.store.onAppend((arn) => arn === streamArn && done()) : () => {};
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
