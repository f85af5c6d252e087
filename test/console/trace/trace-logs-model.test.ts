import { describe, expect, it } from 'vitest';
import type { TimelineRow } from '../../../src/common/trace-model/timeline.ts';
import type { LogLine } from '../../../src/console/api/types.ts';
import { linesOfRequest, requestIdOf, traceIdParts } from '../../../src/console/trace/trace-logs-model.ts';

function row(id: string, children: string[], document: Record<string, unknown>): TimelineRow {
  return { id, name: id, depth: 0, start: 0, end: 1, status: 'ok', kind: 'segment', origin: undefined, children, document } as TimelineRow;
}

const line = (stream: string, message: string): LogLine => ({ Group: '/aws/lambda/fn', Stream: stream, TimestampMs: 0, Message: message });

describe('the trace view\'s log lines', () => {
  const rows = [
    row('stage', ['lambda'], { aws: { api_gateway: { request_id: 'gw-1' } } }),
    row('lambda', ['function'], { aws: { request_id: 'req-1' } }),
    row('function', ['handler'], { aws: { function_arn: 'arn' } }),
    row('handler', [], {}),
  ];

  it('finds the request id of the invocation above the selected row', () => {
    expect(requestIdOf(rows, 'handler')).toBe('req-1');
    expect(requestIdOf(rows, 'stage')).toBe('gw-1');
    expect(requestIdOf(rows, undefined)).toBeUndefined();
  });

  it('keeps the lines of one invocation: between its START and END in a stream, or naming it', () => {
    const lines = [
      line('a', 'START RequestId: req-0 Version: $LATEST\n'),
      line('a', 'plain line of req-0\n'),
      line('a', 'END RequestId: req-0\n'),
      line('a', 'START RequestId: req-1 Version: $LATEST\n'),
      line('b', 'START RequestId: req-2 Version: $LATEST\n'),
      line('a', '{"level":"INFO"}\n'),
      line('b', 'other stream\n'),
      line('a', 'END RequestId: req-1\n'),
      line('a', 'REPORT RequestId: req-1\tDuration: 1 ms\n'),
      line('a', 'after\n'),
    ];
    expect(linesOfRequest(lines, 'req-1').map((found) => found.Message.trim())).toEqual([
      'START RequestId: req-1 Version: $LATEST', '{"level":"INFO"}', 'END RequestId: req-1', 'REPORT RequestId: req-1\tDuration: 1 ms',
    ]);
  });

  it('splits out the trace ids of a message, to link them', () => {
    expect(traceIdParts('a 1-6750a000-0123456789abcdef01234567 b')).toEqual([
      { text: 'a ' }, { text: '1-6750a000-0123456789abcdef01234567', traceId: '1-6750a000-0123456789abcdef01234567' }, { text: ' b' },
    ]);
  });
});
