/**
 * Validation keeps fields of unexpected types as sent (X-Ray does); summaries and the map read the
 * documented values only, and neither throw on nor misread the rest.
 */
import { describe, expect, test } from 'vitest';
import { contributionOfTrace } from '../../../src/xray/graph/contribution.ts';
import { rootCausesOfTrace as rootCauses } from '../../../src/xray/graph/root-causes.ts';
import { computeTrace } from '../../../src/xray/traces/summary.ts';
import { rootCausesJson, storedSummaryJson, type TraceRootCausesJson } from '../../../src/xray/api/trace-summary-json.ts';
import { parsed, segment, subsegment, TRACE_ID } from './support.ts';

const ROOT = '00000000000000a1';
/** The summary as GetTraceSummaries writes it, and the index. */
const compute = (...docs: Array<Record<string, unknown>>) => {
  const { summary, index } = computeTrace(TRACE_ID, parsed(...docs));
  return { summary: storedSummaryJson(summary), index };
};
const rootCausesOfTrace = (...args: Parameters<typeof rootCauses>): TraceRootCausesJson => rootCausesJson(rootCauses(...args));
const documents = (...docs: Array<Record<string, unknown>>) => parsed(...docs).map((record) => record.doc);

describe('summaries read documented values only', () => {
  test.each([
    ['text', '500'],
    ['a fraction', 500.5],
    ['out of range', 1e300],
    ['an object', { code: 500 }],
  ])('an http status written as %s is neither a fault nor the HttpStatus', (_why, status) => {
    const { summary, index } = compute(segment(ROOT, 1, 2, { http: { request: { url: 5, method: ['GET'] }, response: { status } } }));
    expect(summary).toMatchObject({ HasFault: false, HasError: false, HasThrottle: false, Http: {} });
    expect(index).toMatchObject({ httpStatus: undefined, httpUrl: undefined, httpMethod: undefined });
  });

  test('annotations that are text or an array are not indexed character by character', () => {
    for (const annotations of ['abc', [1, 2], null]) {
      const { summary, index } = compute(segment(ROOT, 1, 2, { annotations }));
      expect(summary.Annotations).toEqual({});
      expect(index.annotations).toEqual([]);
    }
  });

  test('annotation values of other types are skipped; any key and extreme finite numbers are indexed', () => {
    const { index } = compute(segment(ROOT, 1, 2, { annotations: { 'odd-key': 'x', max: Number.MAX_VALUE, tiny: 5e-324, deep: { a: 1 }, gone: null, list: [1] } }));
    expect(index.annotations).toEqual([
      { key: 'odd-key', value: 'x' }, { key: 'max', value: Number.MAX_VALUE }, { key: 'tiny', value: 5e-324 },
    ]);
  });

  test('user, origin and resource_arn of other types are not read', () => {
    const { summary, index } = compute(segment(ROOT, 1, 2, { user: true, origin: 7, resource_arn: { arn: 'x' }, aws: 'ec2' }));
    expect(summary.Users).toEqual([]);
    expect(summary.ResourceARNs).toEqual([]);
    expect(summary.ServiceIds).toEqual([{ Name: 'svc-a1', Names: ['svc-a1'] }]);
    expect(index.user).toBeUndefined();
  });

  test('flags written as text are not flags', () => {
    expect(compute(segment(ROOT, 1, 2, { fault: 'true', error: 1, throttle: 'yes' })).summary).toMatchObject({ HasFault: false, HasError: false, HasThrottle: false });
  });

  test("the Python SDK's namespace \"local\" is a local subsegment: no inferred service", () => {
    const { summary } = compute(
      segment(ROOT, 1, 2, { subsegments: [{ id: '00000000000000b1', name: 'my_function', start_time: 1.1, end_time: 1.2, namespace: 'local' }] }),
      subsegment('00000000000000b2', ROOT, 1.3, 1.4, { namespace: 'local', name: 'table.example.com' }),
    );
    expect(summary.ServiceIds).toEqual([{ Name: 'svc-a1', Names: ['svc-a1'] }]);
  });

  test('a remote call with content_length -1 or as text, and a traced flag as text, is still a remote call', () => {
    const { summary } = compute(segment(ROOT, 1, 2, {
      subsegments: [{
        id: '00000000000000b3', name: 'api.example.com', start_time: 1.1, end_time: 1.2, namespace: 'remote',
        http: { request: { url: 'https://api.example.com/', traced: 'true' }, response: { status: 200, content_length: -1 } },
      }, {
        id: '00000000000000b4', name: 'old.example.com', start_time: 1.1, end_time: 1.2, namespace: 'remote',
        http: { request: { url: 'https://old.example.com/' }, response: { status: 200, content_length: '1024' } },
      }],
    }));
    expect(summary.ServiceIds.map((service) => service.Name).sort()).toEqual(['api.example.com', 'old.example.com', 'svc-a1']);
  });
});

describe('the map and root causes read documented values only', () => {
  const odd = [
    segment(ROOT, 1, 2, {
      origin: 7, http: 'GET /', aws: [1], fault: true, cause: { exceptions: { id: 'x' } },
      subsegments: [
        { id: '00000000000000c1', name: 'DynamoDB', start_time: 1.1, end_time: 1.2, namespace: 'aws', aws: 'Orders', fault: true, cause: { exceptions: [null, 'x', { message: 7, type: 'Boom' }] } },
        { id: '00000000000000c2', name: 'local work', start_time: 1.2, end_time: 1.3, namespace: 'local', http: { response: { status: '503' } } },
      ],
    }),
    segment('00000000000000a2', 1.5, 1.9, { name: 'consumer', links: [{ trace_id: TRACE_ID, id: ROOT, attributes: { n: 1 } }], origin: { type: 'AWS::Lambda' } }),
    subsegment('00000000000000c3', ROOT, 1.4, 1.45, { namespace: 'remote', http: { request: { url: 42 }, response: 5 }, cause: 'not-an-id' }),
  ];

  test('contributionOfTrace draws the documented calls and no node for namespace "local"', () => {
    const aggregate = contributionOfTrace(documents(...odd));
    const names = [...new Set([...aggregate.minutes.values()].flatMap((minute) => [...minute.nodes.values()].map(({ node }) => `${node.name}|${node.type ?? ''}`)))].sort();
    // The segments (origin not text: no type) and the root's client, DynamoDB inferred from its name,
    // the remote call (a URL that is not text) named after itself.
    expect(names).toEqual(['DynamoDB|AWS::DynamoDB', 'consumer|', 'sub-c3|remote', 'svc-a1|', 'svc-a1|client']);
  });

  test('rootCausesOfTrace takes exception objects only', () => {
    const causes = rootCausesOfTrace(documents(...odd));
    const exceptions = causes.FaultRootCauses.flatMap((cause) => cause.Services.flatMap((service) => service.EntityPath.flatMap((entity) => entity.Exceptions)));
    expect(exceptions.length).toBeGreaterThan(0);
    expect(new Set(exceptions.map((exception) => JSON.stringify(exception)))).toEqual(new Set(['{"Name":"Boom"}']));
  });
});
