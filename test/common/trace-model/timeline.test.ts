import { describe, expect, it } from 'vitest';
import { buildTimeline, visibleRows } from '../../../src/common/trace-model/timeline.ts';
import { patternTrace } from '../../xray/graph/pattern-traces.ts';

const T = 1_780_000_000;

describe('trace timeline', () => {
  it('hangs nested subsegments, standalone subsegments and child segments under their parents, in start order', () => {
    const trace = patternTrace(1, T, { httpFaults: true });
    const timeline = buildTimeline(trace.documents);
    const rows = timeline.rows.map((row) => `${'  '.repeat(row.depth)}${row.name}`);
    expect(rows.slice(0, 7)).toEqual([
      'xyz/prod',
      '  SNS',
      '    dynamo-flow',
      '      dynamo-flow',
      '        ## index.handler',
      '          DynamoDB Query',
      '            DynamoDB',
    ]);
    expect(timeline.rows).toHaveLength(25);
    expect(timeline.start).toBe(T);
    expect(timeline.end).toBeCloseTo(T + 1.5);
    const remote = timeline.rows.find((row) => row.name === 'jsonplaceholder.typicode.com');
    expect(remote).toMatchObject({ status: 'fault', kind: 'subsegment', origin: 'remote', children: [] });
    expect(timeline.rows.find((row) => row.name === 'sqs-subscriber')?.depth).toBeGreaterThan(3);
  });

  it('leaves out the inferred segments BatchGetTraces adds: the calling subsegment is the row', () => {
    const timeline = buildTimeline([
      { id: 'a', name: 'root', start_time: T, end_time: T + 1, subsegments: [{ id: 'c', name: 'DynamoDB', namespace: 'aws', start_time: T, end_time: T + 0.5 }] },
      { id: 'i', name: 'DynamoDB', parent_id: 'c', inferred: true, origin: 'AWS::DynamoDB::Table', start_time: T, end_time: T + 0.5 },
    ]);
    expect(timeline.rows.map((row) => [row.name, row.depth])).toEqual([['root', 0], ['DynamoDB', 1]]);
  });

  it('starts at the top what has no parent in the trace, and keeps in-progress documents open', () => {
    const timeline = buildTimeline([
      { id: 'b', name: 'orphan', type: 'subsegment', parent_id: 'missing', start_time: T + 1, end_time: T + 2 },
      { id: 'a', name: 'root', start_time: T, in_progress: true },
    ]);
    expect(timeline.rows.map((row) => [row.name, row.depth, row.end])).toEqual([['root', 0, undefined], ['orphan', 0, T + 2]]);
  });

  it('shows the members of a parent cycle once each instead of looping or dropping them', () => {
    const timeline = buildTimeline([
      { id: 'a', name: 'a', parent_id: 'b', start_time: T, end_time: T + 1 },
      { id: 'b', name: 'b', parent_id: 'a', start_time: T, end_time: T + 1 },
    ]);
    expect(timeline.rows.map((row) => row.id).sort()).toEqual(['a', 'b']);
  });

  it('hides the descendants of folded rows', () => {
    const timeline = buildTimeline(patternTrace(1, T).documents);
    const dynamo = timeline.rows.find((row) => row.name === 'dynamo-flow' && row.kind === 'segment' && row.origin === 'AWS::Lambda');
    const visible = visibleRows(timeline.rows, new Set([dynamo?.id ?? '']));
    expect(visible.map((row) => row.name)).not.toContain('DynamoDB Query');
    expect(visible.map((row) => row.name)).toContain('http-flow');
    // The function segment, its handler, the query and the DynamoDB call.
    expect(visible).toHaveLength(timeline.rows.length - 4);
  });
});
