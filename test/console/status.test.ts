import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../src/console/api/types.ts';
import { buildTraceSeries, tracesText } from '../../src/console/analytics/trace-series.ts';
import { rootResponseText, rootStatusOf, statusOf } from '../../src/console/traces/status.ts';
import { storedSummaryJson } from '../../src/xray/api/trace-summary-json.ts';
import { computeTrace } from '../../src/xray/traces/summary.ts';
import { parseRecords } from '../../src/xray/traces/tree.ts';
import { toRecord } from '../xray/fixtures/index.ts';
import { patternTrace } from '../xray/graph/pattern-traces.ts';
import type { PatternOptions } from '../xray/graph/pattern-traces.ts';

const T0 = 1_700_000_000;

/** The summary the service computes for one pattern request, as GetTraceSummaries sends it. */
function patternSummary(number: number, options: PatternOptions = {}): TraceSummary {
  const records = patternTrace(number, T0 + number, options).documents.map((document) => toRecord(JSON.stringify(document)));
  return JSON.parse(JSON.stringify(storedSummaryJson(computeTrace(records[0]!.traceId, parseRecords(records)).summary))) as TraceSummary;
}

describe('a trace status', () => {
  it('is the worst of its segments: a gateway 200 in front of a faulted HTTP flow is a fault', () => {
    const summary = patternSummary(1, { httpFaults: true });
    // The API stays AWS's: HasFault is the root segment's, and the gateway answered 200.
    expect(summary.HasFault).toBe(false);
    expect(summary.Http?.HttpStatus).toBe(200);
    expect(statusOf(summary)).toBe('fault');
    expect(rootStatusOf(summary)).toBe('ok');
    expect(rootResponseText(summary)).toBe('root answered 200 (ok)');
  });

  it('is ok when no segment failed, throttle when DynamoDB throttled', () => {
    expect(statusOf(patternSummary(2))).toBe('ok');
    expect(statusOf(patternSummary(3, { dynamoThrottled: true }))).toBe('throttle');
  });

  it('an error root cause alone makes an error', () => {
    expect(statusOf({ ErrorRootCauses: [{ Services: [{ Name: 'fn', Type: 'AWS::Lambda::Function' }] }] })).toBe('error');
    expect(statusOf({ HasFault: true })).toBe('fault');
  });

  it('drives the Analytics chart: faults behind a 200 count as faults', () => {
    const summaries = [patternSummary(1, { httpFaults: true }), patternSummary(2), patternSummary(4, { httpFaults: true })];
    const [point] = buildTraceSeries(summaries, { start: T0, end: T0 + 60 }, 60);
    expect(tracesText(point!)).toBe('3 traces: 1 OK, 0 errors, 0 throttles, 2 faults');
  });
});
