import type { SamplingStatisticSummary } from '../api/types.ts';

/**
 * Requests a rule traced: SampledCount plus BorrowCount. A request traced on a borrowed reservoir
 * slot is counted in BorrowCount only, not in SampledCount, by the X-Ray SDKs (the Node SDK's
 * sampler increments one or the other) and by the local cloud's sampler; the API model calls
 * SampledCount "requests recorded" without saying it includes the borrowed ones.
 */
export function tracedCount(summary: SamplingStatisticSummary | undefined): number {
  return (summary?.SampledCount ?? 0) + (summary?.BorrowCount ?? 0);
}
