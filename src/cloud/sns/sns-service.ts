import type { Clock, IdSource, Logger } from '../core/runtime.ts';
import { randomIds, silentLogger, sleepMs, systemClock } from '../core/runtime.ts';
import type { LambdaInvoker, QueueService, SegmentSink, TraceHeader } from '../core/types.ts';
import { snsErrors } from './errors.ts';
import { attributeBytes, MAX_PUBLISH_BYTES, messageTooLong } from './limits.ts';
import type { Notification, SignedUrls, SnsMessageAttribute } from './notification.ts';
import { lambdaEvent, NotificationSigner, sqsEnvelope } from './notification.ts';
import type { DeliveryFailure, DeliveryPolicy } from './delivery-policy.ts';
import { AWS_MANAGED_DELIVERY_POLICY, failureOf, lambdaFailure } from './delivery-policy.ts';
import { checkFifoSubscription, checkTopicName, isFifoTopicArn, publishIds, TopicSequence } from './fifo-topics.ts';
import type { FilterPolicy } from './filter-policy.ts';
import { compileFilterPolicy, filterPolicyMatches, readFilterPolicyScope, removesFilterPolicy } from './filter-policy.ts';

export type SubscriptionProtocol = 'lambda' | 'sqs';

export interface Topic {
  readonly arn: string;
  readonly name: string;
  /** DisplayName, TracingConfig (`Active` | `PassThrough`), Policy... */
  readonly attributes: Record<string, string>;
}

export interface Subscription {
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: SubscriptionProtocol;
  /** Function name or ARN; queue ARN. */
  readonly endpoint: string;
  readonly rawMessageDelivery: boolean;
  /** Where a delivery SNS cannot make goes (an SQS queue ARN). */
  readonly deadLetterTargetArn: string | undefined;
  /** The RedrivePolicy as given, for GetSubscriptionAttributes. */
  readonly redrivePolicy?: string | undefined;
  /** Only messages it matches are delivered; none: every message. */
  readonly filterPolicy?: FilterPolicy | undefined;
  /** FilterPolicyScope as set, kept when the policy is removed. */
  readonly filterPolicyScope?: FilterPolicy['scope'] | undefined;
}

/** The subscription attributes Subscribe and SetSubscriptionAttributes take locally. */
const SUBSCRIPTION_ATTRIBUTES = new Set(['RawMessageDelivery', 'RedrivePolicy', 'FilterPolicy', 'FilterPolicyScope']);

export interface PublishInput {
  readonly topicArn: string;
  readonly message: string;
  readonly subject?: string;
  /** `json`: `message` is a JSON object with a `default` and optional per-protocol messages. */
  readonly messageStructure?: string;
  readonly messageAttributes?: Readonly<Record<string, SnsMessageAttribute>>;
  /** The publisher's X-Amzn-Trace-Id. */
  readonly trace?: TraceHeader;
  /** Required on FIFO topics; passed on to SQS subscribers on standard ones. */
  readonly messageGroupId?: string;
  /** FIFO topics only. */
  readonly messageDeduplicationId?: string;
}

export interface SnsServiceOptions {
  readonly lambda: LambdaInvoker;
  readonly queues: QueueService;
  /** Where the segments of actively traced topics go; none: no segments. */
  readonly segments?: SegmentSink;
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default "000000000000" */
  readonly accountId?: string;
  /** Base of the SigningCertURL and UnsubscribeURL in notifications. @default "https://sns.<region>.amazonaws.com" */
  readonly publicUrl?: string;
  /** How failed deliveries are retried. @default SNS's policy for AWS-managed endpoints (100,015 tries over 23 days) */
  readonly deliveryPolicy?: DeliveryPolicy;
  /** Told of each accepted publish and each delivery's final outcome (CloudWatch's AWS/SNS metrics). */
  readonly observer?: SnsObserver;
  /** Waits between tries; tests inject one that does not wait. @default real timers, ended by stop() */
  readonly sleep?: (millis: number, signal: AbortSignal) => Promise<void>;
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly logger?: Logger;
}

/** The message and its attributes as SNS counts them against its 256 KB. */
function publishBytes(input: PublishInput): number {
  let bytes = Buffer.byteLength(input.message, 'utf8');
  for (const [name, attribute] of Object.entries(input.messageAttributes ?? {})) bytes += attributeBytes(name, attribute.Type, attribute.Value);
  return bytes;
}

export interface SnsObserver {
  published(topicName: string, sizeBytes: number, nowMs: number): void;
  delivered(topicName: string, delivered: boolean, nowMs: number): void;
}

/**
 * Standard SNS topics: subscriptions of protocol lambda and sqs, fan-out on Publish (deliveries run
 * after Publish answers, as on SNS), retries then the subscription's dead-letter queue, trace
 * propagation, and the topic's own segment when active tracing is on and the publisher's trace is
 * sampled.
 */
export class SnsService {
  private readonly topics = new Map<string, Topic>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly inFlight = new Set<Promise<void>>();
  /** FIFO topics' deduplication intervals and sequence numbers, by topic ARN. */
  private readonly sequences = new Map<string, TopicSequence>();
  /** FIFO: the last delivery of each subscription and message group, which the next one waits for. */
  private readonly groupTails = new Map<string, Promise<unknown>>();
  /** Aborted by stop(): retries waiting for their next try give up (and say so). */
  private stopping = new AbortController();
  private readonly signer = new NotificationSigner();
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly logger: Logger;
  readonly region: string;
  readonly accountId: string;

  constructor(private readonly options: SnsServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIds;
    this.logger = options.logger ?? silentLogger;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
  }

  /** Makes the signing key now, so that the first publish does not pay for it. */
  async start(): Promise<void> {
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    this.signer.publicKeyPem();
  }

  /** Lets deliveries in progress finish their current try; retries still waiting are abandoned (logged). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  /** Resolves when every delivery started so far has finished (or gone to its dead-letter queue). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** The key notifications' signatures verify with (SHA1withRSA over `canonicalString`). */
  signingPublicKey(): string {
    return this.signer.publicKeyPem();
  }

  arnOf(name: string): string {
    return `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
  }

  /** Creates the topic, or returns the existing one of that name (CreateTopic is idempotent). */
  createTopic(name: string, attributes: Readonly<Record<string, string>> = {}, arn?: string): Topic {
    const fifo = checkTopicName(name, attributes);
    const topicArn = arn ?? this.arnOf(name);
    const existing = this.topics.get(topicArn);
    if (existing) return existing;
    const given = { ...attributes };
    // FifoTopic=false is the standard topic it would be anyway; SNS does not keep it.
    if (!fifo) delete given['FifoTopic'];
    const topic: Topic = { arn: topicArn, name, attributes: fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'false', ...given } : given };
    this.topics.set(topicArn, topic);
    return topic;
  }

  deleteTopic(topicArn: string): void {
    this.topics.delete(topicArn);
    for (const subscription of [...this.subscriptions.values()]) {
      if (subscription.topicArn === topicArn) this.subscriptions.delete(subscription.arn);
    }
  }

  topic(topicArn: string): Topic {
    const topic = this.topics.get(topicArn);
    if (!topic) throw snsErrors.notFound(`Topic ${topicArn}`);
    return topic;
  }

  listTopics(): Topic[] {
    return [...this.topics.values()];
  }

  setTopicAttribute(topicArn: string, name: string, value: string): void {
    const topic = this.topic(topicArn);
    if (name === 'FifoTopic' && value !== (topic.attributes['FifoTopic'] ?? 'false')) throw snsErrors.invalidParameter('AttributeName Reason: FifoTopic cannot be changed');
    topic.attributes[name] = value;
  }

  topicAttributes(topicArn: string): Record<string, string> {
    const topic = this.topic(topicArn);
    const confirmed = this.listSubscriptions(topicArn).length;
    return {
      TopicArn: topic.arn,
      Owner: this.accountId,
      DisplayName: '',
      TracingConfig: 'PassThrough',
      ...topic.attributes,
      SubscriptionsConfirmed: String(confirmed),
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    };
  }

  subscribe(input: {
    topicArn: string;
    protocol: string;
    endpoint: string;
    attributes?: Readonly<Record<string, string>>;
    arn?: string;
  }): Subscription {
    this.topic(input.topicArn);
    if (isFifoTopicArn(input.topicArn)) checkFifoSubscription(input.protocol, input.endpoint, deadLetterTargetOf(input.attributes?.['RedrivePolicy']));
    if (input.protocol !== 'lambda' && input.protocol !== 'sqs') {
      throw snsErrors.invalidParameter(`Protocol "${input.protocol}" is not supported locally (lambda and sqs are)`);
    }
    const attributes = input.attributes ?? {};
    for (const name of Object.keys(attributes)) {
      if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw snsErrors.invalidParameter(`Attributes Reason: ${name} is not supported locally`);
    }
    const filterPolicyScope = readFilterPolicyScope(attributes['FilterPolicyScope']);
    const policyText = attributes['FilterPolicy'];
    const filterPolicy = policyText === undefined || removesFilterPolicy(policyText) ? undefined : compileFilterPolicy(policyText, filterPolicyScope, 'Subscribe');
    const existing = [...this.subscriptions.values()].find(
      (s) => s.topicArn === input.topicArn && s.protocol === input.protocol && s.endpoint === input.endpoint,
    );
    if (existing) return existing;
    const subscription: Subscription = {
      arn: input.arn ?? `${input.topicArn}:${this.ids.uuid()}`,
      topicArn: input.topicArn,
      protocol: input.protocol,
      endpoint: input.endpoint,
      rawMessageDelivery: attributes['RawMessageDelivery'] === 'true',
      deadLetterTargetArn: deadLetterTargetOf(attributes['RedrivePolicy']),
      redrivePolicy: attributes['RedrivePolicy'],
      filterPolicy,
      ...(attributes['FilterPolicyScope'] !== undefined ? { filterPolicyScope } : {}),
    };
    this.subscriptions.set(subscription.arn, subscription);
    return subscription;
  }

  /** GetSubscriptionAttributes. */
  subscriptionAttributes(subscriptionArn: string): Record<string, string> {
    const subscription = this.subscription(subscriptionArn);
    return {
      SubscriptionArn: subscription.arn,
      TopicArn: subscription.topicArn,
      Owner: this.accountId,
      Protocol: subscription.protocol,
      Endpoint: subscription.endpoint,
      ConfirmationWasAuthenticated: 'true',
      PendingConfirmation: 'false',
      RawMessageDelivery: String(subscription.rawMessageDelivery),
      ...(subscription.redrivePolicy !== undefined && subscription.redrivePolicy !== '' ? { RedrivePolicy: subscription.redrivePolicy } : {}),
      // SNS names the scope once a policy or a scope was set (MessageAttributes by default).
      ...(subscription.filterPolicy !== undefined ? { FilterPolicy: subscription.filterPolicy.text } : {}),
      ...(subscription.filterPolicy !== undefined || subscription.filterPolicyScope !== undefined
        ? { FilterPolicyScope: subscription.filterPolicy?.scope ?? subscription.filterPolicyScope ?? 'MessageAttributes' }
        : {}),
    };
  }

  /** SetSubscriptionAttributes: RawMessageDelivery, RedrivePolicy (an empty value removes it), FilterPolicy (`{}` or empty removes it) and FilterPolicyScope. */
  setSubscriptionAttribute(subscriptionArn: string, name: string, value: string): void {
    const subscription = this.subscription(subscriptionArn);
    let updated: Subscription;
    if (name === 'RawMessageDelivery') {
      if (value !== 'true' && value !== 'false') throw snsErrors.invalidParameter(`Attributes Reason: RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      updated = { ...subscription, rawMessageDelivery: value === 'true' };
    } else if (name === 'RedrivePolicy') {
      const target = deadLetterTargetOf(value);
      if (isFifoTopicArn(subscription.topicArn)) checkFifoSubscription(subscription.protocol, subscription.endpoint, target);
      updated = { ...subscription, deadLetterTargetArn: target, redrivePolicy: value };
    } else if (name === 'FilterPolicy') {
      const scope = subscription.filterPolicy?.scope ?? subscription.filterPolicyScope ?? 'MessageAttributes';
      updated = { ...subscription, filterPolicy: removesFilterPolicy(value) ? undefined : compileFilterPolicy(value, scope) };
    } else if (name === 'FilterPolicyScope') {
      const scope = readFilterPolicyScope(value);
      // The policy in place is checked again under the new scope (a nested one is refused for attributes).
      const policy = subscription.filterPolicy === undefined ? undefined : compileFilterPolicy(subscription.filterPolicy.text, scope);
      updated = { ...subscription, filterPolicy: policy, filterPolicyScope: scope };
    } else {
      throw snsErrors.invalidParameter(`AttributeName Reason: ${name} is not supported locally (RawMessageDelivery, RedrivePolicy, FilterPolicy and FilterPolicyScope are)`);
    }
    this.subscriptions.set(subscription.arn, updated);
  }

  private subscription(subscriptionArn: string): Subscription {
    const subscription = this.subscriptions.get(subscriptionArn);
    if (!subscription) throw snsErrors.notFound('Subscription');
    return subscription;
  }

  unsubscribe(subscriptionArn: string): void {
    if (!this.subscriptions.delete(subscriptionArn)) throw snsErrors.notFound(`Subscription ${subscriptionArn}`);
  }

  listSubscriptions(topicArn?: string): Subscription[] {
    return [...this.subscriptions.values()].filter((s) => topicArn === undefined || s.topicArn === topicArn);
  }

  /**
   * Accepts the message and starts its deliveries. Resolves once each delivery's first try has been
   * handed over durably (the message committed to a queue, or the event in Lambda's journal of
   * asynchronous invocations) or has failed; retries and dead-letter queues run after it, as on SNS.
   * So an answered Publish survives a kill -9, even while Lambda is still starting.
   */
  async publish(input: PublishInput): Promise<{ messageId: string; sequenceNumber?: string }> {
    const topic = this.topic(input.topicArn);
    const messages = messagesByProtocol(input);
    if (publishBytes(input) > MAX_PUBLISH_BYTES) throw messageTooLong();
    const { messageGroupId, messageDeduplicationId } = publishIds(topic, input.message, input.messageGroupId, input.messageDeduplicationId);
    const startedMs = this.clock.nowMs();
    let messageId = this.ids.uuid();
    let sequenceNumber: string | undefined;
    if (messageDeduplicationId !== undefined) {
      let sequence = this.sequences.get(topic.arn);
      if (!sequence) this.sequences.set(topic.arn, (sequence = new TopicSequence()));
      // A duplicate within the interval is accepted and answered as the original, and not delivered.
      const duplicate = sequence.duplicateOf(messageDeduplicationId, startedMs);
      if (duplicate !== undefined) return duplicate;
      ({ messageId, sequenceNumber } = sequence.record(messageDeduplicationId, messageId, startedMs));
    }
    const fifo = { messageGroupId, messageDeduplicationId, sequenceNumber };
    const traced = topic.attributes['TracingConfig'] === 'Active' && input.trace?.sampled === true;
    const segmentId = traced ? this.ids.hex(8) : undefined;
    // Subscribers continue the publisher's trace; under an active topic, as children of its segment.
    const deliveryTrace: TraceHeader | undefined =
      input.trace === undefined ? undefined : segmentId === undefined ? input.trace : { root: input.trace.root, parent: segmentId, sampled: true };
    const base = {
      messageId,
      topicArn: topic.arn,
      subject: input.subject,
      timestamp: new Date(startedMs).toISOString(),
      messageAttributes: input.messageAttributes ?? {},
      ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
    };
    // A subscription whose filter policy the message does not match gets nothing (not a failure).
    const messageAttributes = input.messageAttributes ?? {};
    const subscriptions = this.listSubscriptions(topic.arn).filter(
      (subscription) => subscription.filterPolicy === undefined || filterPolicyMatches(subscription.filterPolicy, messages[subscription.protocol] ?? messages.default, messageAttributes),
    );
    const topicName = topic.arn.slice(topic.arn.lastIndexOf(':') + 1);
    this.options.observer?.published(topicName, publishBytes(input), startedMs);
    const signatures = new Map<string, string>();
    const handovers: Array<Promise<void>> = [];
    const work = (async () => {
      const outcomes = await Promise.all(
        subscriptions.map((subscription) => {
          let handedOver: () => void = () => {};
          handovers.push(new Promise<void>((resolve) => (handedOver = resolve)));
          const notification = { ...base, message: messages[subscription.protocol] ?? messages.default };
          if (messageGroupId === undefined || !isFifoTopicArn(topic.arn)) return this.deliver(subscription, notification, deliveryTrace, signatures, handedOver, fifo);
          // FIFO: a group's deliveries to a subscription go one after the other, in publish order.
          const key = `${subscription.arn}\n${messageGroupId}`;
          const previous = this.groupTails.get(key);
          if (previous !== undefined) handedOver();
          const next = (): Promise<boolean> => this.deliver(subscription, notification, deliveryTrace, signatures, handedOver, fifo);
          const delivery = previous === undefined ? next() : previous.then(next, next);
          this.groupTails.set(key, delivery);
          void delivery.finally(() => {
            if (this.groupTails.get(key) === delivery) this.groupTails.delete(key);
          });
          return delivery;
        }),
      );
      for (const delivered of outcomes) this.options.observer?.delivered(topicName, delivered, this.clock.nowMs());
      if (segmentId !== undefined && input.trace !== undefined) {
        this.sendSegment(topic, segmentId, input.trace, startedMs, outcomes.every(Boolean));
      }
    })();
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    // The handovers settle before their deliveries end, so `work` decides the race only by failing.
    await Promise.race([Promise.all(handovers), tracked]);
    return { messageId, ...(sequenceNumber !== undefined ? { sequenceNumber } : {}) };
  }

  /**
   * One delivery with SNS's retries; true when it was made. A client-side failure is not retried; a
   * server-side one is, by the delivery policy. A delivery that failed goes to the subscription's
   * dead-letter queue, or is logged as lost.
   */
  private async deliver(
    subscription: Subscription,
    notification: Notification,
    trace: TraceHeader | undefined,
    signatures: Map<string, string>,
    /** Called once the first try has ended: the message is durably queued, or that try failed. */
    handedOver: () => void,
    fifo: { messageGroupId?: string | undefined; messageDeduplicationId?: string | undefined } = {},
  ): Promise<boolean> {
    // One RSA signature per distinct message of a publish, not per subscriber.
    let signature = signatures.get(notification.message);
    if (signature === undefined) {
      signature = this.signer.sign(notification);
      signatures.set(notification.message, signature);
    }
    const urls = this.urlsFor(subscription);
    const policy = this.options.deliveryPolicy ?? AWS_MANAGED_DELIVERY_POLICY;
    const sleep = this.options.sleep ?? sleepMs;
    const { signal } = this.stopping;
    let failure: DeliveryFailure = { side: 'server', code: 'InternalError', message: 'not tried' };
    let attempt = 1;
    for (; attempt <= policy.maxAttempts; attempt += 1) {
      if (attempt > 1) {
        handedOver();
        await sleep(policy.delayBeforeAttemptMs(attempt), signal);
        if (signal.aborted) {
          this.logger.error(
            `sns: delivery of ${notification.messageId} to ${subscription.endpoint} abandoned after ${attempt - 1} tries as the local cloud stops (${failure.message}); the message is lost`,
          );
          return false;
        }
      }
      const tried = await this.tryOnce(subscription, notification, signature, urls, trace, fifo);
      if (tried === undefined) {
        handedOver();
        return true;
      }
      failure = tried;
      if (failure.side === 'client') break;
    }
    handedOver();
    await this.deadLetter(subscription, notification, signature, urls, trace, fifo, failure, Math.min(attempt, policy.maxAttempts));
    return false;
  }

  /** One try: undefined when the endpoint took the message, else why not. */
  private async tryOnce(
    subscription: Subscription,
    notification: Notification,
    signature: string,
    urls: SignedUrls,
    trace: TraceHeader | undefined,
    fifo: { messageGroupId?: string | undefined; messageDeduplicationId?: string | undefined },
  ): Promise<DeliveryFailure | undefined> {
    try {
      if (subscription.protocol === 'lambda') {
        const result = await this.options.lambda.invoke({
          functionName: subscription.endpoint,
          payload: lambdaEvent(notification, subscription.arn, signature, urls),
          invocationType: 'Event',
          ...(trace !== undefined ? { trace } : {}),
          caller: { kind: 'sns', arn: subscription.topicArn },
        });
        return result.statusCode < 300 ? undefined : lambdaFailure(result.statusCode, result.errorMessage);
      }
      const raw = subscription.rawMessageDelivery;
      await this.options.queues.sendMessage(subscription.endpoint, raw ? notification.message : sqsEnvelope(notification, signature, urls), {
        ...(raw ? { attributes: stringAttributes(notification.messageAttributes) } : {}),
        ...(trace !== undefined ? { trace } : {}),
        ...queueIds(subscription.endpoint, fifo),
      });
      return undefined;
    } catch (error) {
      return failureOf(error);
    }
  }

  /**
   * The failed delivery to the subscription's dead-letter queue: the message as the subscription
   * would have received it, with the attributes SNS adds (RequestID, ErrorCode, ErrorMessage); with
   * no dead-letter queue, the loss is logged.
   */
  private async deadLetter(
    subscription: Subscription,
    notification: Notification,
    signature: string,
    urls: SignedUrls,
    trace: TraceHeader | undefined,
    fifo: { messageGroupId?: string | undefined; messageDeduplicationId?: string | undefined },
    failure: DeliveryFailure,
    tries: number,
  ): Promise<void> {
    const why = failure.side === 'client' ? 'a client-side error, not retried' : `${tries} tries`;
    const what = `sns: delivery of ${notification.messageId} to ${subscription.endpoint} failed after ${why} (${failure.message})`;
    const target = subscription.deadLetterTargetArn;
    if (target === undefined) {
      this.logger.warn(`${what}; the subscription has no dead-letter queue, the message is dropped`);
      return;
    }
    const raw = subscription.rawMessageDelivery;
    try {
      await this.options.queues.sendMessage(target, raw ? notification.message : sqsEnvelope(notification, signature, urls), {
        attributes: {
          ...(raw ? stringAttributes(notification.messageAttributes) : {}),
          RequestID: this.ids.uuid(),
          ErrorCode: failure.code,
          ErrorMessage: failure.message,
        },
        ...(trace !== undefined ? { trace } : {}),
        ...queueIds(target, fifo),
      });
      this.logger.warn(`${what}; sent to the dead-letter queue ${target}`);
    } catch (error) {
      this.logger.error(`${what}; the dead-letter queue ${target} refused it too (${(error as Error).message}); the message is lost`);
    }
  }

  /** The segment SNS sends for an actively traced topic: the publish as the topic's node. */
  private sendSegment(topic: Topic, id: string, trace: TraceHeader, startedMs: number, delivered: boolean): void {
    this.options.segments?.send({
      name: topic.name,
      id,
      trace_id: trace.root,
      ...(trace.parent !== undefined ? { parent_id: trace.parent } : {}),
      start_time: startedMs / 1000,
      end_time: Math.max(startedMs, this.clock.nowMs()) / 1000,
      origin: 'AWS::SNS',
      resource_arn: topic.arn,
      aws: { account_id: this.accountId, region: this.region, operation: 'Publish', topic_arn: topic.arn },
      ...(delivered ? {} : { fault: true }),
    });
  }

  private urlsFor(subscription: Subscription): SignedUrls {
    const base = this.options.publicUrl ?? `https://sns.${this.region}.amazonaws.com`;
    return {
      signingCertUrl: `${base}/SimpleNotificationService-local.pem`,
      unsubscribeUrl: `${base}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscription.arn)}`,
    };
  }
}

/** `{ default, lambda?, sqs? }`: one message for all, or per protocol with MessageStructure=json. */
function messagesByProtocol(input: PublishInput): { default: string } & Partial<Record<SubscriptionProtocol, string>> {
  if (input.message === '') throw snsErrors.invalidParameter('Empty message');
  if (input.messageStructure === undefined) return { default: input.message };
  if (input.messageStructure !== 'json') throw snsErrors.invalidParameter(`MessageStructure must be "json", got "${input.messageStructure}"`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.message);
  } catch {
    throw snsErrors.invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const structure = parsed as Record<string, unknown>;
  if (typeof structure['default'] !== 'string') throw snsErrors.invalidParameter('Message Structure - No default entry in JSON message body');
  return {
    default: structure['default'],
    ...(typeof structure['lambda'] === 'string' ? { lambda: structure['lambda'] } : {}),
    ...(typeof structure['sqs'] === 'string' ? { sqs: structure['sqs'] } : {}),
  };
}

/** The group (any queue takes one) and the deduplication id (FIFO queues only) an SQS delivery carries. */
function queueIds(queueArn: string, ids: { messageGroupId?: string | undefined; messageDeduplicationId?: string | undefined }): { messageGroupId?: string; messageDeduplicationId?: string } {
  return {
    ...(ids.messageGroupId !== undefined ? { messageGroupId: ids.messageGroupId } : {}),
    ...(ids.messageDeduplicationId !== undefined && queueArn.endsWith('.fifo') ? { messageDeduplicationId: ids.messageDeduplicationId } : {}),
  };
}

function stringAttributes(attributes: Readonly<Record<string, SnsMessageAttribute>>): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, attribute] of Object.entries(attributes)) if (!attribute.Type.startsWith('Binary')) strings[name] = attribute.Value;
  return strings;
}

function deadLetterTargetOf(policy: string | undefined): string | undefined {
  if (policy === undefined || policy === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw snsErrors.invalidParameter('RedrivePolicy: not JSON');
  }
  const target = (parsed as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
  if (typeof target !== 'string' || !target.startsWith('arn:aws:sqs:')) {
    throw snsErrors.invalidParameter('RedrivePolicy: deadLetterTargetArn must be an SQS queue ARN');
  }
  return target;
}
