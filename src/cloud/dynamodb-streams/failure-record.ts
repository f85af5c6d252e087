/**
 * What a stream event source mapping sends to its OnFailure destination when it discards a batch:
 * Lambda's invocation record, which names the batch by shard and sequence range (the records
 * themselves stay in the stream, readable with GetShardIterator until they expire).
 */
import { formatSequenceNumber } from './sequence-numbers.ts';
import type { StoredRecord } from './stream-record.ts';

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface DiscardedBatch {
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: DiscardCondition;
  /** Invocations made with (part of) this batch; 0 when it expired before any. */
  readonly invokeCount: number;
  /** The last invocation's answer, when there was one. */
  readonly functionError?: 'Handled' | 'Unhandled';
  readonly statusCode?: number;
  readonly streamArn: string;
  readonly shardId: string;
  readonly records: readonly StoredRecord[];
  readonly nowMs: number;
}

/** `2019-11-14T00:13:19Z`: the arrival times are to the second. */
function secondsIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function invocationRecord(batch: DiscardedBatch): Record<string, unknown> {
  const first = batch.records[0];
  const last = batch.records[batch.records.length - 1];
  if (first === undefined || last === undefined) throw new Error('a discarded batch has records');
  return {
    requestContext: {
      requestId: batch.requestId,
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: batch.invokeCount,
    },
    ...(batch.invokeCount > 0
      ? { responseContext: { statusCode: batch.statusCode ?? 200, executedVersion: '$LATEST', ...(batch.functionError !== undefined ? { functionError: batch.functionError } : {}) } }
      : {}),
    version: '1.0',
    timestamp: new Date(batch.nowMs).toISOString(),
    DDBStreamBatchInfo: {
      shardId: batch.shardId,
      startSequenceNumber: formatSequenceNumber(first.position),
      endSequenceNumber: formatSequenceNumber(last.position),
      approximateArrivalOfFirstRecord: secondsIso(first.createdMs),
      approximateArrivalOfLastRecord: secondsIso(last.createdMs),
      batchSize: batch.records.length,
      streamArn: batch.streamArn,
    },
  };
}
