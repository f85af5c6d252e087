import { describe, expect, it } from 'vitest';
import { tracedCount } from '../../src/console/sampling/traced.ts';

describe('requests a sampling rule traced', () => {
  it('counts the borrowed ones with the sampled ones', () => {
    expect(tracedCount({ RuleName: 'Default', RequestCount: 7, SampledCount: 2, BorrowCount: 1 })).toBe(3);
    expect(tracedCount({ RuleName: 'Default', RequestCount: 7, SampledCount: 2 })).toBe(2);
    expect(tracedCount(undefined)).toBe(0);
  });
});
