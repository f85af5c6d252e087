/**
 * The traces written since the last refresh of what is derived from them (summaries, annotation
 * rows, graph aggregates), and when that refresh is due: once the first of them has waited
 * `summaryDelayMillis`, or at once when `maxDirtyTraces` wait. Both stores hold one; a timer
 * (unref'd, so it never keeps a process alive) covers a store that stops receiving writes.
 */

export interface RefreshPolicy {
  /** How long a written trace may wait for its refresh. @default 1000 */
  readonly summaryDelayMillis?: number;
  /** Refresh at once when this many traces wait. @default 20000 */
  readonly maxDirtyTraces?: number;
  /** Epoch milliseconds, for what a write compares with `summaryDelayMillis` (the timer runs on real time). @default Date.now */
  readonly nowMs?: () => number;
}

/**
 * A trace of the pattern arrives over about a second (its SQS consumer starts a second after the
 * send): waiting that long summarizes it about twice, where a refresh every document would do it
 * once per document. Reads never wait: they refresh first.
 */
export const DEFAULT_SUMMARY_DELAY_MILLIS = 1000;
export const DEFAULT_MAX_DIRTY_TRACES = 20_000;

export class DirtyTraces<Value> {
  private pending = new Map<string, Value>();
  /** When the set last went from empty to not empty. */
  private sinceMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly delayMillis: number;
  private readonly maxTraces: number;

  /** `refresh` is the store's; it takes the set with `take()`. Errors of a refresh started here are left for the next read to meet. */
  private readonly nowMs: () => number;

  constructor(
    private readonly refresh: () => void,
    policy: RefreshPolicy = {},
  ) {
    this.nowMs = policy.nowMs ?? (() => Date.now());
    this.delayMillis = policy.summaryDelayMillis ?? DEFAULT_SUMMARY_DELAY_MILLIS;
    this.maxTraces = policy.maxDirtyTraces ?? DEFAULT_MAX_DIRTY_TRACES;
    if (!(this.delayMillis >= 0)) throw new RangeError(`summaryDelayMillis must be >= 0, got ${this.delayMillis}`);
    if (!(this.maxTraces >= 1)) throw new RangeError(`maxDirtyTraces must be at least 1, got ${this.maxTraces}`);
  }

  get size(): number {
    return this.pending.size;
  }

  has(traceId: string): boolean {
    return this.pending.has(traceId);
  }

  mark(traceId: string, value: Value): void {
    if (this.pending.size === 0) this.start();
    this.pending.set(traceId, value);
  }

  /**
   * After a write: refreshes now when the set is past its bound or its oldest trace has waited long
   * enough. A failed refresh leaves the traces waiting and is not the write's failure (the write is
   * committed): the next read, which refreshes first, meets the error.
   */
  check(): void {
    if (this.pending.size === 0) return;
    if (this.pending.size >= this.maxTraces || this.nowMs() - this.sinceMs >= this.delayMillis) this.attempt();
  }

  /** Empties the set and returns what it held (to refresh). */
  take(): Map<string, Value> {
    const taken = this.pending;
    this.pending = new Map();
    this.stop();
    return taken;
  }

  /** Puts back what a failed refresh took, keeping its place in time. */
  restore(taken: ReadonlyMap<string, Value>): void {
    const sinceMs = this.sinceMs;
    for (const [traceId, value] of taken) if (!this.pending.has(traceId)) this.mark(traceId, value);
    this.sinceMs = Math.min(sinceMs, this.sinceMs);
  }

  /** Forgets everything (the store is closing or dropped what these traces were). */
  clear(): void {
    this.pending.clear();
    this.stop();
  }

  private start(): void {
    this.sinceMs = this.nowMs();
    this.stop();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.attempt();
    }, this.delayMillis);
    this.timer.unref();
  }

  private attempt(): void {
    try {
      this.refresh();
    } catch {
      // The store put the traces back; the next read or close meets the error.
    }
  }

  private stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
