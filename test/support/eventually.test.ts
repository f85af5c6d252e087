import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventually } from './eventually.ts';

/** A condition that holds from its `n`th check on, counting its checks. */
function holdsFrom(n: number): { check: () => boolean; readonly checks: () => number } {
  let checks = 0;
  return { check: () => ++checks >= n, checks: () => checks };
}

afterEach(() => vi.useRealTimers());

describe('eventually', () => {
  it('resolves once the condition holds, checking it again between waits', async () => {
    const condition = holdsFrom(3);
    await eventually(condition.check, { intervalMs: 1 });
    expect(condition.checks()).toBe(3);
  });

  it('takes an asynchronous condition', async () => {
    const condition = holdsFrom(2);
    await eventually(() => Promise.resolve(condition.check()), { intervalMs: 1 });
    expect(condition.checks()).toBe(2);
  });

  it('throws at the deadline, naming what it waited for as it is then', async () => {
    let seen = 0;
    await expect(eventually(() => (seen++, false), { what: () => `a reply after ${seen} looks`, timeoutMs: 30, intervalMs: 5 }))
      .rejects.toThrow(/^waited 30 ms for a reply after \d+ looks$/);
    expect(seen).toBeGreaterThan(1);
  });

  it('keeps polling in real time under fake timers, which it neither needs nor advances', async () => {
    vi.useFakeTimers();
    const condition = holdsFrom(3);
    await eventually(condition.check, { intervalMs: 1 });
    expect(condition.checks()).toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });
});
