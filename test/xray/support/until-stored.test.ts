import { describe, expect, it } from 'vitest';
import { untilStored } from './until-stored.ts';
import type { StoreStats } from './until-stored.ts';

/** A service whose store has `pending` documents, one fewer at each look until none. */
function serviceWith(pending: number, drains: boolean): StoreStats {
  let left = pending;
  return {
    stats: () => {
      const now = left;
      if (drains && left > 0) left -= 1;
      return { store: { pending: now } };
    },
  };
}

describe('untilStored', () => {
  it('returns once nothing is pending', async () => {
    await expect(untilStored(serviceWith(3, true), 1000)).resolves.toBeUndefined();
  });

  it('throws at the deadline, naming what it waited for', async () => {
    await expect(untilStored(serviceWith(2, false), 30)).rejects.toThrow('waited 30 ms for the service to store its pending documents; 2 still pending');
  });
});
