import { describe, expect, test } from 'vitest';
import { duration, waterfall, type SegmentDocument } from '../../../src/cli/trace/index.ts';

const T = 1_750_000_000;
const doc = (id: string, from: number, to: number | undefined, fields: Record<string, unknown> = {}): SegmentDocument => ({
  id, name: id, trace_id: '1-68500000-000000000000000000000001', start_time: T + from, ...(to === undefined ? { in_progress: true } : { end_time: T + to }), ...fields,
});

describe('waterfall', () => {
  test('nests subsegments under their document, standalone subsegments and child segments under parent_id, siblings by start', () => {
    const root = doc('root', 0, 10, {
      origin: 'AWS::ApiGateway::Stage',
      subsegments: [
        { id: 'late', name: 'late', start_time: T + 5, end_time: T + 6, namespace: 'aws' },
        { id: 'early', name: 'early', start_time: T + 1, end_time: T + 2, subsegments: [{ id: 'inner', name: 'inner', start_time: T + 1.5, end_time: T + 1.6 }] },
      ],
    });
    const child = doc('child', 2, 4, { parent_id: 'early', origin: 'AWS::Lambda' });
    const standalone = doc('work', 3, 3.5, { type: 'subsegment', parent_id: 'child', namespace: 'remote', fault: true });
    const orphan = doc('orphan', 8, 9, { parent_id: 'not-in-trace', throttle: true, error: true });
    const { rows, start, end } = waterfall([standalone, orphan, child, root], 10);
    expect(rows.map((r) => [r.name, r.depth, r.origin, r.status])).toEqual([
      ['root', 0, 'AWS::ApiGateway::Stage', 'ok'],
      ['early', 1, undefined, 'ok'],
      ['inner', 2, undefined, 'ok'],
      ['child', 2, 'AWS::Lambda', 'ok'],
      ['work', 3, 'remote', 'fault'],
      ['late', 1, 'aws', 'ok'],
      ['orphan', 0, undefined, 'throttle'],
    ]);
    expect([start, end]).toEqual([T, T + 10]);
  });

  test('bars sit to scale on the width; a short row still gets one cell', () => {
    const rows = waterfall([doc('a', 0, 10, { subsegments: [{ id: 'b', name: 'b', start_time: T + 2.5, end_time: T + 5 }, { id: 'c', name: 'c', start_time: T + 9.99, end_time: T + 10 }] })], 20).rows;
    expect(rows.map((r) => r.bar)).toEqual([
      '====================',
      '     =====          ',
      '                   =',
    ]);
    expect(rows.map((r) => r.duration)).toEqual([10, 2.5, expect.closeTo(0.01, 6)]);
  });

  test('an in-progress row runs to the trace\'s end, drawn differently, with no duration', () => {
    const rows = waterfall([doc('a', 0, 4), doc('b', 2, undefined, { parent_id: 'a' })], 8).rows;
    expect(rows.map((r) => [r.bar, r.duration])).toEqual([['========', 4], ['    ----', undefined]]);
  });

  test('a trace of one instant fills the first cell', () => {
    expect(waterfall([doc('a', 1, 1)], 4).rows.map((r) => r.bar)).toEqual(['=   ']);
  });

  test('no documents, no rows; a bad width is refused', () => {
    expect(waterfall([], 10)).toEqual({ rows: [], start: 0, end: 0 });
    expect(() => waterfall([], 0)).toThrow(RangeError);
  });
});

describe('duration', () => {
  test.each([[0.085, '85.0 ms'], [0.0004, '0.4 ms'], [0.9999, '999.9 ms'], [1, '1.000 s'], [12.3456, '12.346 s']])('%d s is %s', (seconds, text) => {
    expect(duration(seconds)).toBe(text);
  });
});
