/**
 * ForecastStatistics of GetTimeSeriesServiceStatistics: for each period, the fault count X-Ray
 * would expect from the periods before it (AWS uses its forecasts to decide when a service became
 * anomalous). Locally a plain band: the mean of up to FORECAST_HISTORY preceding periods' fault
 * counts, plus or minus FORECAST_SIGMAS standard deviations, whole counts, never below zero. A period
 * with nothing before it in the range forecasts 0 to 0.
 */
import type { TimeSeriesServiceStatisticsJson } from './wire.ts';

export const FORECAST_HISTORY = 10;
export const FORECAST_SIGMAS = 2;

export interface ForecastJson {
  FaultCountHigh: number;
  FaultCountLow: number;
}

export function withForecasts(series: readonly TimeSeriesServiceStatisticsJson[]): Array<TimeSeriesServiceStatisticsJson & { ServiceForecastStatistics: ForecastJson }> {
  const faults = series.map((point) => (point.ServiceSummaryStatistics ?? point.EdgeSummaryStatistics)?.FaultStatistics.TotalCount ?? 0);
  return series.map((point, index) => ({ ...point, ServiceForecastStatistics: forecast(faults.slice(Math.max(0, index - FORECAST_HISTORY), index)) }));
}

function forecast(history: readonly number[]): ForecastJson {
  if (history.length === 0) return { FaultCountHigh: 0, FaultCountLow: 0 };
  const mean = history.reduce((sum, count) => sum + count, 0) / history.length;
  const variance = history.reduce((sum, count) => sum + (count - mean) ** 2, 0) / history.length;
  const spread = FORECAST_SIGMAS * Math.sqrt(variance);
  return { FaultCountHigh: Math.ceil(mean + spread), FaultCountLow: Math.max(0, Math.floor(mean - spread)) };
}
