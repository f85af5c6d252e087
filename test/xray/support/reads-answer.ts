import { expect } from 'vitest';

/**
 * After hostile input was stored: the reads that sum over every stored trace (summaries, the
 * service graph, time series) each answer 200 for the hour either side of `nowSeconds`.
 */
export async function expectReadsAnswer200(apiUrl: string, nowSeconds: number): Promise<void> {
  for (const [route, body] of [
    ['/TraceSummaries', { StartTime: nowSeconds - 3600, EndTime: nowSeconds + 3600 }],
    ['/ServiceGraph', { StartTime: nowSeconds - 3600, EndTime: nowSeconds + 3600 }],
    ['/TimeSeriesServiceStatistics', { StartTime: nowSeconds - 3600, EndTime: nowSeconds + 3600, Period: 60 }],
  ] as const) {
    const response = await fetch(`${apiUrl}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status, `${route}: ${(await response.text()).slice(0, 300)}`).toBe(200);
  }
}
