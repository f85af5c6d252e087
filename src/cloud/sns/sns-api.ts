/**
 * SNS's wire protocol as the AWS SDK v3 client sends it: awsQuery (form-encoded `Action=...&
 * Version=2010-03-31`), XML answers and XML errors.
 */
import { AwsError } from '../protocol/errors.ts';
import { QueryInput, acceptsJson, invalidAction, isFormRequest, queryParams, queryReply, renderQueryError, xml, xmlEntries } from '../protocol/query-protocol.ts';
import type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest } from '../protocol/service.ts';
import { snsErrors } from './errors.ts';
import { isFifoTopicArn } from './fifo-topics.ts';
import { attributeBytes, checkAttributeName, checkAttributeType, MAX_PUBLISH_BYTES, messageTooLong } from './limits.ts';
import type { SnsMessageAttribute } from './notification.ts';
import type { PublishInput, SnsService, Subscription } from './sns-service.ts';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const VERSION = '2010-03-31';

interface Operation {
  /** The topic (or other resource) IAM checks the call against. */
  readonly resourceArn: string;
  /** The IAM action when it is not `sns:<Action>` (PublishBatch is authorized as sns:Publish). */
  readonly iamAction?: string;
  run(): string[] | undefined | Promise<string[] | undefined>;
}

type Reader = (input: QueryInput, request: EndpointRequest) => Operation;

export class SnsApi implements AwsProtocolService {
  readonly name = 'SNS';
  readonly signingName = 'sns';
  private readonly operations: Readonly<Record<string, Reader>>;

  constructor(private readonly sns: SnsService) {
    const all = sns.arnOf('*');
    this.operations = {
      CreateTopic: (input) => {
        const name = input.string('Name');
        const attributes = input.stringMap('Attributes');
        return { resourceArn: sns.arnOf(name), run: () => [xml('TopicArn', sns.createTopic(name, attributes).arn)] };
      },
      DeleteTopic: (input) => {
        const topicArn = input.string('TopicArn');
        return { resourceArn: topicArn, run: () => (sns.deleteTopic(topicArn), undefined) };
      },
      ListTopics: () => ({
        resourceArn: all,
        run: () => [xml('Topics', sns.listTopics().map((topic) => xml('member', [xml('TopicArn', topic.arn)])))],
      }),
      GetTopicAttributes: (input) => {
        const topicArn = input.string('TopicArn');
        return { resourceArn: topicArn, run: () => [xml('Attributes', xmlEntries(sns.topicAttributes(topicArn)))] };
      },
      SetTopicAttributes: (input) => {
        const topicArn = input.string('TopicArn');
        const name = input.string('AttributeName');
        const value = input.optionalString('AttributeValue') ?? '';
        return { resourceArn: topicArn, run: () => (sns.setTopicAttribute(topicArn, name, value), undefined) };
      },
      Subscribe: (input) => {
        const topicArn = input.string('TopicArn');
        const protocol = input.string('Protocol');
        const endpoint = input.string('Endpoint');
        const attributes = input.stringMap('Attributes');
        return {
          resourceArn: topicArn,
          run: () => [xml('SubscriptionArn', sns.subscribe({ topicArn, protocol, endpoint, attributes }).arn)],
        };
      },
      Unsubscribe: (input) => {
        const subscriptionArn = input.string('SubscriptionArn');
        return { resourceArn: subscriptionArn.slice(0, subscriptionArn.lastIndexOf(':')), run: () => (sns.unsubscribe(subscriptionArn), undefined) };
      },
      GetSubscriptionAttributes: (input) => {
        const subscriptionArn = input.string('SubscriptionArn');
        return {
          resourceArn: subscriptionArn.slice(0, subscriptionArn.lastIndexOf(':')),
          run: () => [xml('Attributes', xmlEntries(sns.subscriptionAttributes(subscriptionArn)))],
        };
      },
      SetSubscriptionAttributes: (input) => {
        const subscriptionArn = input.string('SubscriptionArn');
        const name = input.string('AttributeName');
        const value = input.optionalString('AttributeValue') ?? '';
        return {
          resourceArn: subscriptionArn.slice(0, subscriptionArn.lastIndexOf(':')),
          run: () => (sns.setSubscriptionAttribute(subscriptionArn, name, value), undefined),
        };
      },
      ListSubscriptions: () => ({ resourceArn: all, run: () => [subscriptionsXml(sns.listSubscriptions(), sns.accountId)] }),
      ListSubscriptionsByTopic: (input) => {
        const topicArn = input.string('TopicArn');
        return {
          resourceArn: topicArn,
          run: () => (sns.topic(topicArn), [subscriptionsXml(sns.listSubscriptions(topicArn), sns.accountId)]),
        };
      },
      Publish: (input, request) => {
        const topicArn = input.optionalString('TopicArn') ?? input.optionalString('TargetArn');
        if (topicArn === undefined) {
          if (input.optionalString('PhoneNumber') !== undefined) throw snsErrors.invalidParameter('PhoneNumber: SMS is not supported locally');
          throw snsErrors.invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
        }
        const fields = publishFields(input);
        return {
          resourceArn: topicArn,
          run: async () => {
            // Read after IAM allowed the call: the attributes are the part of a Publish that can be large.
            // Answered once every subscription's delivery is durably handed over (see SnsService.publish).
            const { messageId, sequenceNumber } = await sns.publish(publishInput(topicArn, input, fields, request));
            return [xml('MessageId', messageId), ...(sequenceNumber !== undefined ? [xml('SequenceNumber', sequenceNumber)] : [])];
          },
        };
      },
      PublishBatch: (input, request) => {
        const topicArn = input.string('TopicArn');
        const entries = input.members('PublishBatchRequestEntries');
        if (entries.length === 0) throw batchErrors.empty();
        if (entries.length > MAX_BATCH_ENTRIES) throw batchErrors.tooMany(entries.length);
        const ids = new Set<string>();
        for (const entry of entries) {
          const id = entry.string('Id');
          if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw batchErrors.invalidId(id);
          if (ids.has(id)) throw batchErrors.idsNotDistinct(id);
          ids.add(id);
        }
        return {
          resourceArn: topicArn,
          iamAction: 'sns:Publish',
          run: async () => {
            const topic = sns.topic(topicArn);
            checkBatchBytes(entries);
            // On a FIFO topic SNS refuses the whole batch when an entry lacks its group or deduplication id.
            if (isFifoTopicArn(topic.arn)) checkFifoBatch(entries, topic.attributes['ContentBasedDeduplication'] === 'true');
            const successful: string[] = [];
            const failed: string[] = [];
            for (const entry of entries) {
              const id = entry.string('Id');
              try {
                // Each entry answered once its deliveries are durably handed over, as Publish is.
                const { messageId, sequenceNumber } = await sns.publish(publishInput(topicArn, entry, publishFields(entry), request));
                successful.push(xml('member', [xml('Id', id), xml('MessageId', messageId), ...(sequenceNumber !== undefined ? [xml('SequenceNumber', sequenceNumber)] : [])]));
              } catch (error) {
                if (!(error instanceof AwsError)) throw error;
                const code = error.code === 'MissingParameter' || error.code === 'InvalidParameterValue' ? 'InvalidParameter' : error.queryCode;
                failed.push(xml('member', [xml('Id', id), xml('Code', code), xml('Message', error.message), xml('SenderFault', error.status < 500)]));
              }
            }
            return [xml('Successful', successful), xml('Failed', failed)];
          },
        };
      },
    };
  }

  accepts(request: EndpointRequest): boolean {
    return isFormRequest(request);
  }

  parse(request: EndpointRequest): AwsCall {
    const input = new QueryInput(queryParams(request));
    const action = input.optionalString('Action');
    if (action === undefined) throw new AwsError('MissingAction', 'The request must contain the parameter Action.');
    const version = input.optionalString('Version');
    if (version !== undefined && version !== VERSION) {
      throw new AwsError('InvalidParameterValue', `Version ${version} is not supported; SNS speaks ${VERSION}.`);
    }
    // Own keys only: Action=constructor or toString must not find Object.prototype's.
    const reader = Object.hasOwn(this.operations, action) ? this.operations[action] : undefined;
    if (!reader) throw invalidAction(action, 'SNS');
    const operation = reader(input, request);
    return {
      operation: action,
      permissions: [{ action: operation.iamAction ?? `sns:${action}`, resourceArn: operation.resourceArn }],
      run: async () => queryReply(action, XMLNS, request.requestId, await operation.run(), acceptsJson(request)),
    };
  }

  renderError(error: AwsError, request: EndpointRequest): EndpointReply {
    // SNS names a missing or malformed parameter InvalidParameter.
    const shaped =
      error.code === 'MissingParameter' || error.code === 'InvalidParameterValue'
        ? new AwsError('InvalidParameter', `Invalid parameter: ${error.message}`, { status: error.status })
        : error;
    return renderQueryError(shaped, XMLNS, request.requestId, acceptsJson(request));
  }

  accessDenied(message: string): AwsError {
    return snsErrors.authorizationError(message);
  }
}

/** The fields of a Publish call or a PublishBatch entry read before anything is sent. */
interface PublishFields {
  readonly message: string;
  readonly subject: string | undefined;
  readonly messageStructure: string | undefined;
  readonly messageGroupId: string | undefined;
  readonly messageDeduplicationId: string | undefined;
}

function publishFields(entry: QueryInput): PublishFields {
  const message = entry.optionalString('Message');
  if (message === undefined) throw snsErrors.invalidParameter('Message Reason: no value for required parameter');
  return {
    message,
    subject: entry.optionalString('Subject'),
    messageStructure: entry.optionalString('MessageStructure'),
    messageGroupId: entry.optionalString('MessageGroupId'),
    messageDeduplicationId: entry.optionalString('MessageDeduplicationId'),
  };
}

/** The publish of one message; reads its attributes, which count against the message's size limit. */
function publishInput(topicArn: string, entry: QueryInput, fields: PublishFields, request: EndpointRequest): PublishInput {
  const { message, subject, messageStructure, messageGroupId, messageDeduplicationId } = fields;
  return {
    topicArn,
    message,
    messageAttributes: snsAttributes(entry, MAX_PUBLISH_BYTES - Buffer.byteLength(message, 'utf8')),
    ...(subject !== undefined ? { subject } : {}),
    ...(messageStructure !== undefined ? { messageStructure } : {}),
    ...(messageGroupId !== undefined ? { messageGroupId } : {}),
    ...(messageDeduplicationId !== undefined ? { messageDeduplicationId } : {}),
    ...(request.trace !== undefined ? { trace: request.trace } : {}),
  };
}

/**
 * The message attributes, read one entry at a time against the bytes the message leaves of SNS's
 * 256 KB: a request of thousands of entries stops at the first that does not fit.
 */
function snsAttributes(input: QueryInput, budgetBytes: number): Record<string, SnsMessageAttribute> {
  if (budgetBytes < 0) throw messageTooLong();
  let remainingBytes = budgetBytes;
  const attributes: Record<string, SnsMessageAttribute> = {};
  for (const entry of input.entries('MessageAttributes')) {
    const name = entry.string('Name');
    checkAttributeName(name);
    const type = entry.optionalString('Value.DataType');
    if (type === undefined) throw snsErrors.invalidParameter(`Message attribute '${name}' must contain non-empty message attribute type.`);
    checkAttributeType(name, type);
    const value = type.startsWith('Binary') ? entry.optionalString('Value.BinaryValue') : entry.optionalString('Value.StringValue');
    if (value === undefined) throw snsErrors.invalidParameter(`Message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    remainingBytes -= attributeBytes(name, type, value);
    if (remainingBytes < 0) throw messageTooLong();
    attributes[name] = { Type: type, Value: value };
  }
  return attributes;
}

const MAX_BATCH_ENTRIES = 10;

/** SNS's batch errors, with the codes the SDK maps to its exceptions. */
const batchErrors = {
  empty: (): AwsError => new AwsError('EmptyBatchRequest', "The batch request doesn't contain any entries."),
  tooMany: (count: number): AwsError =>
    new AwsError('TooManyEntriesInBatchRequest', `The batch request contains more entries than permissible: ${count}, at most ${MAX_BATCH_ENTRIES}.`),
  invalidId: (id: string): AwsError =>
    new AwsError('InvalidBatchEntryId', `The Id of a batch entry in a batch request doesn't abide by the specification (1 to 80 letters, digits, hyphens or underscores): ${JSON.stringify(id.slice(0, 100))}.`),
  idsNotDistinct: (id: string): AwsError => new AwsError('BatchEntryIdsNotDistinct', `Two or more batch entries in the request have the same Id: ${JSON.stringify(id)}.`),
  tooLong: (): AwsError => new AwsError('BatchRequestTooLong', `The length of all the messages put together is more than the limit of ${MAX_PUBLISH_BYTES} bytes.`),
};

/**
 * A PublishBatch is held to one publish's 256 KB over all its entries (messages and attributes as
 * sent): counted entry by entry, attribute by attribute, stopping at the first byte over.
 */
function checkBatchBytes(entries: readonly QueryInput[]): void {
  let remainingBytes = MAX_PUBLISH_BYTES;
  const spend = (text: string | undefined): void => {
    remainingBytes -= text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
    if (remainingBytes < 0) throw batchErrors.tooLong();
  };
  for (const entry of entries) {
    spend(entry.optionalString('Message'));
    for (const attribute of entry.entries('MessageAttributes')) {
      spend(attribute.optionalString('Name'));
      spend(attribute.optionalString('Value.DataType'));
      spend(attribute.optionalString('Value.StringValue') ?? attribute.optionalString('Value.BinaryValue'));
    }
  }
}

function checkFifoBatch(entries: readonly QueryInput[], contentBasedDeduplication: boolean): void {
  if (entries.some((entry) => entry.optionalString('MessageGroupId') === undefined)) {
    throw snsErrors.invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  }
  if (!contentBasedDeduplication && entries.some((entry) => entry.optionalString('MessageDeduplicationId') === undefined)) {
    throw snsErrors.invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
}

function subscriptionsXml(subscriptions: Subscription[], owner: string): string {
  return xml(
    'Subscriptions',
    subscriptions.map((s) =>
      xml('member', [xml('SubscriptionArn', s.arn), xml('Owner', owner), xml('Protocol', s.protocol), xml('Endpoint', s.endpoint), xml('TopicArn', s.topicArn)]),
    ),
  );
}
