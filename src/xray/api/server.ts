import { Router } from '../http/router.ts';
import { addGroupRoutes } from './groups.ts';
import { addSamplingRoutes, addSamplingRuleRoutes } from './sampling.ts';
import type { Sampling } from './sampling.ts';
import type { GraphOperationsOptions } from './graph.ts';
import { getServiceGraph, getTimeSeriesServiceStatistics, getTraceGraph } from './graph.ts';
import type { TraceOperationsOptions } from './traces.ts';
import { batchGetTraces, getTraceSummaries, putTraceSegments } from './traces.ts';
import { SUMMARY_COUNT_PATH, countTraceSummaries } from './summary-count.ts';
import type { Encryption } from '../encryption/encryption.ts';
import { addEncryptionRoutes } from './encryption.ts';
import { addInsightRoutes } from './insights.ts';
import type { ResourcePolicies } from '../policies/policies.ts';
import { addPolicyRoutes } from './policies.ts';
import { addTagRoutes } from './tags.ts';
import type { ResourceTags } from '../tags/tags.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { addTelemetryRoutes } from './telemetry.ts';
import { addTransactionSearchRoutes, type TransactionSearch } from './transaction-search.ts';
import { addConsoleLogRoutes, type ConsoleLogSource } from './console-logs.ts';

/** The account-wide features beside traces, groups and sampling rules. */
export interface AccountFeatures {
  readonly encryption: Encryption;
  readonly tags: ResourceTags;
  readonly policies: ResourcePolicies;
  readonly telemetry: Telemetry;
  readonly transactionSearch: TransactionSearch;
  readonly nowSeconds: () => number;
}

export type ApiRouterOptions = TraceOperationsOptions & GraphOperationsOptions & {
  readonly sampling: Sampling;
  readonly account: AccountFeatures;
  /** CloudWatch Logs for the console, from whoever runs the cloud beside this service. */
  readonly consoleLogs?: ConsoleLogSource;
};

/**
 * The X-Ray REST API's routes (AWS's paths, all POST): every operation of the AWS SDK's XRayClient,
 * each feature's routes from its own module. The console registers on the same router.
 */
export function createApiRouter(options: ApiRouterOptions): Router {
  const { account } = options;
  const router = new Router()
    .postJson('/TraceSegments', putTraceSegments(options))
    .postJson('/Traces', batchGetTraces(options))
    .postJson('/TraceSummaries', getTraceSummaries(options))
    .postJson(SUMMARY_COUNT_PATH, countTraceSummaries(options))
    .postJson('/ServiceGraph', getServiceGraph(options))
    .postJson('/TraceGraph', getTraceGraph(options))
    .postJson('/TimeSeriesServiceStatistics', getTimeSeriesServiceStatistics(options));
  if (options.groups !== undefined) addGroupRoutes(router, options.groups, account.tags);
  addSamplingRuleRoutes(addSamplingRoutes(router, options.sampling), options.sampling, account.tags);
  addEncryptionRoutes(router, account.encryption);
  addTagRoutes(router, account.tags);
  addPolicyRoutes(router, account.policies);
  addTelemetryRoutes(router, account.telemetry);
  addTransactionSearchRoutes(router, account.transactionSearch);
  addConsoleLogRoutes(router, options.consoleLogs);
  return addInsightRoutes(router, { groups: options.groups, nowSeconds: account.nowSeconds });
}
