/**
 * AWS/Lambda ConcurrentExecutions: the most invocations in flight at once during each minute, per
 * function and account-wide, published once a minute (as Lambda emits it; Maximum is its statistic).
 */

/** Told each minute's maximum: per function, and account-wide with `functionName` undefined. */
export type ConcurrencyPublisher = (functionName: string | undefined, maximum: number, timestampMs: number) => void;

const ACCOUNT = Symbol('account');
type Key = string | typeof ACCOUNT;

export class ConcurrencyGauge {
  private readonly inFlight = new Map<Key, number>();
  /** The maximum in flight since the last flush, per key. */
  private readonly peak = new Map<Key, number>();

  constructor(private readonly publish: ConcurrencyPublisher) {}

  started(functionName: string): void {
    for (const key of [functionName, ACCOUNT] as const) {
      const now = (this.inFlight.get(key) ?? 0) + 1;
      this.inFlight.set(key, now);
      this.peak.set(key, Math.max(this.peak.get(key) ?? 0, now));
    }
  }

  finished(functionName: string): void {
    for (const key of [functionName, ACCOUNT] as const) {
      const now = (this.inFlight.get(key) ?? 0) - 1;
      if (now > 0) this.inFlight.set(key, now);
      else this.inFlight.delete(key);
    }
  }

  /**
   * Called just after each minute's end: publishes the minute that ended (stamped at its start) and
   * begins the next at what is in flight now. Functions with nothing run that minute get no
   * datapoint, as on AWS.
   */
  flush(nowMs: number): void {
    const minuteStartMs = Math.floor(nowMs / 60_000) * 60_000 - 60_000;
    for (const [key, maximum] of this.peak) {
      if (maximum > 0) this.publish(key === ACCOUNT ? undefined : key, maximum, minuteStartMs);
    }
    this.peak.clear();
    for (const [key, count] of this.inFlight) this.peak.set(key, count);
  }
}
