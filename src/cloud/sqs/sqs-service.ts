import { AwsError, commonErrors } from '../protocol/errors.ts';
import type { Clock, IdSource, Logger } from '../core/runtime.ts';
import { randomIds, silentLogger, systemClock } from '../core/runtime.ts';
import { formatTraceHeader } from '../tracing/trace-header.ts';
import type { QueueService, TraceHeader } from '../core/types.ts';
import { sqsErrors } from './errors.ts';
import { checkQueueAttributeRange, messageBytes } from './limits.ts';
import { md5Hex, md5OfAttributes } from './md5.ts';
import {
  checkFifoAttribute,
  checkFifoId,
  checkQueueName,
  contentDeduplicationId,
  DEDUPLICATION_INTERVAL_MS,
  deduplicationKey,
  FIFO_DEFAULTS,
  FIFO_ONLY_ATTRIBUTES,
  isFifoName,
  notForThisQueueType,
  RECEIVE_ATTEMPT_INTERVAL_MS,
  sequenceNumberOf,
} from './fifo.ts';
import type { MessageAttributeValue, MessageCounts, MessageStore, StoredMessage, StoredQueue } from './store.ts';

export interface SqsObserver {
  sent(queueName: string, nowMs: number): void;
  received(queueName: string, count: number, nowMs: number): void;
  deleted(queueName: string, nowMs: number): void;
}

export interface SqsServiceOptions {
  readonly store: MessageStore;
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default "000000000000" */
  readonly accountId?: string;
  /** Queue URLs are `<prefix>/<account>/<name>`; a function when the endpoint's port is known only later.
   *  @default "https://sqs.<region>.amazonaws.com" */
  readonly queueUrlPrefix?: string | (() => string);
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly logger?: Logger;
  /** Told of sends, receives and deletes (CloudWatch's AWS/SQS metrics). */
  readonly observer?: SqsObserver;
}

export interface SendInput {
  readonly body: string;
  readonly delaySeconds?: number;
  readonly messageAttributes?: Readonly<Record<string, MessageAttributeValue>>;
  /** An explicit AWSTraceHeader system attribute wins over the request's trace header. */
  readonly systemAttributes?: Readonly<Record<string, MessageAttributeValue>>;
  /** The sender's X-Amzn-Trace-Id; becomes AWSTraceHeader, as SQS does. */
  readonly trace?: TraceHeader;
  readonly senderId?: string;
  /** Required on FIFO queues; kept (and returned) on standard ones, as SQS's fair queues do. */
  readonly messageGroupId?: string;
  /** FIFO only. */
  readonly messageDeduplicationId?: string;
}

export interface SendResult {
  readonly messageId: string;
  /** FIFO: the message's sequence number (the original's for a duplicate). */
  readonly sequenceNumber?: string;
  readonly md5OfMessageBody: string;
  readonly md5OfMessageAttributes: string | undefined;
  readonly md5OfMessageSystemAttributes: string | undefined;
}

export interface ReceiveInput {
  /** 1..10. @default 1 */
  readonly maxMessages?: number;
  /** Long polling: wait up to this long for a message. @default the queue's ReceiveMessageWaitTimeSeconds */
  readonly waitSeconds?: number;
  /** @default the queue's VisibilityTimeout */
  readonly visibilityTimeout?: number;
  /** Ends a long poll early with what there is (none). */
  readonly signal?: AbortSignal;
  /** FIFO: a retry with the same id within 5 minutes gets the same messages and receipt handles. */
  readonly receiveRequestAttemptId?: string;
}

/** A message as a receive hands it out. */
export interface ReceivedMessage {
  readonly message: StoredMessage;
  readonly receiptHandle: string;
  readonly receiveCount: number;
  readonly firstReceiveMillis: number;
}

const MAX_MESSAGE_BYTES = 262_144;
const MAX_DELAY_SECONDS = 900;
const MAX_VISIBILITY_SECONDS = 43_200;
const MAX_WAIT_SECONDS = 20;
/** A redrive moves messages out of the way during a receive; bound the rounds that takes. */
const MAX_RECEIVE_ROUNDS = 100;

export const QUEUE_DEFAULTS: Readonly<Record<string, string>> = {
  VisibilityTimeout: '30',
  DelaySeconds: '0',
  MessageRetentionPeriod: '345600',
  MaximumMessageSize: '262144',
  ReceiveMessageWaitTimeSeconds: '0',
};

/** Attributes a queue can be created with or set to; the rest are computed. */
const SETTABLE = new Set([
  ...Object.keys(QUEUE_DEFAULTS),
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'Policy',
  'SqsManagedSseEnabled',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'FifoQueue',
  ...FIFO_ONLY_ATTRIBUTES,
]);

export function isFifoQueue(queue: StoredQueue): boolean {
  return queue.attributes['FifoQueue'] === 'true';
}

interface Waiter {
  wake(): void;
}

/**
 * Standard SQS queues on a durable store: delays, visibility timeouts, receive counts, redrive to a
 * dead-letter queue after maxReceiveCount, retention, long polling, and the AWSTraceHeader system
 * attribute taken from the sender's trace header. Queues are addressed by URL, ARN or name.
 */
export class SqsService implements QueueService {
  private readonly store: MessageStore;
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly logger: Logger;
  readonly region: string;
  readonly accountId: string;
  private readonly urlPrefix: () => string;
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** FIFO receives by `<queue>\n<ReceiveRequestAttemptId>`, for retries within 5 minutes (in memory). */
  private readonly receiveAttempts = new Map<string, { expiresAtMillis: number; visibleAtMillis: number; items: ReceivedMessage[] }>();
  private stopped = false;
  private readonly observer: SqsObserver | undefined;

  constructor(options: SqsServiceOptions) {
    this.store = options.store;
    this.observer = options.observer;
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIds;
    this.logger = options.logger ?? silentLogger;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    const prefix = options.queueUrlPrefix ?? `https://sqs.${this.region}.amazonaws.com`;
    this.urlPrefix = typeof prefix === 'string' ? () => prefix : prefix;
  }

  async start(): Promise<void> {
    this.stopped = false;
  }

  /** Ends every long poll with what it has, then closes the store. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiters of this.waiters.values()) for (const waiter of waiters) waiter.wake();
    this.waiters.clear();
    this.store.close();
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }

  /**
   * Creates the queue, or returns the existing one when the given attributes match it (as SQS
   * does); `url` and `arn` override the computed ones (queues from the templates keep theirs).
   */
  createQueue(name: string, attributes: Readonly<Record<string, string>> = {}, identity: { url?: string; arn?: string } = {}): StoredQueue {
    const fifo = checkQueueName(name, attributes);
    const checked = this.checkAttributes(attributes, fifo);
    // FifoQueue=false makes the standard queue it would be anyway.
    if (!fifo) delete checked['FifoQueue'];
    const defaults: Readonly<Record<string, string>> = fifo ? { ...QUEUE_DEFAULTS, ...FIFO_DEFAULTS } : QUEUE_DEFAULTS;
    const existing = this.store.getQueue(name);
    const nowMs = this.clock.nowMs();
    if (existing) {
      const differs = Object.entries(checked).some(([key, value]) => (existing.attributes[key] ?? defaults[key]) !== value);
      if (differs && identity.url === undefined) throw sqsErrors.queueNameExists(name);
      if (!differs && (identity.url === undefined || identity.url === existing.url)) return existing;
    }
    const queue: StoredQueue = {
      name,
      url: identity.url ?? `${this.urlPrefix()}/${this.accountId}/${name}`,
      arn: identity.arn ?? this.arnOf(name),
      attributes: { ...defaults, ...checked },
      createdMillis: existing?.createdMillis ?? nowMs,
      modifiedMillis: nowMs,
    };
    this.store.putQueue(queue);
    return queue;
  }

  setQueueAttributes(queueRef: string, attributes: Readonly<Record<string, string>>): void {
    const queue = this.queue(queueRef);
    const fifo = isFifoQueue(queue);
    const checked = this.checkAttributes(attributes, fifo);
    if (checked['FifoQueue'] !== undefined && checked['FifoQueue'] !== String(fifo)) {
      throw sqsErrors.invalidAttributeValue('Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.');
    }
    this.store.putQueue({ ...queue, attributes: { ...queue.attributes, ...checked }, modifiedMillis: this.clock.nowMs() });
  }

  /** By URL (any host: only the last path segment counts), ARN or name; QueueDoesNotExist otherwise. */
  queue(ref: string): StoredQueue {
    const name = ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf(':') + 1) : ref.slice(ref.replace(/\/+$/, '').lastIndexOf('/') + 1).replace(/\/+$/, '');
    const queue = this.store.getQueue(name);
    if (!queue) throw sqsErrors.queueDoesNotExist(ref);
    return queue;
  }

  listQueues(prefix = ''): StoredQueue[] {
    return this.store.listQueues().filter((queue) => queue.name.startsWith(prefix));
  }

  counts(queueRef: string): MessageCounts {
    return this.store.counts(this.queue(queueRef).name, this.clock.nowMs());
  }

  /** When the queue's oldest message was sent, if it holds any (ApproximateAgeOfOldestMessage). */
  oldestSentMs(queueRef: string): number | undefined {
    let oldest: number | undefined;
    for (const message of this.store.inOrder(this.queue(queueRef).name)) {
      if (oldest === undefined || message.sentMillis < oldest) oldest = message.sentMillis;
    }
    return oldest;
  }

  /** QueueService: what SNS deliveries and other services use. */
  async sendMessage(
    queueUrlOrArn: string,
    body: string,
    options: { delaySeconds?: number; attributes?: Record<string, string>; trace?: TraceHeader; messageGroupId?: string; messageDeduplicationId?: string } = {},
  ): Promise<{ messageId: string; sequenceNumber?: string }> {
    const messageAttributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(options.attributes ?? {})) messageAttributes[name] = { dataType: 'String', stringValue: value };
    const result = this.send(queueUrlOrArn, {
      body,
      messageAttributes,
      ...(options.delaySeconds !== undefined ? { delaySeconds: options.delaySeconds } : {}),
      ...(options.trace !== undefined ? { trace: options.trace } : {}),
      ...(options.messageGroupId !== undefined ? { messageGroupId: options.messageGroupId } : {}),
      ...(options.messageDeduplicationId !== undefined ? { messageDeduplicationId: options.messageDeduplicationId } : {}),
    });
    return { messageId: result.messageId, ...(result.sequenceNumber !== undefined ? { sequenceNumber: result.sequenceNumber } : {}) };
  }

  send(queueRef: string, input: SendInput): SendResult {
    const queue = this.queue(queueRef);
    this.checkMessage(queue, input);
    const { messageGroupId, messageDeduplicationId } = this.fifoIds(queue, input);
    const nowMs = this.clock.nowMs();
    const delaySeconds = input.delaySeconds ?? Number(queue.attributes['DelaySeconds'] ?? 0);
    const systemAttributes: Record<string, MessageAttributeValue> = { ...input.systemAttributes };
    if (systemAttributes['AWSTraceHeader'] === undefined && input.trace !== undefined) {
      systemAttributes['AWSTraceHeader'] = { dataType: 'String', stringValue: formatTraceHeader(input.trace) };
    }
    const messageAttributes = input.messageAttributes ?? {};
    const md5s = { md5OfMessageAttributes: md5OfAttributes(messageAttributes), md5OfMessageSystemAttributes: md5OfAttributes(systemAttributes) };
    const message: StoredMessage = {
      queue: queue.name,
      messageId: this.ids.uuid(),
      body: input.body,
      md5OfBody: md5Hex(input.body),
      messageAttributes,
      systemAttributes,
      senderId: input.senderId ?? 'AIDALOCALSENDER',
      sentMillis: nowMs,
      visibleAtMillis: nowMs + delaySeconds * 1000,
      receiveCount: 0,
      firstReceiveMillis: undefined,
      receiptHandle: undefined,
      deadLetterSourceArn: undefined,
      messageGroupId,
      messageDeduplicationId,
    };
    this.observer?.sent(queue.name, nowMs);
    if (messageDeduplicationId === undefined) {
      this.store.insert(message);
      this.wake(queue.name);
      return { messageId: message.messageId, md5OfMessageBody: message.md5OfBody, ...md5s };
    }
    // FIFO: a duplicate within the interval is answered as the original and not enqueued.
    const key = deduplicationKey(queue.attributes['DeduplicationScope'], messageGroupId ?? '', messageDeduplicationId);
    const outcome = this.store.transaction(() => {
      const duplicate = this.store.findDuplicate(queue.name, key, nowMs);
      if (duplicate !== undefined) return { messageId: duplicate.messageId, sequenceNumber: duplicate.sequenceNumber, duplicate: true };
      const sequenceNumber = sequenceNumberOf(this.store.insert(message));
      this.store.setSequenceNumber(message.messageId, sequenceNumber);
      this.store.recordDeduplication(queue.name, key, { messageId: message.messageId, sequenceNumber, expiresAtMillis: nowMs + DEDUPLICATION_INTERVAL_MS });
      return { messageId: message.messageId, sequenceNumber, duplicate: false };
    });
    if (!outcome.duplicate) this.wake(queue.name);
    return { messageId: outcome.messageId, sequenceNumber: outcome.sequenceNumber, md5OfMessageBody: message.md5OfBody, ...md5s };
  }

  /** The group and deduplication ids a send carries, with SQS's FIFO rules applied. */
  private fifoIds(queue: StoredQueue, input: SendInput): { messageGroupId: string | undefined; messageDeduplicationId: string | undefined } {
    const fifo = isFifoQueue(queue);
    const { messageGroupId } = input;
    let { messageDeduplicationId } = input;
    if (messageGroupId !== undefined) checkFifoId('MessageGroupId', messageGroupId);
    if (messageDeduplicationId !== undefined) {
      if (!fifo) throw notForThisQueueType('MessageDeduplicationId', messageDeduplicationId);
      checkFifoId('MessageDeduplicationId', messageDeduplicationId);
    }
    if (!fifo) return { messageGroupId, messageDeduplicationId: undefined };
    // FIFO queues delay per queue only; 0 changes nothing and is taken.
    if (input.delaySeconds !== undefined && input.delaySeconds !== 0) throw notForThisQueueType('DelaySeconds', input.delaySeconds);
    if (messageGroupId === undefined) throw commonErrors.missingParameter('MessageGroupId');
    if (messageDeduplicationId === undefined) {
      if (queue.attributes['ContentBasedDeduplication'] !== 'true') {
        throw commonErrors.invalidParameter('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
      messageDeduplicationId = contentDeduplicationId(input.body);
    }
    return { messageGroupId, messageDeduplicationId };
  }

  /**
   * Receives up to `maxMessages` visible messages, oldest first, making each invisible for the
   * visibility timeout. A message already received maxReceiveCount times is moved to the
   * dead-letter queue instead. With `waitSeconds`, waits for a message to arrive or become visible.
   */
  async receive(queueRef: string, input: ReceiveInput = {}): Promise<ReceivedMessage[]> {
    const queue = this.queue(queueRef);
    const max = input.maxMessages ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw commonErrors.invalidParameter(`Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
    }
    const waitSeconds = input.waitSeconds ?? Number(queue.attributes['ReceiveMessageWaitTimeSeconds'] ?? 0);
    if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
      throw commonErrors.invalidParameter(`Value ${waitSeconds} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`);
    }
    const visibility = input.visibilityTimeout ?? Number(queue.attributes['VisibilityTimeout'] ?? 30);
    checkVisibility(visibility);
    const attemptId = input.receiveRequestAttemptId;
    if (attemptId !== undefined) checkFifoId('ReceiveRequestAttemptId', attemptId);
    // Standard queues ignore the attempt id, as SQS does.
    const attemptKey = attemptId !== undefined && isFifoQueue(queue) ? `${queue.name}\n${attemptId}` : undefined;
    if (attemptKey !== undefined) {
      const again = this.retryAttempt(attemptKey, visibility);
      if (again !== undefined) return again;
    }
    // The wait is bounded in real time, whatever clock decides visibility.
    const deadlineMs = performance.now() + waitSeconds * 1000;
    for (;;) {
      // A stop ends the wait and closes the store: nothing more to take.
      if (this.stopped) return [];
      const received = this.take(queue.name, max, visibility);
      if (attemptKey !== undefined && received.length > 0) this.rememberAttempt(attemptKey, received, visibility);
      const remaining = deadlineMs - performance.now();
      if (received.length > 0) this.observer?.received(queue.name, received.length, this.clock.nowMs());
      if (received.length > 0 || remaining <= 0 || this.stopped || input.signal?.aborted === true) return received;
      const next = this.store.nextVisibleAt(queue.name, this.clock.nowMs());
      const untilVisible = next === undefined ? remaining : Math.max(1, next - this.clock.nowMs());
      await this.waitForMessages(queue.name, Math.min(remaining, untilVisible), input.signal);
    }
  }

  /** Deletes the message the handle was issued for. A stale handle (the message was received again
   *  since) succeeds without deleting, and so does a handle of a message already gone, as on SQS. */
  deleteMessage(queueRef: string, receiptHandle: string): void {
    const queue = this.queue(queueRef);
    const messageId = messageIdOfHandle(receiptHandle);
    const message = this.store.getMessage(messageId);
    if (!message || message.queue !== queue.name || message.receiptHandle !== receiptHandle) return;
    this.store.delete(messageId);
    this.observer?.deleted(queue.name, this.clock.nowMs());
    // FIFO: the delete may free the message's group for a waiting long poll.
    if (isFifoQueue(queue)) this.wake(queue.name);
  }

  /** Sets the in-flight message's remaining invisibility (0 makes it visible now). */
  changeVisibility(queueRef: string, receiptHandle: string, visibilityTimeout: number): void {
    const queue = this.queue(queueRef);
    checkVisibility(visibilityTimeout);
    const messageId = messageIdOfHandle(receiptHandle);
    const message = this.store.getMessage(messageId);
    const nowMs = this.clock.nowMs();
    if (!message || message.queue !== queue.name || message.receiptHandle !== receiptHandle || message.visibleAtMillis <= nowMs) {
      throw sqsErrors.messageNotInflight();
    }
    this.store.setVisibleAt(messageId, nowMs + visibilityTimeout * 1000);
    if (visibilityTimeout === 0) this.wake(queue.name);
  }

  purge(queueRef: string): number {
    return this.store.purge(this.queue(queueRef).name);
  }

  /** GetQueueAttributes: the stored ones plus the computed counts and identity. */
  attributes(queueRef: string): Record<string, string> {
    const queue = this.queue(queueRef);
    const counts = this.store.counts(queue.name, this.clock.nowMs());
    return {
      ...queue.attributes,
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdMillis / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.modifiedMillis / 1000)),
    };
  }

  /** The messages an earlier receive with this attempt id got, when all are still as it left them. */
  private retryAttempt(key: string, visibilitySeconds: number): ReceivedMessage[] | undefined {
    const now = this.clock.nowMs();
    const earlier = this.receiveAttempts.get(key);
    if (earlier === undefined || earlier.expiresAtMillis <= now) return undefined;
    // Only while none of the messages was deleted, received again or had its visibility changed.
    const unchanged = earlier.items.every((item) => {
      const message = this.store.getMessage(item.message.messageId);
      return message?.receiptHandle === item.receiptHandle && message.visibleAtMillis === earlier.visibleAtMillis;
    });
    if (!unchanged) return undefined;
    // A retry within the interval resets the visibility timeout.
    const visibleAtMillis = now + visibilitySeconds * 1000;
    this.store.transaction(() => {
      for (const item of earlier.items) this.store.setVisibleAt(item.message.messageId, visibleAtMillis);
    });
    this.receiveAttempts.set(key, { ...earlier, visibleAtMillis });
    return earlier.items;
  }

  private rememberAttempt(key: string, items: ReceivedMessage[], visibilitySeconds: number): void {
    const now = this.clock.nowMs();
    for (const [other, attempt] of this.receiveAttempts) if (attempt.expiresAtMillis <= now) this.receiveAttempts.delete(other);
    this.receiveAttempts.set(key, { expiresAtMillis: now + RECEIVE_ATTEMPT_INTERVAL_MS, visibleAtMillis: now + visibilitySeconds * 1000, items });
  }

  private take(queueName: string, max: number, visibilitySeconds: number): ReceivedMessage[] {
    return this.store.transaction(() => {
      const queue = this.store.getQueue(queueName);
      if (!queue) return [];
      const nowMs = this.clock.nowMs();
      const retention = Number(queue.attributes['MessageRetentionPeriod'] ?? QUEUE_DEFAULTS['MessageRetentionPeriod']);
      const expired = this.store.expire(queue.name, nowMs - retention * 1000);
      if (expired > 0) this.logger.info(`sqs: ${expired} message(s) of ${queue.name} passed the retention period and were deleted`);
      const redrive = redrivePolicyOf(queue);
      if (isFifoQueue(queue)) return this.takeInGroupOrder(queue, nowMs, max, visibilitySeconds, redrive);
      const received: ReceivedMessage[] = [];
      for (let round = 0; round < MAX_RECEIVE_ROUNDS && received.length < max; round += 1) {
        const candidates = this.store.visible(queue.name, nowMs, max - received.length);
        if (candidates.length === 0) break;
        for (const message of candidates) {
          const item = this.receiveOne(queue, message, nowMs, visibilitySeconds, redrive);
          if (item !== undefined) received.push(item);
        }
      }
      return received;
    });
  }

  /**
   * FIFO: the queue's messages in order within each group, skipping every group that has a message
   * in flight (or still delayed) before them, so a group is handed out in order and one batch at a
   * time; a batch takes as many messages of one group as it can before the next group's.
   */
  private takeInGroupOrder(queue: StoredQueue, nowMs: number, max: number, visibilitySeconds: number, redrive: RedrivePolicy | undefined): ReceivedMessage[] {
    const received: ReceivedMessage[] = [];
    // More rounds only when the redrive policy moved candidates away.
    for (let round = 0; round < MAX_RECEIVE_ROUNDS && received.length < max; round += 1) {
      // A group with a message in flight is out of reach until that message is deleted or visible again.
      const blocked = new Set(this.store.groupsInFlight(queue.name, nowMs));
      const wanted = max - received.length;
      // The reachable messages by group, groups in the order of their first message. SQS fills a
      // batch from one group first (so that other consumers get the other groups), then the next.
      const byGroup = new Map<string, StoredMessage[]>();
      // Read first, write after: the receives below change the rows being read.
      for (const message of this.store.inOrder(queue.name)) {
        const group = message.messageGroupId ?? '';
        if (blocked.has(group)) continue;
        if (message.visibleAtMillis > nowMs) {
          blocked.add(group);
          continue;
        }
        const messages = byGroup.get(group) ?? [];
        messages.push(message);
        byGroup.set(group, messages);
        // Enough from the first group alone: the rest cannot come before them.
        if ((byGroup.values().next().value?.length ?? 0) >= wanted) break;
      }
      const candidates = [...byGroup.values()].flat().slice(0, wanted);
      if (candidates.length === 0) break;
      for (const message of candidates) {
        const item = this.receiveOne(queue, message, nowMs, visibilitySeconds, redrive);
        if (item !== undefined) received.push(item);
      }
    }
    return received;
  }

  /** Receives one visible message, or moves it to the dead-letter queue (undefined) when its receives are used up. */
  private receiveOne(queue: StoredQueue, message: StoredMessage, now: number, visibilitySeconds: number, redrive: RedrivePolicy | undefined): ReceivedMessage | undefined {
    if (redrive !== undefined && message.receiveCount >= redrive.maxReceiveCount) {
      const target = this.deadLetterQueue(redrive.deadLetterTargetArn, queue);
      if (target) {
        this.store.moveTo(message.messageId, target.name, now, queue.arn);
        this.wake(target.name);
        return undefined;
      }
    }
    const receiptHandle = this.newReceiptHandle(message.messageId);
    const receiveCount = message.receiveCount + 1;
    const firstReceiveMillis = message.firstReceiveMillis ?? now;
    this.store.markReceived(message.messageId, { visibleAtMillis: now + visibilitySeconds * 1000, receiveCount, firstReceiveMillis, receiptHandle });
    return { message, receiptHandle, receiveCount, firstReceiveMillis };
  }

  private deadLetterQueue(arn: string, source: StoredQueue): StoredQueue | undefined {
    const queue = this.store.getQueue(arn.slice(arn.lastIndexOf(':') + 1));
    if (!queue) this.logger.warn(`sqs: ${source.name}'s dead-letter queue ${arn} does not exist; its messages stay`);
    return queue;
  }

  private newReceiptHandle(messageId: string): string {
    return Buffer.from(`${messageId} ${this.ids.hex(16)}`, 'utf8').toString('base64url');
  }

  private waitForMessages(queue: string, millis: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(queue);
      if (!set) this.waiters.set(queue, (set = new Set()));
      const waiters = set;
      const waiter: Waiter = {
        wake: () => {
          clearTimeout(timer);
          waiters.delete(waiter);
          signal?.removeEventListener('abort', waiter.wake);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, millis);
      waiters.add(waiter);
      signal?.addEventListener('abort', waiter.wake, { once: true });
    });
  }

  private wake(queue: string): void {
    const waiters = this.waiters.get(queue);
    if (!waiters) return;
    for (const waiter of [...waiters]) waiter.wake();
  }

  private checkMessage(queue: StoredQueue, input: SendInput): void {
    const limit = Number(queue.attributes['MaximumMessageSize'] ?? MAX_MESSAGE_BYTES);
    const size = messageBytes(input.body, input.messageAttributes);
    if (input.body.length === 0) throw commonErrors.invalidParameter('The request must contain a non-empty MessageBody.');
    if (size > limit) {
      throw commonErrors.invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`);
    }
    // SQS accepts only #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
    if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(input.body)) {
      throw new AwsError('InvalidMessageContents', 'Invalid binary character in the message body; see the allowed list in the SQS documentation.');
    }
    const delay = input.delaySeconds;
    if (delay !== undefined && (!Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_SECONDS)) {
      throw commonErrors.invalidParameter(`Value ${delay} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`);
    }
  }

  private checkAttributes(attributes: Readonly<Record<string, string>>, fifo: boolean): Record<string, string> {
    const checked: Record<string, string> = {};
    for (const [name, value] of Object.entries(attributes)) {
      if (!SETTABLE.has(name)) throw sqsErrors.invalidAttributeName(name);
      checkFifoAttribute(name, value, fifo);
      if (name === 'RedrivePolicy') {
        const policy = parseRedrivePolicy(value, name);
        if (isFifoName(policy.deadLetterTargetArn.slice(policy.deadLetterTargetArn.lastIndexOf(':') + 1)) !== fifo) {
          throw commonErrors.invalidParameter(`Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source..`);
        }
      } else if (name in QUEUE_DEFAULTS) {
        if (!/^\d{1,10}$/.test(value)) throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}: "${value}" is not a whole number.`);
        checkQueueAttributeRange(name, Number(value));
      }
      checked[name] = value;
    }
    return checked;
  }
}

export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

export function redrivePolicyOf(queue: StoredQueue): RedrivePolicy | undefined {
  const text = queue.attributes['RedrivePolicy'];
  return text === undefined || text === '' ? undefined : parseRedrivePolicy(text, queue.name);
}

function parseRedrivePolicy(text: string, where: string): RedrivePolicy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter RedrivePolicy of ${where}: not JSON.`);
  }
  const policy = value as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  const count = Number(policy.maxReceiveCount);
  if (typeof policy.deadLetterTargetArn !== 'string' || !Number.isInteger(count) || count < 1 || count > 1000) {
    throw sqsErrors.invalidAttributeValue(
      `Invalid value for the parameter RedrivePolicy of ${where}: needs deadLetterTargetArn (an ARN) and maxReceiveCount (1 to 1000).`,
    );
  }
  return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: count };
}

function checkVisibility(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
    throw commonErrors.invalidParameter(`Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200.`);
  }
}

function messageIdOfHandle(handle: string): string {
  const decoded = /^[A-Za-z0-9_-]+$/.test(handle) ? Buffer.from(handle, 'base64url').toString('utf8') : '';
  const match = /^(\S+) [0-9a-f]+$/.exec(decoded);
  if (!match?.[1]) throw sqsErrors.receiptHandleIsInvalid(handle);
  return match[1];
}
