/**
 * The service map operations of the X-Ray API, read from the store's per-minute graph aggregates
 * (docs/service-graph.md):
 * - GetServiceGraph (`POST /ServiceGraph`): the services and edges of the minutes that overlap
 *   [StartTime, EndTime); the map has minute resolution.
 * - GetTraceGraph (`POST /TraceGraph`): the graph of the given traces alone; unknown ids add nothing.
 * - GetTimeSeriesServiceStatistics (`POST /TimeSeriesServiceStatistics`): per Period (seconds, a
 *   multiple of 60, default 60), the statistics of the services or edges an
 *   EntitySelectorExpression picks (entity-selector.ts), or of the client edges without one.
 *
 * Every answer fits one page, so no NextToken is issued. GroupName or GroupARN scope GetServiceGraph
 * and GetTimeSeriesServiceStatistics to the group's traces (group-graph.ts); the Default group holds
 * every trace.
 */
import type { Aggregate } from '../graph/aggregate.ts';
import { toServiceGraph, toTraceGraph } from '../graph/service-graph.ts';
import { timeSeriesStatistics } from '../graph/time-series.ts';
import { withForecasts } from '../graph/forecast.ts';
import { invalidRequest } from '../http/errors.ts';
import { forecastPointJson, servicesJson, timeSeriesJson } from './graph-json.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { describe, optionalBoolean, optionalNumber, optionalString, requiredEpochSeconds, requiredStringArray } from '../http/json-fields.ts';
import type { GraphReader } from '../store/index.ts';
import type { GetServiceGraphResult, GetTimeSeriesServiceStatisticsResult, GetTraceGraphResult } from '../../common/xray-api/index.ts';
import { parseEntitySelector } from './entity-selector.ts';
import { groupMinutes, groupScope, type GroupGraphOptions } from './group-graph.ts';

const MAX_TRACE_ID_LENGTH = 35;

export interface GraphOperationsOptions extends GroupGraphOptions {
  readonly graph: GraphReader;
  /** Resolves once `graph` shows every write acknowledged before the call (see TraceOperationsOptions). */
  readonly beforeRead?: () => Promise<void>;
}

export function getServiceGraph(options: GraphOperationsOptions) {
  return async (body: JsonObject): Promise<GetServiceGraphResult> => {
    const window = timeWindow(body);
    const group = groupScope(options, body);
    refuseNextToken(body);
    await options.beforeRead?.();
    const aggregate = group === undefined ? read(() => options.graph.getGraphMinutes(window)) : await readAsync(() => groupMinutes(options, group, window));
    return {
      Services: servicesJson(read(() => toServiceGraph(aggregate, window))),
      StartTime: window.startTime,
      EndTime: window.endTime,
      ContainsOldGroupVersions: false,
    };
  };
}

export function getTraceGraph(options: GraphOperationsOptions) {
  return async (body: JsonObject): Promise<GetTraceGraphResult> => {
    const ids = requiredStringArray(body, 'TraceIds', { min: 1 });
    ids.forEach((id, index) => {
      if (id.length < 1 || id.length > MAX_TRACE_ID_LENGTH) {
        throw invalidRequest(`TraceIds[${index}] must be 1 to ${MAX_TRACE_ID_LENGTH} characters long, got ${id.length}`);
      }
    });
    refuseNextToken(body);
    await options.beforeRead?.();
    const contributions: Aggregate[] = options.graph.getTraceContributions(ids).map((trace) => trace.contribution);
    return { Services: servicesJson(toTraceGraph(contributions)) };
  };
}

export function getTimeSeriesServiceStatistics(options: GraphOperationsOptions) {
  return async (body: JsonObject): Promise<GetTimeSeriesServiceStatisticsResult> => {
    const window = timeWindow(body);
    const group = groupScope(options, body);
    refuseNextToken(body);
    const period = optionalNumber(body, 'Period') ?? 60;
    if (!Number.isInteger(period) || period <= 0 || period % 60 !== 0) {
      throw invalidRequest(`Period must be a positive multiple of 60 seconds, got ${describe(period)}`);
    }
    const forecasts = optionalBoolean(body, 'ForecastStatistics') === true;
    const text = optionalString(body, 'EntitySelectorExpression');
    if (forecasts && (text === undefined || text.trim() === '')) {
      throw invalidRequest('ForecastStatistics: forecast enabled requests require an EntitySelectorExpression naming the entity');
    }
    const selector = text === undefined || text.trim() === '' ? undefined : parseEntitySelector(text);
    await options.beforeRead?.();
    // Periods are aligned to the epoch: the first one may start before StartTime.
    const first = Math.floor(window.startTime / period) * period;
    const periods = { startTime: first, endTime: window.endTime };
    const aggregate = group === undefined ? read(() => options.graph.getGraphMinutes(periods)) : await readAsync(() => groupMinutes(options, group, periods));
    const series = read(() => timeSeriesStatistics(aggregate, { ...window, period, selector }));
    return {
      TimeSeriesServiceStatistics: forecasts ? withForecasts(series).map(forecastPointJson) : series.map(timeSeriesJson),
      ContainsOldGroupVersions: false,
    };
  };
}

function timeWindow(body: JsonObject): { startTime: number; endTime: number } {
  const startTime = requiredEpochSeconds(body, 'StartTime');
  const endTime = requiredEpochSeconds(body, 'EndTime');
  if (endTime < startTime) throw invalidRequest(`EndTime (${endTime}) must not be before StartTime (${startTime})`);
  return { startTime, endTime };
}

function refuseNextToken(body: JsonObject): void {
  const token = optionalString(body, 'NextToken');
  if (token !== undefined) throw invalidRequest(`NextToken ${describe(token)} was not issued by this service`);
}

/** The graph functions throw RangeError for a window or period they cannot serve: the caller's mistake. */
function read<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw asRequestError(error);
  }
}

async function readAsync<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asRequestError(error);
  }
}

function asRequestError(error: unknown): unknown {
  return error instanceof RangeError ? invalidRequest(error.message) : error;
}
