import { describe, expect, test } from 'vitest';
import { assembleTrace } from '../../../src/xray/traces/assemble.ts';
import { MAX_FOLD_LEVELS } from '../../../src/xray/traces/tree.ts';
import { parsed, segment, subsegment, TRACE_ID } from './support.ts';

interface Entity { id: string; subsegments?: Entity[] }
const tree = (document: string): unknown => {
  const strip = (entity: Entity): unknown => ({ id: entity.id, ...(entity.subsegments ? { subsegments: entity.subsegments.map(strip) } : {}) });
  return strip(JSON.parse(document) as Entity);
};

describe('assembleTrace', () => {
  test('folds a standalone subsegment into a subsegment nested deep inside a segment', () => {
    const records = parsed(
      subsegment('00000000000000b2', '00000000000000a2', 1.5, 1.6),
      segment('00000000000000a0', 1, 3, {
        subsegments: [{ id: '00000000000000a1', name: 'outer', start_time: 1.1, end_time: 2, subsegments: [{ id: '00000000000000a2', name: 'inner', start_time: 1.2, end_time: 1.9 }] }],
      }),
    );
    const trace = assembleTrace(TRACE_ID, records);
    expect(trace.segments.map((s) => s.id)).toEqual(['00000000000000a0']);
    expect(tree(trace.segments[0]!.document)).toEqual({
      id: '00000000000000a0',
      subsegments: [{ id: '00000000000000a1', subsegments: [{ id: '00000000000000a2', subsegments: [{ id: '00000000000000b2' }] }] }],
    });
    // The folded subsegment keeps its own fields.
    const inner = (JSON.parse(trace.segments[0]!.document) as { subsegments: Array<{ subsegments: Array<{ subsegments: Array<Record<string, unknown>> }> }> })
      .subsegments[0]!.subsegments[0]!.subsegments[0]!;
    expect(inner).toMatchObject({ type: 'subsegment', parent_id: '00000000000000a2', trace_id: TRACE_ID, name: 'sub-b2' });
  });

  test('folded children follow the parent\'s own subsegments, in start order', () => {
    const records = parsed(
      subsegment('00000000000000c3', '00000000000000c0', 1.7, 1.8),
      subsegment('00000000000000c2', '00000000000000c0', 1.3, 1.4),
      segment('00000000000000c0', 1, 2, { subsegments: [{ id: '00000000000000c1', name: 'own', start_time: 1.5, end_time: 1.6 }] }),
    );
    expect(tree(assembleTrace(TRACE_ID, records).segments[0]!.document)).toEqual({
      id: '00000000000000c0',
      subsegments: [{ id: '00000000000000c1' }, { id: '00000000000000c2' }, { id: '00000000000000c3' }],
    });
  });

  test('a subsegment already nested under its parent is not added twice', () => {
    const records = parsed(
      segment('00000000000000d0', 1, 2, { subsegments: [{ id: '00000000000000d1', name: 'sub-d1', start_time: 1.1, end_time: 1.2 }] }),
      subsegment('00000000000000d1', '00000000000000d0', 1.1, 1.2),
    );
    const trace = assembleTrace(TRACE_ID, records);
    expect(trace.segments.map((s) => s.id)).toEqual(['00000000000000d0']);
    expect(tree(trace.segments[0]!.document)).toEqual({ id: '00000000000000d0', subsegments: [{ id: '00000000000000d1' }] });
  });

  test('parents that point at each other stay separate documents rather than loop', () => {
    const records = parsed(
      subsegment('00000000000000e1', '00000000000000e2', 1, 2),
      subsegment('00000000000000e2', '00000000000000e1', 1.5, 2.5),
    );
    const trace = assembleTrace(TRACE_ID, records);
    // The first link of the cycle is cut, so e2 folds into e1 and e1 stays on top.
    expect(trace.segments.map((s) => s.id)).toEqual(['00000000000000e1']);
    expect(tree(trace.segments[0]!.document)).toEqual({ id: '00000000000000e1', subsegments: [{ id: '00000000000000e2' }] });
  });

  test('a subsegment naming itself as parent is an orphan', () => {
    const trace = assembleTrace(TRACE_ID, parsed(subsegment('00000000000000f1', '00000000000000f1', 1, 2)));
    expect(trace.segments.map((s) => s.id)).toEqual(['00000000000000f1']);
  });

  test('segments are never folded, even when their parent is in the trace', () => {
    const records = parsed(
      segment('0000000000000010', 1, 2, { subsegments: [{ id: '0000000000000011', name: 'call', start_time: 1.1, end_time: 1.9 }] }),
      segment('0000000000000020', 1.2, 1.8, { parent_id: '0000000000000011' }),
    );
    expect(assembleTrace(TRACE_ID, records).segments.map((s) => s.id)).toEqual(['0000000000000010', '0000000000000020']);
  });

  test('duration runs from the earliest start to the latest end, an in-progress start counting as an end', () => {
    expect(assembleTrace(TRACE_ID, parsed(segment('0000000000000030', 10, 11.5), segment('0000000000000031', 10.5, undefined))).duration).toBe(1.5);
    expect(assembleTrace(TRACE_ID, parsed(segment('0000000000000030', 10, 11.5), segment('0000000000000031', 12.25, undefined))).duration).toBe(2.25);
    expect(assembleTrace(TRACE_ID, [])).toEqual({ id: TRACE_ID, duration: 0, limitExceeded: false, segments: [] });
  });
  test('a chain of standalone subsegments folds MAX_FOLD_LEVELS deep; those below are returned as documents of their own', () => {
    // Each names the one before as its parent: folded whole, 3000 levels would overflow rendering and JSON.stringify.
    const count = 3000;
    const id = (i: number): string => (0xd000 + i).toString(16).padStart(16, '0');
    const records = parsed(
      segment(id(0), 1, 2),
      ...Array.from({ length: count - 1 }, (_, i) => subsegment(id(i + 1), id(i), 1 + (i + 1) / 1e5, 1.5)),
    );
    const trace = assembleTrace(TRACE_ID, records);
    // Every document is in the answer, once: folded into another, or a top document of its own.
    const seen: string[] = [];
    const collect = (entity: Entity): void => {
      seen.push(entity.id);
      for (const child of entity.subsegments ?? []) collect(child);
    };
    for (const top of trace.segments) collect(JSON.parse(top.document) as Entity);
    expect(seen.sort()).toEqual(Array.from({ length: count }, (_, i) => id(i)).sort());
    // A new top document every MAX_FOLD_LEVELS + 1 links down the chain.
    expect(trace.segments.map((s) => s.id)).toEqual(Array.from({ length: Math.ceil(count / (MAX_FOLD_LEVELS + 1)) }, (_, i) => id(i * (MAX_FOLD_LEVELS + 1))));
  });
});
