import { Router } from '../http/router.ts';
import { addGroupRoutes } from './groups.ts';
import { addSamplingRoutes, addSamplingRuleRoutes } from '../sampling/routes.ts';
import type { Sampling } from '../sampling/routes.ts';
import type { GraphOperationsOptions } from './graph.ts';
import { getServiceGraph, getTimeSeriesServiceStatistics, getTraceGraph } from './graph.ts';
import type { TraceOperationsOptions } from './traces.ts';
import { batchGetTraces, getTraceSummaries, putTraceSegments } from './traces.ts';

export type ApiRouterOptions = TraceOperationsOptions & GraphOperationsOptions & { readonly sampling: Sampling };

/**
 * The X-Ray REST API's routes (AWS's paths, all POST). Later operations (service and trace graphs,
 * groups, sampling rules) and the console register on the same router.
 */
export function createApiRouter(options: ApiRouterOptions): Router {
  const router = new Router()
    .postJson('/TraceSegments', putTraceSegments(options))
    .postJson('/Traces', batchGetTraces(options))
    .postJson('/TraceSummaries', getTraceSummaries(options))
    .postJson('/ServiceGraph', getServiceGraph(options))
    .postJson('/TraceGraph', getTraceGraph(options))
    .postJson('/TimeSeriesServiceStatistics', getTimeSeriesServiceStatistics(options));
  if (options.groups !== undefined) addGroupRoutes(router, options.groups);
  return addSamplingRuleRoutes(addSamplingRoutes(router, options.sampling), options.sampling);
}
