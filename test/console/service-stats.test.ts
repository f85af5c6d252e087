import { describe, expect, it } from 'vitest';
import { histogramPercentile, operationRows, serviceRows } from '../../src/console/services/service-stats.ts';

describe('Services page numbers', () => {
  it('takes nearest-rank percentiles from a response-time histogram', () => {
    const histogram = [{ Value: 0.3, Count: 1 }, { Value: 0.1, Count: 8 }, { Value: 2, Count: 1 }];
    expect(histogramPercentile(histogram, 50)).toBe(0.1);
    expect(histogramPercentile(histogram, 90)).toBe(0.3);
    expect(histogramPercentile(histogram, 99)).toBe(2);
    expect(histogramPercentile([], 50)).toBeUndefined();
  });

  it('lists services with requests, faults and errors, leaving out the client', () => {
    const rows = serviceRows([
      { ReferenceId: 0, Name: 'client', Type: 'client', SummaryStatistics: { TotalCount: 3 } },
      { ReferenceId: 1, Name: 'http', Type: 'AWS::Lambda::Function', SummaryStatistics: { TotalCount: 10, FaultStatistics: { TotalCount: 4 }, ErrorStatistics: { TotalCount: 1 } }, ResponseTimeHistogram: [{ Value: 0.2, Count: 10 }] },
    ]);
    expect(rows).toEqual([{ name: 'http', type: 'AWS::Lambda::Function', requests: 10, faults: 4, errors: 1, p50: 0.2, p90: 0.2, p99: 0.2 }]);
  });

  it('groups the entry services operations by method and path', () => {
    const entry = { Name: 'api/prod', Names: ['api/prod'], Type: 'AWS::ApiGateway::Stage' };
    const rows = operationRows([
      { Id: 'a', EntryPoint: entry, Http: { HttpMethod: 'GET', HttpURL: 'http://h/prod/a?x=1' }, ResponseTime: 0.1, HasFault: false },
      { Id: 'b', EntryPoint: entry, Http: { HttpMethod: 'GET', HttpURL: 'http://h/prod/a' }, ResponseTime: 0.3, HasFault: true },
      { Id: 'c', EntryPoint: entry, Http: { HttpMethod: 'POST', HttpURL: 'http://h/prod/b' }, ResponseTime: 0.2, HasError: true },
    ]);
    expect(rows.map((r) => [r.operation, r.requests, r.faults, r.errors, r.p50, r.p99])).toEqual([
      ['GET /prod/a', 2, 1, 0, 0.1, 0.3],
      ['POST /prod/b', 1, 0, 1, 0.2, 0.2],
    ]);
  });
});
