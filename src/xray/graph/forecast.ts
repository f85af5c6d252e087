/**
 * ForecastStatistics of GetTimeSeriesServiceStatistics: for each period, the fault count X-Ray
 * would expect from the periods before it (AWS uses its forecasts to decide when a service became
 * anomalous). Locally a plain band: the mean of up to FORECAST_HISTORY preceding periods' fault
 * counts, plus or minus FORECAST_SIGMAS standard deviations, whole counts, never below zero. A period
 * with nothing before it in the range forecasts 0 to 0.
 */
import type { FaultForecast, ForecastPoint, TimeSeriesPoint } from '../model/graph.ts';

export const FORECAST_HISTORY = 10;
export const FORECAST_SIGMAS = 2;

export function withForecasts(series: readonly TimeSeriesPoint[]): ForecastPoint[] {
  const faults = series.map((point) => point.statistics.fault);
  return series.map((point, index) => ({ ...point, forecast: forecast(faults.slice(Math.max(0, index - FORECAST_HISTORY), index)) }));
}

function forecast(history: readonly number[]): FaultForecast {
  if (history.length === 0) return { faultCountHigh: 0, faultCountLow: 0 };
  const mean = history.reduce((sum, count) => sum + count, 0) / history.length;
  const variance = history.reduce((sum, count) => sum + (count - mean) ** 2, 0) / history.length;
  const spread = FORECAST_SIGMAS * Math.sqrt(variance);
  return { faultCountHigh: Math.ceil(mean + spread), faultCountLow: Math.max(0, Math.floor(mean - spread)) };
}
