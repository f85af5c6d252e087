/**
 * Indexing rules (GetIndexingRules, UpdateIndexingRule). AWS has one, `Default`, a probabilistic
 * rule: with Transaction Search on (destination CloudWatchLogs) X-Ray indexes that percentage of
 * trace ids as trace summaries, 1% unless changed. With destination XRay every trace is indexed and
 * the rule does not apply.
 *
 * Locally it means the same: while the destination is CloudWatchLogs, GetTraceSummaries and
 * BatchGetTraces answer only the indexed traces (a trace id is indexed when a hash of it falls
 * under the percentage, so the choice is stable), and StartTraceRetrieval reaches every trace, as
 * it reads `aws/spans` on AWS.
 */
import { createHash } from 'node:crypto';
import type { SettingsStore } from '../settings/index.ts';
import type { TraceSegmentDestination } from './destination.ts';

export const DEFAULT_INDEXING_RULE = 'Default';
/** AWS's default share of traces indexed with Transaction Search. */
export const DEFAULT_SAMPLING_PERCENTAGE = 1;

export interface IndexingRule {
  readonly name: string;
  /** Epoch seconds. */
  readonly modifiedAt: number;
  readonly desiredSamplingPercentage: number;
  readonly actualSamplingPercentage: number;
}

interface StoredRule {
  readonly desiredSamplingPercentage: number;
  readonly modifiedAt: number;
}

const PREFIX = 'transaction-search/indexing-rule/';

export class UnknownIndexingRuleError extends Error {
  override readonly name = 'UnknownIndexingRuleError';
}

export class IndexingRules {
  /** When the Default rule was never changed: the service's start. */
  private readonly startedAt: number;

  constructor(private readonly options: { readonly settings: SettingsStore; readonly nowSeconds: () => number; readonly destination: TraceSegmentDestination }) {
    this.startedAt = options.nowSeconds();
  }

  list(): IndexingRule[] {
    const stored = this.options.settings.get(PREFIX + DEFAULT_INDEXING_RULE) as StoredRule | undefined;
    const desired = stored?.desiredSamplingPercentage ?? DEFAULT_SAMPLING_PERCENTAGE;
    // Locally nothing limits the share, so what is applied is what is asked.
    return [{ name: DEFAULT_INDEXING_RULE, modifiedAt: stored?.modifiedAt ?? this.startedAt, desiredSamplingPercentage: desired, actualSamplingPercentage: desired }];
  }

  update(name: string, desiredSamplingPercentage: number): IndexingRule {
    if (name !== DEFAULT_INDEXING_RULE) throw new UnknownIndexingRuleError(`there is no indexing rule named ${JSON.stringify(name)}; the only one is ${DEFAULT_INDEXING_RULE}`);
    const stored: StoredRule = { desiredSamplingPercentage, modifiedAt: this.options.nowSeconds() };
    this.options.settings.put(PREFIX + name, stored);
    return this.list()[0]!;
  }

  /** Whether X-Ray's trace index (summaries, BatchGetTraces) holds the trace now. */
  indexes(): (traceId: string) => boolean {
    if (this.options.destination.current() !== 'CloudWatchLogs') return () => true;
    const share = this.list()[0]!.actualSamplingPercentage / 100;
    return (traceId) => hashShare(traceId) < share;
  }
}

/** Where a trace id falls in [0, 1), the same on every call. */
export function hashShare(traceId: string): number {
  return createHash('sha256').update(`indexing:${traceId}`).digest().readUInt32BE(0) / 0x1_0000_0000;
}
