/**
 * Where trace segments go (GetTraceSegmentDestination, UpdateTraceSegmentDestination): `XRay`, the
 * default, or `CloudWatchLogs`, which turns Transaction Search on. On AWS, CloudWatchLogs sends
 * every span to the `aws/spans` log group and X-Ray then indexes only a share of the traces as trace
 * summaries (the Default indexing rule, indexing.ts). A change is PENDING for `pendingMs`, then
 * ACTIVE, as AWS reports it.
 *
 * Locally the store plays the part of `aws/spans`: it keeps every trace, and StartTraceRetrieval
 * reads it. The local cloud has no CloudWatch Logs yet, so no `aws/spans` log group is written;
 * the README says so.
 */
import type { SettingsStore } from '../settings/index.ts';

export type SegmentDestination = 'XRay' | 'CloudWatchLogs';
export type DestinationStatus = 'PENDING' | 'ACTIVE';

interface StoredDestination {
  readonly destination: SegmentDestination;
  readonly changedAtMs: number;
  /** Set once CloudWatchLogs was first chosen: AWS then made `aws/spans`, and keeps it. */
  readonly spansLogGroupCreated: boolean;
  readonly spansLogGroupKmsKeyId?: string;
}

const KEY = 'transaction-search/destination';

/** A change AWS refuses (InvalidRequestException). */
export class DestinationRequestError extends Error {
  override readonly name = 'DestinationRequestError';
}

export class TraceSegmentDestination {
  constructor(private readonly options: { readonly settings: SettingsStore; readonly nowMs: () => number; readonly pendingMs: number }) {}

  get(): { destination: SegmentDestination; status: DestinationStatus } {
    const stored = this.stored();
    if (stored === undefined) return { destination: 'XRay', status: 'ACTIVE' };
    const pending = this.options.nowMs() < stored.changedAtMs + this.options.pendingMs;
    return { destination: stored.destination, status: pending ? 'PENDING' : 'ACTIVE' };
  }

  /** The destination in effect for reads: a change counts from when it was asked. */
  current(): SegmentDestination {
    return this.stored()?.destination ?? 'XRay';
  }

  update(destination: SegmentDestination | undefined, spansLogGroupKmsKeyId: string | undefined): { destination: SegmentDestination; status: DestinationStatus } {
    const stored = this.stored();
    const next = destination ?? stored?.destination ?? 'XRay';
    if (spansLogGroupKmsKeyId !== undefined) {
      if (next !== 'CloudWatchLogs') throw new DestinationRequestError('CloudWatchLogsConfiguration applies only when Destination is CloudWatchLogs');
      if (!/^arn:aws[\w-]*:kms:[^:]+:\d{12}:key\/.+$/.test(spansLogGroupKmsKeyId)) {
        throw new DestinationRequestError('CloudWatchLogsConfiguration.SpansLogGroupKmsKeyId must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>); key ids and alias ARNs are not supported');
      }
      if (stored?.spansLogGroupCreated === true) {
        throw new DestinationRequestError('the aws/spans log group already exists, so its key cannot be set here; call again without SpansLogGroupKmsKeyId');
      }
    }
    const changed = next !== (stored?.destination ?? 'XRay');
    // Asking for the destination in effect changes nothing, and is not PENDING again.
    const unchangedSinceMs = stored?.changedAtMs ?? this.options.nowMs() - this.options.pendingMs;
    const keyId = spansLogGroupKmsKeyId ?? stored?.spansLogGroupKmsKeyId;
    const record: StoredDestination = {
      destination: next,
      changedAtMs: changed ? this.options.nowMs() : unchangedSinceMs,
      spansLogGroupCreated: (stored?.spansLogGroupCreated ?? false) || next === 'CloudWatchLogs',
      ...(keyId === undefined ? {} : { spansLogGroupKmsKeyId: keyId }),
    };
    this.options.settings.put(KEY, record);
    return this.get();
  }

  private stored(): StoredDestination | undefined {
    return this.options.settings.get(KEY) as StoredDestination | undefined;
  }
}
