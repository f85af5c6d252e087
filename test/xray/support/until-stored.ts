import { eventually } from '../../support/eventually.ts';

/** What untilStored reads of an XrayService. */
export interface StoreStats {
  stats(): { readonly store: { readonly pending: number } };
}

/** CI machines are loaded: a batch write can take seconds there. */
export const STORE_DEADLINE_MS = 10_000;

/**
 * The service writes in batches: waits until nothing is pending, and throws, saying what it waited
 * for, when documents are still pending at the deadline.
 */
export function untilStored(service: StoreStats, deadlineMs = STORE_DEADLINE_MS): Promise<void> {
  return eventually(() => service.stats().store.pending === 0, {
    what: () => `the service to store its pending documents; ${service.stats().store.pending} still pending`,
    timeoutMs: deadlineMs,
  });
}
