/**
 * `POST /local/FunctionMetrics` (local only): a function's CloudWatch metrics over a window, for the
 * console's map, read from the source the service was given (the local cloud's metrics). Period is
 * chosen as the console's charts choose it: 60 s or more, a multiple of 60, at most 1,440 periods.
 */
import { invalidRequest, resourceNotFound } from '../http/errors.ts';
import { optionalNumber, requiredEpochSeconds, requiredString } from '../http/json-fields.ts';
import type { Router } from '../http/router.ts';
import type { FunctionMetricsSource } from '../metrics-source/function-metrics.ts';

const MAX_PERIODS = 1440;

export function addFunctionMetricsRoute(router: Router, source: () => FunctionMetricsSource | undefined): Router {
  return router.postJson('/local/FunctionMetrics', (body) => {
    const functionName = requiredString(body, 'FunctionName');
    const startTime = requiredEpochSeconds(body, 'StartTime');
    const endTime = requiredEpochSeconds(body, 'EndTime');
    if (startTime >= endTime) throw invalidRequest('StartTime must be before EndTime');
    const period = optionalNumber(body, 'Period') ?? 60;
    if (!Number.isInteger(period) || period < 60 || period % 60 !== 0) throw invalidRequest('Period must be a positive multiple of 60 seconds');
    if ((endTime - startTime) / period > MAX_PERIODS) throw invalidRequest(`At most ${MAX_PERIODS} periods: widen Period or narrow the window`);
    const current = source();
    if (current === undefined) throw resourceNotFound('This X-Ray service has no metrics source: CloudWatch metrics come with the local cloud (npm start)', 'metrics');
    return {
      Metrics: current.functionMetrics(functionName, { startTime, endTime }, period).map((series) => ({
        Namespace: series.namespace,
        MetricName: series.metricName,
        Dimensions: series.dimensions,
        Unit: series.unit,
        Stat: series.stat,
        Points: series.points.map((p) => ({ Timestamp: p.timestamp, Value: p.value })),
      })),
    };
  });
}
