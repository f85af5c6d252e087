/**
 * One stream event source mapping's reader, as Lambda's stream pollers work (Lambda developer
 * guide, "Using AWS Lambda with Amazon DynamoDB"): one batch at a time from the shard's checkpoint,
 * in order; a batch is handed to the function synchronously and the checkpoint moves past it only
 * when it succeeds. A failed batch is retried (BisectBatchOnFunctionError splits it in two first,
 * without using up retries) until MaximumRetryAttempts or MaximumRecordAgeInSeconds discards it to
 * the OnFailure destination; ReportBatchItemFailures moves the checkpoint to the lowest failed
 * record. `step()` does one unit of that work at the injected clock's time, so tests drive
 * batching windows, retries and record ages without waiting.
 *
 * The invocation carries no trace header: a stream-triggered invocation starts a trace of its own,
 * as on AWS (stream records do not carry the writer's trace).
 */
import type { Clock, IdSource, Logger } from '../core/runtime.ts';
import type { InvokeResult, LambdaInvoker } from '../core/types.ts';
import type { DiscardCondition } from './failure-record.ts';
import { invocationRecord } from './failure-record.ts';
import type { StreamMappingConfig } from './mapping-config.ts';
import { formatSequenceNumber } from './sequence-numbers.ts';
import type { StoredRecord } from './stream-record.ts';
import { wireRecord } from './stream-record.ts';
import type { StreamInfo, StreamStore } from './stream-store.ts';

/** Lambda's limit on a synchronous invocation's payload: a batch is cut to fit. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Where discarded batches' invocation records go: an SQS queue or an SNS topic, by ARN. */
export interface FailureDestinations {
  send(destinationArn: string, body: string): Promise<void>;
}

/** A Lambda event filter built from a mapping's FilterCriteria: true keeps the record for the function. */
export type RecordFilter = (eventRecord: Readonly<Record<string, unknown>>) => boolean;

export type StepOutcome =
  | { readonly kind: 'idle' }
  | { readonly kind: 'waiting'; readonly untilMs: number }
  | { readonly kind: 'progress' }
  | { readonly kind: 'failed' };

export interface StreamPollerDeps {
  readonly store: StreamStore;
  readonly lambda: LambdaInvoker;
  readonly destinations: FailureDestinations;
  readonly region: string;
  readonly accountId: string;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly logger: Logger;
  /** Undefined: every record goes to the function. */
  readonly filter?: RecordFilter;
  /** Told of each batch the function ran: the age of its last record when invoked (AWS/Lambda IteratorAge). */
  readonly onBatchInvoked?: (functionName: string, iteratorAgeMs: number, nowMs: number) => void;
}

export class StreamPoller {
  /** The next position to process; read from the checkpoint on the first step. */
  private next: number | undefined;
  /** Failed attempts of the batch at the checkpoint (bisections excluded). */
  private retries = 0;
  /** Invocations that carried records of the batch at the checkpoint, for the invocation record. */
  private invokeCount = 0;
  /** Batch sizes left by bisection, the first being the batch to try next. */
  private pendingSizes: number[] = [];
  private missingReported = false;
  private lastNotInvoked: string | undefined;

  constructor(readonly config: StreamMappingConfig, private readonly deps: StreamPollerDeps) {}

  /** The checkpoint: the position of the next record the mapping processes. */
  get position(): number | undefined {
    return this.next;
  }

  async step(): Promise<StepOutcome> {
    const { store, clock } = this.deps;
    const { config } = this;
    const nowMs = clock.nowMs();
    store.trimNow(nowMs);
    const stream = store.stream(config.streamArn);
    if (stream === undefined) {
      if (!this.missingReported) this.deps.logger.warn(`event source mapping ${config.where}: the stream ${config.streamArn} does not exist; waiting for it`);
      this.missingReported = true;
      return { kind: 'idle' };
    }
    this.missingReported = false;
    let next = this.startPosition(stream);
    if (next <= stream.trimmedThrough) {
      this.deps.logger.warn(`event source mapping ${config.where}: records up to ${formatSequenceNumber(stream.trimmedThrough)} expired (24 hours) before ${config.functionName} processed them`);
      next = store.trimHorizon(stream);
      this.advance(next);
    }
    const limit = this.pendingSizes[0] ?? config.batchSize;
    const read = store.read(config.streamArn, next, limit);
    const records = this.fitPayload(read);
    const first = records[0];
    const last = records[records.length - 1];
    if (first === undefined || last === undefined) return { kind: 'idle' };
    const retrying = this.retries > 0 || this.pendingSizes.length > 0;
    // A batch is full at BatchSize or at Lambda's payload limit; until then the batching window holds it.
    const full = read.length >= limit || records.length < read.length;
    if (!retrying && !full && config.batchingWindowMs > 0 && nowMs < first.createdMs + config.batchingWindowMs) {
      return { kind: 'waiting', untilMs: first.createdMs + config.batchingWindowMs };
    }
    if (config.maximumRecordAgeMs !== undefined) {
      const expired = records.filter((record) => nowMs - record.createdMs > config.maximumRecordAgeMs!);
      const lastExpired = expired[expired.length - 1];
      if (lastExpired !== undefined) {
        await this.discard(stream, expired, 'RecordAgeExceeded', undefined, nowMs);
        this.advance(lastExpired.position + 1);
        return { kind: 'progress' };
      }
    }
    const events = records.map((record) => this.eventRecord(record));
    const filter = this.deps.filter;
    const delivered = filter === undefined ? records : records.filter((_record, index) => filter(events[index] as Record<string, unknown>));
    if (delivered.length === 0) {
      // Filtered out records count as processed, as in Lambda.
      this.advance(last.position + 1);
      return { kind: 'progress' };
    }
    const payload = { Records: filter === undefined ? events : events.filter((_event, index) => delivered.includes(records[index] as StoredRecord)) };
    let result: InvokeResult;
    try {
      result = await this.deps.lambda.invoke({
        functionName: config.functionName,
        payload,
        invocationType: 'RequestResponse',
        caller: { kind: 'dynamodb', arn: config.streamArn },
      });
    } catch (error) {
      this.deps.logger.warn(`event source mapping ${config.where}: invoking ${config.functionName} failed: ${(error as Error).message}; the batch is retried`);
      return { kind: 'failed' };
    }
    if (result.functionError === undefined && result.statusCode >= 300) {
      // Not run (throttled, missing function): retried until the records expire, not counted as a retry.
      const warning = `event source mapping ${config.where}: ${config.functionName} was not invoked (${result.errorMessage ?? result.statusCode}); the batch is retried`;
      // Retried every second: said once until something changes.
      if (warning !== this.lastNotInvoked) this.deps.logger.warn(warning);
      this.lastNotInvoked = warning;
      return { kind: 'failed' };
    }
    this.lastNotInvoked = undefined;
    this.invokeCount += 1;
    this.deps.onBatchInvoked?.(config.functionName, nowMs - last.createdMs, nowMs);
    if (result.functionError !== undefined) {
      this.deps.logger.warn(`event source mapping ${config.where}: ${config.functionName} failed (${result.errorMessage ?? result.functionError}) on ${records.length} record(s) from ${formatSequenceNumber(first.position)}`);
      return this.failed(stream, records, result, true, nowMs);
    }
    if (!config.reportBatchItemFailures) return this.succeeded(last);
    const reported = reportedFailures(result.payload, delivered);
    if (reported === 'all') {
      this.deps.logger.warn(`event source mapping ${config.where}: ${config.functionName} returned an invalid batchItemFailures; the whole batch is retried`);
      return this.failed(stream, records, result, false, nowMs);
    }
    if (reported === undefined) return this.succeeded(last);
    if (reported === first.position) return this.failed(stream, records, result, false, nowMs);
    // The records before the lowest failed one are done: the next batch starts at it.
    const doneCount = records.findIndex((record) => record.position === reported);
    const current = this.pendingSizes.shift();
    if (current !== undefined) this.pendingSizes.unshift(Math.max(1, current - doneCount));
    this.advance(reported);
    return { kind: 'progress' };
  }

  private succeeded(last: StoredRecord): StepOutcome {
    this.pendingSizes.shift();
    this.advance(last.position + 1);
    return { kind: 'progress' };
  }

  private async failed(stream: StreamInfo, records: readonly StoredRecord[], result: InvokeResult, functionError: boolean, nowMs: number): Promise<StepOutcome> {
    const { config } = this;
    if (functionError && config.bisectBatchOnFunctionError && records.length > 1) {
      const half = Math.ceil(records.length / 2);
      this.pendingSizes = [half, records.length - half, ...this.pendingSizes.slice(1)];
      return { kind: 'failed' };
    }
    this.retries += 1;
    if (config.maximumRetryAttempts >= 0 && this.retries > config.maximumRetryAttempts) {
      const last = records[records.length - 1] as StoredRecord;
      await this.discard(stream, records, 'RetryAttemptsExhausted', result, nowMs);
      this.pendingSizes.shift();
      this.advance(last.position + 1);
      return { kind: 'progress' };
    }
    return { kind: 'failed' };
  }

  private async discard(stream: StreamInfo, records: readonly StoredRecord[], condition: DiscardCondition, result: InvokeResult | undefined, nowMs: number): Promise<void> {
    const { config } = this;
    const destination = config.onFailureDestination;
    const range = `${formatSequenceNumber((records[0] as StoredRecord).position)} to ${formatSequenceNumber((records[records.length - 1] as StoredRecord).position)}`;
    if (destination === undefined || !/^arn:aws[a-z-]*:(sqs|sns):/.test(destination)) {
      this.deps.logger.warn(`event source mapping ${config.where}: discarded ${records.length} record(s) (${range}, ${condition}); no OnFailure destination`);
      return;
    }
    const record = invocationRecord({
      requestId: this.deps.ids.uuid(),
      functionArn: this.functionArn(),
      condition,
      invokeCount: this.invokeCount,
      ...(result?.functionError !== undefined ? { functionError: result.functionError } : {}),
      ...(result !== undefined ? { statusCode: result.statusCode } : {}),
      streamArn: stream.streamArn,
      shardId: stream.shardId,
      records,
      nowMs,
    });
    try {
      await this.deps.destinations.send(destination, JSON.stringify(record));
      this.deps.logger.warn(`event source mapping ${config.where}: discarded ${records.length} record(s) (${range}, ${condition}); invocation record sent to ${destination}`);
    } catch (error) {
      this.deps.logger.warn(`event source mapping ${config.where}: discarded ${records.length} record(s) (${range}, ${condition}); sending the invocation record to ${destination} failed: ${(error as Error).message}`);
    }
  }

  /** The checkpoint, read or set from the starting position on the mapping's first step. */
  private startPosition(stream: StreamInfo): number {
    if (this.next !== undefined) return this.next;
    const { store } = this.deps;
    const saved = store.checkpoint(this.config.id);
    if (saved !== undefined && saved.streamArn === stream.streamArn) {
      this.next = saved.nextPosition;
      return this.next;
    }
    const start = this.config.startingPosition === 'TRIM_HORIZON'
      ? store.trimHorizon(stream)
      : this.config.startingPosition === 'AT_TIMESTAMP'
        ? store.positionAtTime(stream.streamArn, this.config.startingPositionTimestampMs ?? 0)
        : stream.endPosition !== undefined ? stream.endPosition + 1 : store.nextPosition();
    this.advance(start);
    return start;
  }

  /** Moves (and saves) the checkpoint: a new batch, with no retries or invocations yet. */
  private advance(position: number): void {
    this.next = position;
    this.retries = 0;
    this.invokeCount = 0;
    this.deps.store.setCheckpoint(this.config.id, this.config.streamArn, position);
  }

  private eventRecord(record: StoredRecord): Record<string, unknown> {
    return { ...wireRecord(record), eventSourceARN: this.config.streamArn };
  }

  /** The longest prefix of the records whose event fits Lambda's 6 MB payload (at least one record). */
  private fitPayload(records: StoredRecord[]): StoredRecord[] {
    let bytes = 20;
    for (const [index, record] of records.entries()) {
      bytes += Buffer.byteLength(JSON.stringify(this.eventRecord(record))) + 1;
      if (bytes > MAX_PAYLOAD_BYTES && index > 0) return records.slice(0, index);
    }
    return records;
  }

  private functionArn(): string {
    const name = this.config.functionName;
    return name.startsWith('arn:') ? name : `arn:aws:lambda:${this.deps.region}:${this.deps.accountId}:function:${name}`;
  }
}

/**
 * The lowest position a ReportBatchItemFailures answer names, undefined for full success (no
 * answer, no list, an empty list), or 'all' for an answer Lambda reads as the whole batch failing
 * (an identifier that is empty, missing or not a sequence number of the batch).
 */
export function reportedFailures(payload: unknown, batch: readonly StoredRecord[]): number | undefined | 'all' {
  if (payload === null || payload === undefined || typeof payload !== 'object') return undefined;
  const list = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === null || list === undefined) return undefined;
  if (!Array.isArray(list)) return 'all';
  const bySequence = new Map(batch.map((record) => [formatSequenceNumber(record.position), record.position]));
  let lowest: number | undefined;
  for (const entry of list) {
    const id = (entry as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const position = typeof id === 'string' ? bySequence.get(id) : undefined;
    if (position === undefined) return 'all';
    lowest = lowest === undefined ? position : Math.min(lowest, position);
  }
  return lowest;
}
