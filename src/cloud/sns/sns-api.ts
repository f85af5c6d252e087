/**
 * SNS's wire protocol as the AWS SDK v3 client sends it: awsQuery (form-encoded `Action=...&
 * Version=2010-03-31`), XML answers and XML errors.
 */
import { AwsError } from '../endpoint/errors.ts';
import { QueryInput, acceptsJson, invalidAction, isFormRequest, queryParams, queryReply, renderQueryError, xml, xmlEntries } from '../endpoint/query-protocol.ts';
import type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest } from '../endpoint/service.ts';
import { snsErrors } from './errors.ts';
import { attributeBytes, checkAttributeName, checkAttributeType, MAX_PUBLISH_BYTES, messageTooLong } from './limits.ts';
import type { SnsMessageAttribute } from './notification.ts';
import type { SnsService, Subscription } from './sns-service.ts';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const VERSION = '2010-03-31';

interface Operation {
  /** The topic (or other resource) IAM checks the call against. */
  readonly resourceArn: string;
  run(): string[] | undefined;
}

type Reader = (input: QueryInput, request: EndpointRequest) => Operation;

export class SnsApi implements AwsProtocolService {
  readonly name = 'SNS';
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
        const message = input.optionalString('Message');
        if (message === undefined) throw snsErrors.invalidParameter('Message Reason: no value for required parameter');
        const subject = input.optionalString('Subject');
        const messageStructure = input.optionalString('MessageStructure');
        return {
          resourceArn: topicArn,
          run: () => {
            // Read after IAM allowed the call: the attributes are the part of a Publish that can be large.
            const messageAttributes = snsAttributes(input, MAX_PUBLISH_BYTES - Buffer.byteLength(message, 'utf8'));
            const { messageId } = sns.publish({
              topicArn,
              message,
              messageAttributes,
              ...(subject !== undefined ? { subject } : {}),
              ...(messageStructure !== undefined ? { messageStructure } : {}),
              ...(request.trace !== undefined ? { trace: request.trace } : {}),
            });
            return [xml('MessageId', messageId)];
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
      permissions: [{ action: `sns:${action}`, resourceArn: operation.resourceArn }],
      run: async () => queryReply(action, XMLNS, request.requestId, operation.run()),
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

function subscriptionsXml(subscriptions: Subscription[], owner: string): string {
  return xml(
    'Subscriptions',
    subscriptions.map((s) =>
      xml('member', [xml('SubscriptionArn', s.arn), xml('Owner', owner), xml('Protocol', s.protocol), xml('Endpoint', s.endpoint), xml('TopicArn', s.topicArn)]),
    ),
  );
}
