/** How a reservoir let a request through, if it did. */
export type ReservoirDecision = 'take' | 'borrow' | undefined;

/**
 * One rule's reservoir in this client, per second of the clock: the quota X-Ray assigns through
 * GetSamplingTargets while its TTL lasts; before the first quota, or after it expires, one request a
 * second is borrowed if the rule has a reservoir at all. Whatever the reservoir refuses is left to
 * the rule's FixedRate.
 */
export class Reservoir {
  private quota: number | undefined;
  /** Epoch seconds. */
  private quotaExpiresAt: number | undefined;
  private second = Number.NaN;
  private taken = 0;
  private borrowed = 0;

  /** `nowSeconds` in epoch seconds; `canBorrow` when the rule's ReservoirSize is above 0. */
  decide(nowSeconds: number, canBorrow: boolean): ReservoirDecision {
    const second = Math.floor(nowSeconds);
    if (second !== this.second) {
      this.second = second;
      this.taken = 0;
      this.borrowed = 0;
    }
    if (this.quota !== undefined && this.quotaExpiresAt !== undefined && nowSeconds <= this.quotaExpiresAt) {
      if (this.taken >= this.quota) return undefined;
      this.taken += 1;
      return 'take';
    }
    if (!canBorrow || this.borrowed >= 1) return undefined;
    this.borrowed += 1;
    return 'borrow';
  }

  /** A target's quota and TTL; a field the target leaves out keeps its value. A quota of 0 is a quota. */
  assign(quota: number | undefined, expiresAt: number | undefined): void {
    if (quota !== undefined) this.quota = quota;
    if (expiresAt !== undefined) this.quotaExpiresAt = expiresAt;
  }
}
