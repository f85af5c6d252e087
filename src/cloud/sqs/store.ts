/**
 * What SQS keeps: queues and their messages. The service holds this interface; the SQLite store is
 * the one implementation. All times are epoch milliseconds.
 */

/** A message attribute as on the wire; binary values as base64. */
export interface MessageAttributeValue {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: string;
}

export interface StoredQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  /** SQS attribute names to their string values (VisibilityTimeout, RedrivePolicy as JSON, ...). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly createdMillis: number;
  readonly modifiedMillis: number;
}

export interface StoredMessage {
  readonly queue: string;
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: Readonly<Record<string, MessageAttributeValue>>;
  /** AWSTraceHeader, when the sender had a trace. */
  readonly systemAttributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly senderId: string;
  readonly sentMillis: number;
  /** Not receivable before this: the send delay, then each receive's visibility timeout. */
  readonly visibleAtMillis: number;
  readonly receiveCount: number;
  readonly firstReceiveMillis: number | undefined;
  /** The receipt handle of the latest receive; only it can delete the message or change its visibility. */
  readonly receiptHandle: string | undefined;
  /** Set when the message was moved here from a source queue by its redrive policy. */
  readonly deadLetterSourceArn: string | undefined;
}

export interface MessageCounts {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

export interface MessageStore {
  /** Creates or replaces the queue's record; its messages stay. */
  putQueue(queue: StoredQueue): void;
  /** Unknown name: undefined. */
  getQueue(name: string): StoredQueue | undefined;
  listQueues(): StoredQueue[];

  insert(message: StoredMessage): void;
  /** The queue's messages visible at `nowMs`, oldest first, at most `limit`. */
  visible(queue: string, nowMs: number, limit: number): StoredMessage[];
  getMessage(messageId: string): StoredMessage | undefined;
  /** Records a receive: new visibility, count, receipt handle. Unknown id: no change. */
  markReceived(messageId: string, update: { visibleAtMillis: number; receiveCount: number; firstReceiveMillis: number; receiptHandle: string }): void;
  setVisibleAt(messageId: string, visibleAtMillis: number): void;
  /** Moves a message to another queue as a fresh, visible, never-received message there. */
  moveTo(messageId: string, queue: string, nowMs: number, deadLetterSourceArn: string): void;
  /** Unknown id: no change (deletes are idempotent). */
  delete(messageId: string): void;
  /** Deletes every message of the queue; returns how many. */
  purge(queue: string): number;
  /** Deletes the queue's messages sent before `sentBefore` (retention); returns how many. */
  expire(queue: string, sentBefore: number): number;
  counts(queue: string, nowMs: number): MessageCounts;
  /** The earliest time after `nowMs` at which a message of the queue becomes visible, if any. */
  nextVisibleAt(queue: string, nowMs: number): number | undefined;
  /** Runs `work` atomically (and as one disk write). */
  transaction<T>(work: () => T): T;
  close(): void;
}
