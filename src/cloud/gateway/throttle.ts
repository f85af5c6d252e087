import type { Throttling } from './api-model.ts';

/**
 * API Gateway's throttling: a token bucket per method holding up to `burstLimit` requests and
 * refilled at `rateLimit` requests a second. A request that finds the bucket empty gets 429.
 */
export class Throttle {
  private readonly buckets = new Map<string, { tokens: number; updatedAtMs: number }>();

  constructor(private readonly clock: () => number) {}

  /** True when the request may go on; false means 429 Too Many Requests. */
  admit(key: string, limits: Throttling): boolean {
    const nowMs = this.clock();
    const burst = Math.max(0, limits.burstLimit);
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAtMs: nowMs };
    const elapsedSeconds = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * Math.max(0, limits.rateLimit));
    bucket.updatedAtMs = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
