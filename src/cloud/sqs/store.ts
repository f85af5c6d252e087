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
  /** FIFO queues (and standard ones given one, as SQS's fair queues take it). */
  readonly messageGroupId?: string | undefined;
  /** FIFO: the id given or the body's SHA-256 (content-based deduplication). */
  readonly messageDeduplicationId?: string | undefined;
  /** FIFO: assigned on insert, increasing with the queue's order. */
  readonly sequenceNumber?: string | undefined;
}

/** A FIFO send within the deduplication interval: the message it duplicates. */
export interface DeduplicationRecord {
  readonly messageId: string;
  readonly sequenceNumber: string;
  readonly expiresAtMillis: number;
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

  /** Returns the message's place in the store's order (increasing, never reused). */
  insert(message: StoredMessage): number;
  /** FIFO: records the sequence number assigned after the insert. */
  setSequenceNumber(messageId: string, sequenceNumber: string): void;
  /** The queue's messages in order, visible or not (FIFO receives skip the groups in flight). */
  inOrder(queue: string): IterableIterator<StoredMessage>;
  /** FIFO: the groups (`''` for none) with a message received and not yet visible again at `now`. */
  groupsInFlight(queue: string, now: number): string[];
  /** The unexpired record of a FIFO deduplication key, if any; expired ones of the queue are dropped. */
  findDuplicate(queue: string, key: string, now: number): DeduplicationRecord | undefined;
  recordDeduplication(queue: string, key: string, record: DeduplicationRecord): void;
  /** The queue's messages visible at `now`, oldest first, at most `limit`. */
  visible(queue: string, now: number, limit: number): StoredMessage[];
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
