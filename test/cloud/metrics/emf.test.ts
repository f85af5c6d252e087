import { describe, expect, it } from 'vitest';
import { parseEmf } from '../../../src/cloud/metrics/emf.ts';

// The specification's example document.
const SPEC_EXAMPLE = {
  _aws: {
    Timestamp: 1574109732004,
    CloudWatchMetrics: [
      {
        Namespace: 'lambda-function-metrics',
        Dimensions: [['functionVersion']],
        Metrics: [{ Name: 'time', Unit: 'Milliseconds', StorageResolution: 60 }],
      },
    ],
  },
  functionVersion: '$LATEST',
  time: 100,
  requestId: '989ffbf8-9ace-4817-a57c-e4dd734019ee',
};

function withDirective(directive: Record<string, unknown>, root: Record<string, unknown> = {}): string {
  return JSON.stringify({ _aws: { Timestamp: 1574109732004, CloudWatchMetrics: [directive] }, ...root });
}

describe('parseEmf', () => {
  it('extracts the specification example: one datapoint for the dimension set', () => {
    const result = parseEmf(JSON.stringify(SPEC_EXAMPLE));
    expect(result).toEqual({
      kind: 'metrics',
      datapoints: [{
        namespace: 'lambda-function-metrics', metricName: 'time', dimensions: [{ name: 'functionVersion', value: '$LATEST' }],
        timestampMs: 1574109732004, unit: 'Milliseconds', storageResolutionSeconds: 60,
        sampleCount: 1, sum: 100, minimum: 100, maximum: 100, values: [[100, 1]],
      }],
    });
  });

  it('takes an array of values as one datapoint of that many samples, high resolution kept', () => {
    const line = withDirective({ Namespace: 'N', Dimensions: [['a']], Metrics: [{ Name: 'lat', StorageResolution: 1 }] }, { a: 'x', lat: [1, 5, 3] });
    const result = parseEmf(line);
    if (result.kind !== 'metrics') throw new Error(result.kind);
    expect(result.datapoints[0]).toMatchObject({ sampleCount: 3, sum: 9, minimum: 1, maximum: 5, unit: 'None', storageResolutionSeconds: 1 });
  });

  it('gives one datapoint per dimension set, and none-dimension metrics for an empty Dimensions', () => {
    const two = parseEmf(withDirective({ Namespace: 'N', Dimensions: [['a'], ['a', 'b']], Metrics: [{ Name: 'm' }] }, { a: '1', b: '2', m: 4 }));
    if (two.kind !== 'metrics') throw new Error(two.kind);
    expect(two.datapoints.map((p) => p.dimensions.map((d) => d.name))).toEqual([['a'], ['a', 'b']]);
    const none = parseEmf(withDirective({ Namespace: 'N', Dimensions: [], Metrics: [{ Name: 'm' }] }, { m: 4 }));
    if (none.kind !== 'metrics') throw new Error(none.kind);
    expect(none.datapoints.map((p) => p.dimensions)).toEqual([[]]);
  });

  it('reads the Powertools document a handler writes', () => {
    const line = '{"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"xray-tracer","Dimensions":[["service"]],"Metrics":[{"Name":"requestFailures","Unit":"Count"}]}]},"service":"http","requestFailures":1}';
    const result = parseEmf(line);
    if (result.kind !== 'metrics') throw new Error(result.kind);
    expect(result.datapoints[0]).toMatchObject({ namespace: 'xray-tracer', metricName: 'requestFailures', unit: 'Count', sum: 1 });
  });

  it('leaves ordinary lines alone', () => {
    expect(parseEmf('START RequestId: 1 Version: $LATEST')).toEqual({ kind: 'not-emf' });
    expect(parseEmf('{"level":"INFO","message":"hi"}')).toEqual({ kind: 'not-emf' });
    expect(parseEmf('2024-01-01T00:00:00Z\tid\tINFO\t{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]}}')).toEqual({ kind: 'not-emf' });
  });

  it.each([
    ['a missing Timestamp', JSON.stringify({ _aws: { CloudWatchMetrics: [] } }), /Timestamp/],
    ['a Namespace that is not a string', withDirective({ Namespace: 1, Dimensions: [], Metrics: [] }), /Namespace/],
    ['an empty Namespace', withDirective({ Namespace: '', Dimensions: [], Metrics: [] }), /Namespace/],
    ['31 dimensions in a set', withDirective({ Namespace: 'N', Dimensions: [Array.from({ length: 31 }, (_, i) => `d${i}`)], Metrics: [] },
      Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`d${i}`, 'v']))), /31 dimensions/],
    ['101 metrics in a directive', withDirective({ Namespace: 'N', Dimensions: [], Metrics: Array.from({ length: 101 }, (_, i) => ({ Name: `m${i}` })) },
      Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`m${i}`, 1]))), /101 metrics/],
    ['a dimension member that is missing', withDirective({ Namespace: 'N', Dimensions: [['a']], Metrics: [{ Name: 'm' }] }, { m: 1 }), /dimension "a"/],
    ['a dimension member that is a number', withDirective({ Namespace: 'N', Dimensions: [['a']], Metrics: [{ Name: 'm' }] }, { a: 3, m: 1 }), /dimension "a"/],
    ['a metric value that is a string', withDirective({ Namespace: 'N', Dimensions: [], Metrics: [{ Name: 'm' }] }, { m: '1' }), /number/],
    ['a metric without its value', withDirective({ Namespace: 'N', Dimensions: [], Metrics: [{ Name: 'm' }] }), /no value/],
    ['101 values', withDirective({ Namespace: 'N', Dimensions: [], Metrics: [{ Name: 'm' }] }, { m: Array.from({ length: 101 }, () => 1) }), /101 values/],
    ['an unknown unit', withDirective({ Namespace: 'N', Dimensions: [], Metrics: [{ Name: 'm', Unit: 'Furlongs' }] }, { m: 1 }), /unit/],
    ['a StorageResolution of 5', withDirective({ Namespace: 'N', Dimensions: [], Metrics: [{ Name: 'm', StorageResolution: 5 }] }, { m: 1 }), /StorageResolution/],
  ])('refuses %s', (_, line, reason) => {
    const result = parseEmf(line);
    expect(result.kind).toBe('invalid');
    if (result.kind === 'invalid') expect(result.reason).toMatch(reason);
  });
});
