import { describe, expect, test } from 'vitest';
import { computeTrace, finishSummary, MAX_ANNOTATION_KEYS } from '../../../src/xray/traces/summary.ts';
import { storedSummaryJson, traceSummaryJson } from '../../../src/xray/api/trace-summary-json.ts';
import { parsed, segment, subsegment, TRACE_ID } from './support.ts';

/** The summary as GetTraceSummaries writes it, and the index. */
const compute = (...docs: Array<Record<string, unknown>>) => {
  const { summary, index } = computeTrace(TRACE_ID, parsed(...docs));
  return { summary: storedSummaryJson(summary), index, computed: summary };
};

describe('computeTrace', () => {
  test('without a parentless segment, the earliest segment whose parent is missing is the root', () => {
    const { summary, index } = compute(
      segment('0000000000000002', 2, 3, { name: 'late', parent_id: 'ffffffffffffffff' }),
      segment('0000000000000001', 1, 4, { name: 'early', parent_id: 'eeeeeeeeeeeeeeee', http: { response: { status: 503 } } }),
    );
    expect(summary.EntryPoint).toEqual({ Name: 'early', Names: ['early'] });
    expect(summary).toMatchObject({ HasFault: true, IsPartial: true, ResponseTime: 3, Http: { HttpStatus: 503 } });
    expect(index).toMatchObject({ hasFault: true, httpStatus: 503, idEpoch: 0x6553f300, startTime: 1, endTime: 4, duration: 3 });
  });

  test('only subsegments: no entry point, no HTTP, nothing from a root', () => {
    const { summary } = compute(subsegment('0000000000000003', '0000000000000009', 1, 2, { fault: true }));
    expect(summary).not.toHaveProperty('EntryPoint');
    expect(summary).not.toHaveProperty('ResponseTime');
    expect(summary).toMatchObject({ HasFault: false, HasError: false, IsPartial: true, Http: {} });
  });

  test.each([
    ['a 404 is an error', { http: { response: { status: 404 } } }, { HasError: true, HasFault: false, HasThrottle: false }],
    ['a 500 is a fault', { http: { response: { status: 500 } } }, { HasError: false, HasFault: true, HasThrottle: false }],
    ['a 429 is an error and a throttle', { http: { response: { status: 429 } } }, { HasError: true, HasFault: false, HasThrottle: true }],
    ['the flags count without a status', { error: true, throttle: true }, { HasError: true, HasFault: false, HasThrottle: true }],
    ['a 200 is none', { http: { response: { status: 200 } } }, { HasError: false, HasFault: false, HasThrottle: false }],
  ])('%s', (_why, extra, flags) => {
    expect(compute(segment('0000000000000004', 1, 2, extra)).summary).toMatchObject(flags);
  });

  test('errors below the root do not make the trace an error, a throttle anywhere does', () => {
    const { summary } = compute(
      segment('0000000000000005', 1, 2),
      subsegment('0000000000000006', '0000000000000005', 1.1, 1.2, { fault: true, error: true, http: { response: { status: 429 } } }),
    );
    expect(summary).toMatchObject({ HasFault: false, HasError: false, HasThrottle: true });
  });

  test('a root still in progress has no response time and makes the trace partial', () => {
    const { summary } = compute(segment('0000000000000007', 5, undefined));
    expect(summary).not.toHaveProperty('ResponseTime');
    expect(summary).toMatchObject({ IsPartial: true, Duration: 0, StartTime: 5 });
  });

  test(`keeps the first ${MAX_ANNOTATION_KEYS} annotation keys and distinct values of each type`, () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i]));
    const { summary, index } = compute(
      segment('0000000000000008', 1, 2, { annotations: { ...many } }),
      segment('0000000000000009', 1.5, 2, { name: 'other', annotations: { k00: '0', k01: 1, k59: 59 } }),
    );
    const keys = Object.keys(summary.Annotations);
    expect(keys).toHaveLength(MAX_ANNOTATION_KEYS);
    expect(keys.at(-1)).toBe('k49');
    expect(summary.Annotations['k00']).toEqual([
      { AnnotationValue: { NumberValue: 0 }, ServiceIds: [{ Name: 'svc-08', Names: ['svc-08'] }] },
      { AnnotationValue: { StringValue: '0' }, ServiceIds: [{ Name: 'other', Names: ['other'] }] },
    ]);
    expect(summary.Annotations['k01']).toEqual([
      { AnnotationValue: { NumberValue: 1 }, ServiceIds: [{ Name: 'svc-08', Names: ['svc-08'] }, { Name: 'other', Names: ['other'] }] },
    ]);
    expect(index.annotations).toHaveLength(MAX_ANNOTATION_KEYS + 1);
    expect(index.annotations).toContainEqual({ key: 'k00', value: '0' });
  });

  test('users from every segment, the root\'s first', () => {
    const { summary, index } = compute(
      segment('000000000000000a', 1, 3, { name: 'api', user: 'alice' }),
      segment('000000000000000b', 1.5, 2, { name: 'worker', user: 'bob', parent_id: '000000000000000a' }),
      segment('000000000000000c', 1.6, 2, { name: 'audit', user: 'alice', parent_id: '000000000000000a' }),
    );
    expect(summary.Users).toEqual([
      { UserName: 'alice', ServiceIds: [{ Name: 'api', Names: ['api'] }, { Name: 'audit', Names: ['audit'] }] },
      { UserName: 'bob', ServiceIds: [{ Name: 'worker', Names: ['worker'] }] },
    ]);
    expect(index.user).toBe('alice');
  });

  test('ServiceIds: only the outermost namespaced call of a chain infers a service, nested or streamed', () => {
    const dynamo = { namespace: 'aws', name: 'DynamoDB', aws: { table_name: 'Hits' } };
    const http = { namespace: 'remote', name: 'dynamodb', http: { request: { url: 'https://dynamodb.us-east-1.amazonaws.com/' } } };
    const { summary } = compute(
      segment('0000000000000010', 1, 3, { name: 'api', subsegments: [{ id: '0000000000000011', start_time: 1.1, end_time: 1.5, ...dynamo, subsegments: [{ id: '0000000000000012', start_time: 1.2, end_time: 1.4, ...http }] }] }),
      // Streamed on their own: a call under the segment, and an HTTP call under that call.
      subsegment('0000000000000013', '0000000000000010', 1.6, 2, { ...dynamo, aws: { table_name: 'Users' } }),
      subsegment('0000000000000014', '0000000000000013', 1.7, 1.9, http),
      // A call under a local subsegment of its own still counts.
      subsegment('0000000000000015', '0000000000000010', 2.1, 2.5, { name: 'work' }),
      subsegment('0000000000000016', '0000000000000015', 2.2, 2.4, { namespace: 'remote', name: 'x', http: { request: { url: 'https://x.example/' } } }),
    );
    expect(summary.ServiceIds).toEqual([
      { Name: 'api', Names: ['api'] },
      { Name: 'Hits', Names: ['Hits'], Type: 'AWS::DynamoDB::Table' },
      { Name: 'Users', Names: ['Users'], Type: 'AWS::DynamoDB::Table' },
      { Name: 'x.example', Names: ['x.example'], Type: 'remote' },
    ]);
  });

  test('root causes: a faulting remote call, and the response time path of a slow trace', () => {
    const { summary } = compute(
      segment('0000000000000020', 10, 12.5, { name: 'web', fault: true, http: { response: { status: 502 } } }),
      subsegment('0000000000000021', '0000000000000020', 10.1, 12.4, {
        namespace: 'remote', name: 'api.example.com', fault: true,
        http: { request: { url: 'https://api.example.com/x' }, response: { status: 504 } },
        cause: { exceptions: [{ id: '00000000000000e1', type: 'TimeoutError', message: 'upstream timed out' }] },
      }),
    );
    expect(summary.FaultRootCauses).toEqual([{
      Services: [
        { Name: 'web', Names: ['web'], EntityPath: [{ Name: 'web', Exceptions: [], Remote: false }, { Name: 'api.example.com', Exceptions: [{ Name: 'TimeoutError', Message: 'upstream timed out' }], Remote: true }], Inferred: false },
        { Name: 'api.example.com', Names: ['api.example.com'], Type: 'remote', EntityPath: [{ Name: 'api.example.com', Exceptions: [{ Name: 'TimeoutError', Message: 'upstream timed out' }], Remote: true }], Inferred: true },
      ],
      ClientImpacting: true,
    }]);
    expect(summary.ErrorRootCauses).toEqual([]);
    expect(summary.ResponseTimeRootCauses).toEqual([{
      Services: [
        { Name: 'web', Names: ['web'], EntityPath: [{ Name: 'web', Coverage: 1, Remote: false }, { Name: 'api.example.com', Coverage: 0.92, Remote: true }], Inferred: false },
        { Name: 'api.example.com', Names: ['api.example.com'], Type: 'remote', EntityPath: [{ Name: 'api.example.com', Coverage: 0.92, Remote: true }], Inferred: true },
      ],
      ClientImpacting: true,
    }]);
  });

  test('finishSummary adds the revision and, when given, the matched event time', () => {
    const { summary, computed } = compute(segment('000000000000000d', 1, 2));
    expect(traceSummaryJson(finishSummary(computed, 3, 1.5))).toEqual({ ...summary, Revision: 3, MatchedEventTime: 1.5 });
    expect(traceSummaryJson(finishSummary(computed, 1, undefined))).toEqual({ ...summary, Revision: 1 });
  });
});
