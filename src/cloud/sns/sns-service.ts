import type { Clock, IdSource, Logger } from '../core/runtime.ts';
import { randomIds, silentLogger, systemClock } from '../core/runtime.ts';
import type { LambdaInvoker, QueueService, SegmentSink, TraceHeader } from '../core/types.ts';
import { snsErrors } from './errors.ts';
import { attributeBytes, MAX_PUBLISH_BYTES, messageTooLong } from './limits.ts';
import type { Notification, SignedUrls, SnsMessageAttribute } from './notification.ts';
import { lambdaEvent, NotificationSigner, sqsEnvelope } from './notification.ts';

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
}

export interface PublishInput {
  readonly topicArn: string;
  readonly message: string;
  readonly subject?: string;
  /** `json`: `message` is a JSON object with a `default` and optional per-protocol messages. */
  readonly messageStructure?: string;
  readonly messageAttributes?: Readonly<Record<string, SnsMessageAttribute>>;
  /** The publisher's X-Amzn-Trace-Id. */
  readonly trace?: TraceHeader;
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
  /** Tries per delivery before it goes to the subscription's dead-letter queue. @default 3 */
  readonly deliveryAttempts?: number;
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
    this.signer.publicKeyPem();
  }

  /** Lets deliveries already started finish. */
  async stop(): Promise<void> {
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
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) {
      throw snsErrors.invalidParameter(`Topic Name: "${name}" must be 1 to 256 letters, digits, hyphens or underscores`);
    }
    const topicArn = arn ?? this.arnOf(name);
    const existing = this.topics.get(topicArn);
    if (existing) return existing;
    const topic: Topic = { arn: topicArn, name, attributes: { ...attributes } };
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
    this.topic(topicArn).attributes[name] = value;
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
    if (input.protocol !== 'lambda' && input.protocol !== 'sqs') {
      throw snsErrors.invalidParameter(`Protocol "${input.protocol}" is not supported locally (lambda and sqs are)`);
    }
    const attributes = input.attributes ?? {};
    for (const name of Object.keys(attributes)) {
      if (name !== 'RawMessageDelivery' && name !== 'RedrivePolicy') throw snsErrors.invalidParameter(`Attributes Reason: ${name} is not supported locally`);
    }
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
    };
    this.subscriptions.set(subscription.arn, subscription);
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
  async publish(input: PublishInput): Promise<{ messageId: string }> {
    const topic = this.topic(input.topicArn);
    const messages = messagesByProtocol(input);
    if (publishBytes(input) > MAX_PUBLISH_BYTES) throw messageTooLong();
    const startedMs = this.clock.nowMs();
    const messageId = this.ids.uuid();
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
    };
    const subscriptions = this.listSubscriptions(topic.arn);
    const signatures = new Map<string, string>();
    const handovers: Array<Promise<void>> = [];
    const work = (async () => {
      const outcomes = await Promise.all(
        subscriptions.map((subscription) => {
          let handedOver: () => void = () => {};
          handovers.push(new Promise<void>((resolve) => (handedOver = resolve)));
          return this.deliver(subscription, { ...base, message: messages[subscription.protocol] ?? messages.default }, deliveryTrace, signatures, handedOver);
        }),
      );
      if (segmentId !== undefined && input.trace !== undefined) {
        this.sendSegment(topic, segmentId, input.trace, startedMs, outcomes.every(Boolean));
      }
    })();
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    // The handovers settle before their deliveries end, so `work` decides the race only by failing.
    await Promise.race([Promise.all(handovers), tracked]);
    return { messageId };
  }

  /** One delivery with its retries; true when it was made. A failed one goes to the dead-letter queue. */
  private async deliver(
    subscription: Subscription,
    notification: Notification,
    trace: TraceHeader | undefined,
    signatures: Map<string, string>,
    /** Called once the first try has ended: the message is durably queued, or that try failed. */
    handedOver: () => void,
  ): Promise<boolean> {
    // One RSA signature per distinct message of a publish, not per subscriber.
    let signature = signatures.get(notification.message);
    if (signature === undefined) {
      signature = this.signer.sign(notification);
      signatures.set(notification.message, signature);
    }
    const urls = this.urlsFor(subscription);
    const attempts = this.options.deliveryAttempts ?? 3;
    let failure = '';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt === 2) handedOver();
      try {
        if (subscription.protocol === 'lambda') {
          const result = await this.options.lambda.invoke({
            functionName: subscription.endpoint,
            payload: lambdaEvent(notification, subscription.arn, signature, urls),
            invocationType: 'Event',
            ...(trace !== undefined ? { trace } : {}),
            caller: { kind: 'sns', arn: subscription.topicArn },
          });
          if (result.statusCode < 300) {
            handedOver();
            return true;
          }
          failure = `Lambda answered ${result.statusCode}${result.errorMessage !== undefined ? `: ${result.errorMessage}` : ''}`;
        } else {
          const raw = subscription.rawMessageDelivery;
          await this.options.queues.sendMessage(subscription.endpoint, raw ? notification.message : sqsEnvelope(notification, signature, urls), {
            ...(raw ? { attributes: stringAttributes(notification.messageAttributes) } : {}),
            ...(trace !== undefined ? { trace } : {}),
          });
          handedOver();
          return true;
        }
      } catch (error) {
        failure = (error as Error).message;
      }
    }
    handedOver();
    await this.deadLetter(subscription, notification, signature, urls, trace, failure);
    return false;
  }

  private async deadLetter(
    subscription: Subscription,
    notification: Notification,
    signature: string,
    urls: SignedUrls,
    trace: TraceHeader | undefined,
    failure: string,
  ): Promise<void> {
    const what = `sns: delivery of ${notification.messageId} to ${subscription.endpoint} failed after ${this.options.deliveryAttempts ?? 3} tries (${failure})`;
    if (subscription.deadLetterTargetArn === undefined) {
      this.logger.warn(`${what}; the subscription has no dead-letter queue, the message is dropped`);
      return;
    }
    try {
      await this.options.queues.sendMessage(subscription.deadLetterTargetArn, sqsEnvelope(notification, signature, urls), trace === undefined ? {} : { trace });
      this.logger.warn(`${what}; sent to the dead-letter queue ${subscription.deadLetterTargetArn}`);
    } catch (error) {
      this.logger.error(`${what}; the dead-letter queue ${subscription.deadLetterTargetArn} refused it too (${(error as Error).message})`);
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
