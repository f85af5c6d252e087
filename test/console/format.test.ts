import { describe, expect, it } from 'vitest';
import { formatCount, formatPercent } from '../../src/console/shared/format.ts';

describe('number formats', () => {
  it('shows a share too small for 0.1% as "<0.1%", never as none', () => {
    expect(formatPercent(1, 20_000)).toBe('<0.1%');
    expect(formatPercent(0, 20_000)).toBe('0%');
    expect(formatPercent(1, 1000)).toBe('0.1%');
    expect(formatPercent(1, 3)).toBe('33%');
  });

  it('groups counts the same way everywhere', () => {
    expect(formatCount(1322)).toBe('1,322');
  });
});
