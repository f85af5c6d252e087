import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/common/trace-model/timeline.ts';
import { failureLead, failureText } from '../../src/console/trace/failure.ts';
import { patternTrace } from '../xray/graph/pattern-traces.ts';

describe('where a trace failed', () => {
  it('is the first faulted segment, with its exception and where the fault started', () => {
    const trace = patternTrace(1, 1_700_000_000, { httpFaults: true });
    const lead = failureLead(buildTimeline(trace.documents));
    expect(lead?.row.name).toBe('http-flow');
    expect(lead?.row.origin).toBe('AWS::Lambda::Function');
    expect(failureText(lead!)).toBe('Fault in http-flow (AWS::Lambda::Function), attempt 1 of 1: Error: GET https://jsonplaceholder.typicode.com/todos/1 answered HTTP 502 · started at jsonplaceholder.typicode.com: Error: Bad Gateway');
  });

  it('says which run of a retried invocation it was', () => {
    const trace = patternTrace(2, 1_700_000_000, { httpFaults: true });
    const service = trace.documents.find((d) => d['name'] === 'http-flow' && d['origin'] === 'AWS::Lambda');
    trace.segment('http-flow', 0.9, 1.0, { parent_id: service?.id, origin: 'AWS::Lambda::Function', fault: true });
    const timeline = buildTimeline(trace.documents);
    expect(failureLead(timeline)?.attempt).toEqual({ number: 1, of: 2 });
  });

  it('is a throttle before an error, and nothing for a healthy trace', () => {
    expect(failureText(failureLead(buildTimeline(patternTrace(3, 1_700_000_000, { dynamoThrottled: true }).documents))!))
      .toBe('Throttled in DynamoDB (aws): ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput.');
    expect(failureLead(buildTimeline(patternTrace(4, 1_700_000_000).documents))).toBeUndefined();
  });
});
