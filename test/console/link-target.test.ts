import { describe, expect, it } from 'vitest';
import { linkTarget } from '../../src/console/trace/link-target.ts';

const own = '1-5f84c7a1-e4f9b9a3b2c1d0e9f8a7b6c5';
const other = '1-5f84c7a0-0123456789abcdef01234567';

describe('where a span link points', () => {
  it('is this trace only when the link names the segment\'s own trace', () => {
    expect(linkTarget(own, own)).toEqual({ kind: 'this-trace' });
    expect(linkTarget(other, own)).toEqual({ kind: 'other-trace', traceId: other });
  });

  it('is unknown when the link names no trace', () => {
    expect(linkTarget(undefined, own)).toEqual({ kind: 'unknown' });
  });
});
