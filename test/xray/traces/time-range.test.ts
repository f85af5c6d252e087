import { describe, expect, test } from 'vitest';
import type { TimeRangeType } from '../../../src/xray/model/trace.ts';
import { matchTimeRange } from '../../../src/xray/traces/time-range.ts';

const trace = {
  idEpoch: 100,
  startTime: 100.25,
  documents: [
    { type: 'segment' as const, startTime: 100.25, endTime: 103 },
    { type: 'subsegment' as const, startTime: 101, endTime: 104 },
    { type: 'segment' as const, startTime: 102, endTime: undefined },
  ],
};

describe('matchTimeRange', () => {
  test.each<[TimeRangeType, number, number, number | undefined]>([
    ['TraceId', 100, 100, 100.25],
    ['TraceId', 100.9, 200, 100.25],
    ['TraceId', 101, 200, undefined],
    ['TraceId', 50, 99.99, undefined],
    ['Event', 100.25, 100.25, 100.25],
    ['Event', 100.3, 100.9, undefined],
    ['Event', 101.5, 102.5, 102],
    ['Event', 100, 200, 104],
    ['Service', 103.5, 200, undefined],
    ['Service', 102, 103, 103],
    ['Service', 101, 102.5, undefined],
  ])('%s over [%d, %d] matches at %s', (type, startTime, endTime, expected) => {
    expect(matchTimeRange(type, trace, { startTime, endTime })).toBe(expected);
  });
});
