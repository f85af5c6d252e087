import { describe, expect, it } from 'vitest';
import { functionSegment, serviceSegment } from '../../../src/cloud/lambda/segments.ts';

const FN = { name: 'sqs-subscriber', arn: 'arn:aws:lambda:us-east-1:000000000000:function:sqs-subscriber', accountId: '000000000000', codeDirectory: '/var/task' };
const TRACE = '1-67891233-abcdef012345678912345678';

describe('the Lambda service\'s segments', () => {
  it('links the AWS::Lambda segment to the other traces it served, at most 20', () => {
    const links = Array.from({ length: 25 }, (_, i) => ({ traceId: `1-67891233-${String(i).padStart(24, '0')}`, id: String(i).padStart(16, '0') }));
    const segment = serviceSegment(FN, { id: 'aaaaaaaaaaaaaaaa', traceId: TRACE, parentId: undefined, requestId: 'r', status: 200, times: { start: 1000, end: 2000 }, links });
    expect(segment['links']).toHaveLength(20);
    expect((segment['links'] as unknown[])[0]).toEqual({ trace_id: links[0]?.traceId, id: links[0]?.id });
    expect(serviceSegment(FN, { id: 'aaaaaaaaaaaaaaaa', traceId: TRACE, parentId: undefined, requestId: 'r', status: 200, times: { start: 1000, end: 2000 } })).not.toHaveProperty('links');
  });

  it('writes a function error\'s stack as X-Ray frames with path and line, not as labels alone', () => {
    const segment = functionSegment(FN, TRACE, 'bbbbbbbbbbbbbbbb', {
      functionSegmentId: 'cccccccccccccccc',
      ids: { initialization: '1111111111111111', invocation: '2222222222222222', overhead: '3333333333333333', exception: '4444444444444444' },
      invocation: { start: 1000, end: 1500 },
      overhead: { start: 1500, end: 1600 },
      error: { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom', '    at handler (file:///var/task/index.mjs:12:9)'] },
    });
    expect(segment['cause']).toEqual({
      working_directory: '/var/task',
      exceptions: [{ id: '4444444444444444', type: 'Error', message: 'boom', stack: [{ path: 'file:///var/task/index.mjs', line: 12, label: 'handler' }] }],
    });
  });
});
