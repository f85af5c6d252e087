/**
 * SNS FIFO topics' rules: `.fifo` names with FifoTopic=true, MessageGroupId required on Publish, a
 * MessageDeduplicationId or content-based deduplication (SHA-256 of the message), duplicates within
 * 5 minutes answered as the original and not delivered, sequence numbers, SQS-only subscriptions.
 */
import { createHash } from 'node:crypto';
import { snsErrors } from './errors.ts';

export const TOPIC_DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000;

export function isFifoTopicArn(arn: string): boolean {
  return arn.endsWith('.fifo');
}

/** Whether CreateTopic makes a FIFO topic; throws SNS's error for a name that does not fit. */
export function checkTopicName(name: string, attributes: Readonly<Record<string, string>>): boolean {
  const fifo = attributes['FifoTopic'] === 'true';
  if (fifo && !/^[A-Za-z0-9_-]{1,251}\.fifo$/.test(name)) {
    throw snsErrors.invalidParameter(
      'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.',
    );
  }
  if (!fifo && !/^[A-Za-z0-9_-]{1,256}$/.test(name)) {
    throw snsErrors.invalidParameter(`Topic Name: "${name}" must be 1 to 256 letters, digits, hyphens or underscores`);
  }
  return fifo;
}

/** MessageGroupId and MessageDeduplicationId: 1 to 128 letters, digits and punctuation. */
export function checkPublishId(parameter: string, value: string): void {
  if (!/^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/.test(value)) {
    throw snsErrors.invalidParameter(`${parameter} Reason: ${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
}

export interface PublishedOnce {
  readonly messageId: string;
  readonly sequenceNumber: string;
}

/**
 * One topic's deduplication interval and sequence: in memory, as the local topics are. A duplicate
 * is answered with the original's MessageId and SequenceNumber.
 */
export class TopicSequence {
  private next = 0n;
  private readonly seen = new Map<string, PublishedOnce & { expiresAtMillis: number }>();

  duplicateOf(deduplicationId: string, nowMillis: number): PublishedOnce | undefined {
    for (const [id, entry] of this.seen) if (entry.expiresAtMillis <= nowMillis) this.seen.delete(id);
    return this.seen.get(deduplicationId);
  }

  record(deduplicationId: string, messageId: string, nowMillis: number): PublishedOnce {
    this.next += 1n;
    // 20 digits, increasing, not consecutive, as SNS's.
    const sequenceNumber = (10n ** 19n + this.next * 1000n).toString();
    this.seen.set(deduplicationId, { messageId, sequenceNumber, expiresAtMillis: nowMillis + TOPIC_DEDUPLICATION_INTERVAL_MS });
    return { messageId, sequenceNumber };
  }
}

/** The group and deduplication ids of a FIFO publish, with SNS's errors; on a standard topic, what it takes. */
export function publishIds(
  topic: { readonly arn: string; readonly attributes: Readonly<Record<string, string>> },
  message: string,
  messageGroupId: string | undefined,
  messageDeduplicationId: string | undefined,
): { messageGroupId: string | undefined; messageDeduplicationId: string | undefined } {
  if (messageGroupId !== undefined) checkPublishId('MessageGroupId', messageGroupId);
  if (messageDeduplicationId !== undefined) checkPublishId('MessageDeduplicationId', messageDeduplicationId);
  if (!isFifoTopicArn(topic.arn)) {
    if (messageDeduplicationId !== undefined) {
      throw snsErrors.invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    }
    // A standard topic passes a group on (SQS fair queues), as SNS does.
    return { messageGroupId, messageDeduplicationId: undefined };
  }
  if (messageGroupId === undefined) throw snsErrors.invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  if (messageDeduplicationId !== undefined) return { messageGroupId, messageDeduplicationId };
  if (topic.attributes['ContentBasedDeduplication'] !== 'true') {
    throw snsErrors.invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
  return { messageGroupId, messageDeduplicationId: createHash('sha256').update(message, 'utf8').digest('hex') };
}

/** FIFO topics deliver to SQS queues only. */
export function checkFifoSubscription(protocol: string, endpoint: string, deadLetterTargetArn: string | undefined): void {
  if (protocol !== 'sqs') throw snsErrors.invalidParameter(`Invalid protocol type: ${protocol}`);
  if (deadLetterTargetArn !== undefined && endpoint.endsWith('.fifo') && !deadLetterTargetArn.endsWith('.fifo')) {
    throw snsErrors.invalidParameter('RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.');
  }
}
