import type { Throttling } from './api-model.ts';

/**
 * API Gateway's throttling: a token bucket per method holding up to `burstLimit` requests and
 * refilled at `rateLimit` requests a second. A request that finds the bucket empty gets 429.
 */
export class Throttle {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(private readonly clock: () => number) {}

  /** True when the request may go on; false means 429 Too Many Requests. */
  admit(key: string, limits: Throttling): boolean {
    const now = this.clock();
    const burst = Math.max(0, limits.burstLimit);
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: now };
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * Math.max(0, limits.rateLimit));
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
