/**
 * Builds the account-wide features (encryption, tags, resource policies, telemetry, Transaction
 * Search) over one settings store, for the service and tests alike.
 */
import type { AccountFeatures } from './api/server.ts';
import { Encryption } from './encryption/encryption.ts';
import { toTraceGraph } from './graph/service-graph.ts';
import type { Groups } from './groups/index.ts';
import { ResourcePolicies } from './policies/policies.ts';
import type { SamplingRules } from './sampling/index.ts';
import type { SettingsStore } from './settings/index.ts';
import type { GraphReader, TraceReader } from './store/index.ts';
import { ResourceTags } from './tags/tags.ts';
import { Telemetry } from './telemetry/telemetry.ts';
import { TraceSegmentDestination } from './transaction-search/destination.ts';
import { IndexingRules } from './transaction-search/indexing.ts';
import type { RetrievalRequest, RetrievalResult } from './transaction-search/retrievals.ts';
import { TraceRetrievals } from './transaction-search/retrievals.ts';

export interface AccountFeaturesOptions {
  readonly settings: SettingsStore;
  readonly groups: Groups | undefined;
  readonly samplingRules: SamplingRules;
  readonly store: TraceReader & GraphReader;
  /** Resolves once `store` shows every acknowledged write. */
  readonly beforeRead?: () => Promise<void>;
  readonly nowMs: () => number;
  readonly region: string;
  readonly accountId: string;
  /** How long PutEncryptionConfig reports UPDATING. Default 5 s. */
  readonly encryptionUpdatingMs?: number;
  /** How long UpdateTraceSegmentDestination reports PENDING. Default 5 s. */
  readonly destinationPendingMs?: number;
  /** How a trace retrieval is run later (tests pass their own). Default setImmediate. */
  readonly scheduleRetrieval?: (task: () => void) => void;
  readonly onRetrievalError?: (error: unknown) => void;
}

const DEFAULT_TRANSITION_MS = 5000;

export function openAccountFeatures(options: AccountFeaturesOptions): AccountFeatures {
  const { settings, nowMs } = options;
  const nowSeconds = (): number => nowMs() / 1000;
  const destination = new TraceSegmentDestination({ settings, nowMs, pendingMs: options.destinationPendingMs ?? DEFAULT_TRANSITION_MS });
  return {
    encryption: new Encryption({
      settings, nowMs, updatingMs: options.encryptionUpdatingMs ?? DEFAULT_TRANSITION_MS, region: options.region, accountId: options.accountId,
    }),
    tags: new ResourceTags({
      settings,
      exists: (arn) => (options.groups?.list().some((group) => group.arn === arn) ?? false)
        || options.samplingRules.list().some((rule) => rule.arn === arn),
    }),
    policies: new ResourcePolicies({ settings, nowSeconds }),
    telemetry: new Telemetry({ settings, nowSeconds }),
    transactionSearch: {
      destination,
      indexing: new IndexingRules({ settings, nowSeconds, destination }),
      retrievals: new TraceRetrievals({
        read: (request) => retrieve(options, request), nowMs, schedule: options.scheduleRetrieval, onError: options.onRetrievalError,
      }),
    },
    nowSeconds,
  };
}

/** What a retrieval finds: the traces' segments that fall in its time range, and their graph. */
async function retrieve(options: AccountFeaturesOptions, request: RetrievalRequest): Promise<RetrievalResult> {
  await options.beforeRead?.();
  const traces = options.store.getTraces(request.traceIds)
    .map((trace) => ({
      id: trace.id,
      duration: trace.duration,
      segments: trace.segments.filter((segment) => overlaps(segment.document, request.startTime, request.endTime)),
    }))
    .filter((trace) => trace.segments.length > 0);
  const found = traces.map((trace) => trace.id);
  const services = found.length === 0 ? [] : toTraceGraph(options.store.getTraceContributions(found).map((trace) => trace.contribution));
  return { traces, services };
}

/** Whether a segment ran at some time in [startTime, endTime]; one without times is kept. */
function overlaps(document: string, startTime: number, endTime: number): boolean {
  try {
    const { start_time: start, end_time: end } = JSON.parse(document) as { start_time?: unknown; end_time?: unknown };
    if (typeof start !== 'number') return true;
    return start <= endTime && (typeof end === 'number' ? end : start) >= startTime;
  } catch {
    return true;
  }
}
