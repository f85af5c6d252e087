/** The X-Ray API's router as the service builds it, over in-memory parts, for tests that need one without a service. */
import { openAccountFeatures } from '../../../src/xray/account-features.ts';
import { createApiRouter, type ApiRouterOptions } from '../../../src/xray/api/server.ts';
import { BatchWriter } from '../../../src/xray/ingest/batch-writer.ts';
import type { Router } from '../../../src/xray/http/router.ts';
import { Groups, MemoryGroupStorage } from '../../../src/xray/groups/index.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { MemorySamplingRuleStorage, SamplingRules, SamplingStatistics } from '../../../src/xray/sampling/index.ts';
import { validateDocument } from '../../../src/xray/segments/validate.ts';
import { MemorySettingsStore } from '../../../src/xray/settings/index.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';

export function inMemoryApiRouter(nowSeconds: number, overrides: Partial<ApiRouterOptions> = {}): Router {
  const groups = new Groups({ storage: new MemoryGroupStorage() });
  const rules = new SamplingRules({ storage: new MemorySamplingRuleStorage(), defaults: { fixedRate: 1, reservoirSize: 1 }, nowSeconds: () => nowSeconds });
  const store = new MemoryTraceStore({ nowSeconds: () => nowSeconds });
  const account = openAccountFeatures({
    settings: new MemorySettingsStore(), groups, samplingRules: rules, store, nowMs: () => nowSeconds * 1000, region: 'us-east-1', accountId: '000000000000',
  });
  return createApiRouter({
    store, graph: store, writer: new BatchWriter({ writer: store, logger: silentLogger }), validate: validateDocument, summariesPageSize: 10, groups,
    sampling: { rules, statistics: new SamplingStatistics({ nowSeconds: () => nowSeconds }), pageSize: 10 }, account,
    ...overrides,
  });
}
