import { afterEach, describe, expect, test, vi } from 'vitest';
import { DirtyTraces } from '../../../src/xray/store/dirty-traces.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A store's refresh as the stores write it: take the set, put it back if the work fails. */
function store(options: { fail?: boolean; delayMillis?: number; maxTraces?: number; nowMs?: () => number } = {}) {
  const refreshed: string[][] = [];
  const dirty: DirtyTraces<number> = new DirtyTraces(() => {
    const taken = dirty.take();
    if (options.fail === true) {
      dirty.restore(taken);
      throw new Error('disk full');
    }
    refreshed.push([...taken.keys()]);
  }, { summaryDelayMillis: options.delayMillis ?? 1000, maxDirtyTraces: options.maxTraces ?? 100, nowMs: options.nowMs });
  return { dirty, refreshed };
}

describe('DirtyTraces', () => {
  test('refreshes once, when the first trace marked has waited the delay, with every trace marked by then', () => {
    vi.useFakeTimers();
    const { dirty, refreshed } = store();
    dirty.mark('a', 1);
    vi.advanceTimersByTime(600);
    dirty.mark('b', 2);
    dirty.mark('a', 1);
    vi.advanceTimersByTime(399);
    expect(refreshed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(refreshed).toEqual([['a', 'b']]);
    expect(dirty.size).toBe(0);
    // Nothing waits: no timer, no refresh.
    vi.advanceTimersByTime(5000);
    expect(refreshed).toHaveLength(1);
  });

  test('check() refreshes at the bound, or once the clock says the delay has passed', () => {
    let now = 0;
    const { dirty, refreshed } = store({ maxTraces: 3, nowMs: () => now });
    dirty.mark('a', 1);
    dirty.mark('b', 2);
    dirty.check();
    expect(refreshed).toEqual([]);
    dirty.mark('c', 3);
    dirty.check();
    expect(refreshed).toEqual([['a', 'b', 'c']]);
    dirty.mark('d', 4);
    now = 999;
    dirty.check();
    expect(refreshed).toHaveLength(1);
    now = 1000;
    dirty.check();
    expect(refreshed).toEqual([['a', 'b', 'c'], ['d']]);
    dirty.clear();
  });

  test('a refresh that fails leaves the traces waiting and does not fail the write that started it', () => {
    vi.useFakeTimers();
    const { dirty } = store({ fail: true, maxTraces: 1 });
    dirty.mark('a', 1);
    expect(() => dirty.check()).not.toThrow();
    expect(dirty.has('a')).toBe(true);
    // The timer keeps trying, and swallows the failure too.
    expect(() => vi.advanceTimersByTime(1000)).not.toThrow();
    expect(dirty.size).toBe(1);
    dirty.clear();
    expect(dirty.size).toBe(0);
  });

  test.each([
    [{ summaryDelayMillis: -1 }, 'summaryDelayMillis must be >= 0, got -1'],
    [{ maxDirtyTraces: 0 }, 'maxDirtyTraces must be at least 1, got 0'],
  ])('refuses %j', (policy, message) => {
    expect(() => new DirtyTraces(() => undefined, policy)).toThrow(message);
  });
});
