import { describe, expect, it } from 'vitest';
import { contributionOfTrace, mergeAggregates, timeSeriesStatistics as series, type Aggregate } from '../../../src/xray/graph/index.ts';
import { timeSeriesJson, type TimeSeriesServiceStatisticsJson } from '../../../src/xray/api/graph-json.ts';
import { REMOTE_HOST, patternTrace } from './pattern-traces.ts';

const ALIGN = 1_700_000_100; // a multiple of 300

/** The series as GetTimeSeriesServiceStatistics writes it. */
const timeSeriesStatistics = (...args: Parameters<typeof series>): TimeSeriesServiceStatisticsJson[] => series(...args).map(timeSeriesJson);

function workload(): Aggregate {
  return mergeAggregates(
    contributionOfTrace(patternTrace(1, ALIGN + 10).build()),
    contributionOfTrace(patternTrace(2, ALIGN + 70).build()),
    contributionOfTrace(patternTrace(3, ALIGN + 75, { httpFaults: true }).build()),
    contributionOfTrace(patternTrace(4, ALIGN + 310).build()),
  );
}

const stats = (ok: number, fault: number, seconds: number) => ({
  OkCount: ok,
  ErrorStatistics: { ThrottleCount: 0, OtherCount: 0, TotalCount: 0 },
  FaultStatistics: { OtherCount: fault, TotalCount: fault },
  TotalCount: ok + fault,
  TotalResponseTime: seconds,
});

describe('time series statistics', () => {
  it('by default sums the client edges per period, periods aligned to the epoch', () => {
    const series = timeSeriesStatistics(workload(), { startTime: ALIGN + 5, endTime: ALIGN + 600, period: 300 });
    expect(series).toEqual([
      { Timestamp: ALIGN, EdgeSummaryStatistics: stats(3, 0, 0.3), ResponseTimeHistogram: [{ Value: 0.1, Count: 3 }] },
      { Timestamp: ALIGN + 300, EdgeSummaryStatistics: stats(1, 0, 0.1), ResponseTimeHistogram: [{ Value: 0.1, Count: 1 }] },
    ]);
  });

  it('sums a selected service, or a selected edge, and lists empty minutes with zeros', () => {
    const aggregate = workload();
    const httpFunction = { kind: 'service' as const, match: (node: { name: string; type: string | undefined }) => node.name === 'http-flow' && node.type === 'AWS::Lambda::Function' };
    expect(timeSeriesStatistics(aggregate, { startTime: ALIGN, endTime: ALIGN + 180, selector: httpFunction })).toEqual([
      { Timestamp: ALIGN, ServiceSummaryStatistics: stats(1, 0, 0.53), ResponseTimeHistogram: [{ Value: 0.53, Count: 1 }] },
      { Timestamp: ALIGN + 60, ServiceSummaryStatistics: stats(1, 1, 1.06), ResponseTimeHistogram: [{ Value: 0.53, Count: 2 }] },
      { Timestamp: ALIGN + 120, ServiceSummaryStatistics: stats(0, 0, 0), ResponseTimeHistogram: [] },
    ]);
    const toRemote = { kind: 'edge' as const, match: (_: unknown, target: { name: string }) => target.name === REMOTE_HOST };
    const [edge] = timeSeriesStatistics(aggregate, { startTime: ALIGN, endTime: ALIGN + 300, period: 300, selector: toRemote });
    expect(edge?.EdgeSummaryStatistics).toEqual(stats(2, 1, 1.38));
  });

  it('rejects periods that are not whole minutes and windows with too many periods', () => {
    const aggregate = workload();
    expect(() => timeSeriesStatistics(aggregate, { startTime: ALIGN, endTime: ALIGN + 600, period: 90 }))
      .toThrow('Period must be a positive multiple of 60 seconds, got 90');
    expect(() => timeSeriesStatistics(aggregate, { startTime: ALIGN, endTime: ALIGN + 600, period: 0 })).toThrow('got 0');
    expect(() => timeSeriesStatistics(aggregate, { startTime: ALIGN, endTime: ALIGN + 365 * 86_400 }))
      .toThrow('StartTime to EndTime holds 525600 periods of 60 s; at most 10000 are allowed');
  });
});
