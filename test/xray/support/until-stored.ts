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
export async function untilStored(service: StoreStats, deadlineMs = STORE_DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const { pending } = service.stats().store;
    if (pending === 0) return;
    if (Date.now() >= deadline) throw new Error(`waited ${deadlineMs} ms for the service to store its pending documents; ${pending} still pending`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
