/**
 * SQS FIFO queues' rules: names ending in `.fifo`, the FIFO-only queue attributes, message group
 * and deduplication ids (1 to 128 letters, digits and punctuation), content-based deduplication
 * (SHA-256 of the body), the 5-minute deduplication interval and the sequence numbers SQS hands out.
 */
import { createHash } from 'node:crypto';
import type { AwsError } from '../protocol/errors.ts';
import { commonErrors } from '../protocol/errors.ts';
import { sqsErrors } from './errors.ts';

/** A duplicate of a message sent within this interval is accepted and not enqueued. */
export const DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000;
/** A ReceiveRequestAttemptId is remembered this long, as the deduplication interval. */
export const RECEIVE_ATTEMPT_INTERVAL_MS = DEDUPLICATION_INTERVAL_MS;

/** The attributes a FIFO queue gets when created without them. */
export const FIFO_DEFAULTS: Readonly<Record<string, string>> = {
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
};

/** Attributes only FIFO queues have: on a standard queue they are unknown (InvalidAttributeName). */
export const FIFO_ONLY_ATTRIBUTES = new Set(['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  FifoQueue: ['true', 'false'],
  ContentBasedDeduplication: ['true', 'false'],
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};

export function isFifoName(name: string): boolean {
  return name.endsWith('.fifo');
}

/** Whether the queue CreateQueue makes is FIFO; throws SQS's error for a name that does not fit. */
export function checkQueueName(name: string, attributes: Readonly<Record<string, string>>): boolean {
  const fifo = attributes['FifoQueue'] === 'true';
  if (fifo) {
    if (!/^[A-Za-z0-9_-]{1,75}\.fifo$/.test(name)) {
      throw commonErrors.invalidParameter(
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
      );
    }
  } else if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
    throw commonErrors.invalidParameter(`Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length: "${name}".`);
  }
  return fifo;
}

/** A FIFO attribute's value: one of the documented ones (InvalidAttributeValue). */
export function checkFifoAttribute(name: string, value: string, fifo: boolean): void {
  if (FIFO_ONLY_ATTRIBUTES.has(name) && !fifo) throw sqsErrors.invalidAttributeName(name);
  const allowed = ALLOWED[name];
  if (allowed !== undefined && !allowed.includes(value)) {
    throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}. Reason: must be one of ${allowed.join(', ')}.`);
  }
}

/** MessageGroupId, MessageDeduplicationId, ReceiveRequestAttemptId: 1 to 128 letters, digits and punctuation. */
export function checkFifoId(parameter: string, value: string): void {
  if (!/^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/.test(value)) {
    throw commonErrors.invalidParameter(
      `Value ${value} for parameter ${parameter} is invalid. Reason: ${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

/** The error SQS answers for a parameter the queue's type does not take. */
export function notForThisQueueType(parameter: string, value: string | number): AwsError {
  return commonErrors.invalidParameter(`Value ${value} for parameter ${parameter} is invalid. Reason: The request include parameter that is not valid for this queue type.`);
}

/** Content-based deduplication: the SHA-256 of the body (not of its attributes), hex. */
export function contentDeduplicationId(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** The key duplicates share: the id alone, or with the group under DeduplicationScope=messageGroup. */
export function deduplicationKey(scope: string | undefined, groupId: string, deduplicationId: string): string {
  return scope === 'messageGroup' ? `${groupId}\n${deduplicationId}` : deduplicationId;
}

/** SQS's sequence numbers are large (20 digits), non-consecutive and increasing; this one grows with the store's row order. */
export function sequenceNumberOf(rowSeq: number): string {
  return (10n ** 19n + BigInt(rowSeq) * 65_536n).toString();
}
