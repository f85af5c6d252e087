/**
 * A valid input for each SQS, DynamoDB and SNS operation the local AWS endpoint serves, around the
 * names of one queue, table and topic: for the endpoint's fuzz suite and the hostile-input harness.
 */
import type { FuzzValue } from './fuzz.ts';

export const FUZZ_TRACE_HEADER = 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1';

export interface AwsNames {
  readonly queueUrl: string;
  readonly queueName: string;
  /** The ARN of a queue a topic can deliver to. */
  readonly queueArn: string;
  readonly tableName: string;
  /** The table's partition key, a string attribute. */
  readonly tableKey: string;
  readonly topicArn: string;
  /** A receipt handle of a message in flight, for the operations that take one. */
  readonly receiptHandle: () => string;
  readonly subscriptionArn: () => string;
  /** The ARN of a topic case `i` may delete. */
  readonly doomedTopicArn: (i: number) => string;
}

export function sqsInputs(names: AwsNames): Readonly<Record<string, (i: number) => FuzzValue>> {
  const { queueUrl: QueueUrl } = names;
  return {
    SendMessage: () => ({
      QueueUrl, MessageBody: 'hello', DelaySeconds: 0,
      MessageAttributes: { team: { DataType: 'String', StringValue: 'orders' }, blob: { DataType: 'Binary', BinaryValue: 'AAEC' } },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: FUZZ_TRACE_HEADER } },
    }),
    SendMessageBatch: () => ({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x', DelaySeconds: 0 }, { Id: 'b', MessageBody: 'y', DelaySeconds: 1 }] }),
    ReceiveMessage: () => ({ QueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0, VisibilityTimeout: 0, AttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    DeleteMessage: () => ({ QueueUrl, ReceiptHandle: names.receiptHandle() }),
    DeleteMessageBatch: () => ({ QueueUrl, Entries: [{ Id: 'a', ReceiptHandle: names.receiptHandle() }] }),
    ChangeMessageVisibility: () => ({ QueueUrl, ReceiptHandle: names.receiptHandle(), VisibilityTimeout: 30 }),
    ChangeMessageVisibilityBatch: () => ({ QueueUrl, Entries: [{ Id: 'a', ReceiptHandle: names.receiptHandle(), VisibilityTimeout: 30 }] }),
    GetQueueUrl: () => ({ QueueName: names.queueName }),
    GetQueueAttributes: () => ({ QueueUrl, AttributeNames: ['All'] }),
    SetQueueAttributes: () => ({ QueueUrl, Attributes: { VisibilityTimeout: '30', MessageRetentionPeriod: '3600' } }),
    CreateQueue: (i) => ({ QueueName: `fuzz-${i}`, Attributes: { DelaySeconds: '0', VisibilityTimeout: '30' } }),
    ListQueues: () => ({ QueueNamePrefix: names.queueName.slice(0, 1), MaxResults: 10 }),
    PurgeQueue: () => ({ QueueUrl }),
  };
}

export function dynamodbInputs(names: AwsNames): Readonly<Record<string, (i: number) => FuzzValue>> {
  const { tableName: TableName, tableKey: key } = names;
  return {
    PutItem: (): FuzzValue => ({ TableName, Item: { [key]: { S: 'a' } as FuzzValue, n: { N: '1' }, l: { L: [{ S: 'x' }] }, m: { M: { k: { BOOL: true } } } } }),
    GetItem: () => ({ TableName, Key: { [key]: { S: 'a' } }, ConsistentRead: true, ProjectionExpression: key }),
    UpdateItem: () => ({ TableName, Key: { [key]: { S: 'a' } }, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } } }),
    Query: () => ({ TableName, KeyConditionExpression: `${key} = :p`, ExpressionAttributeValues: { ':p': { S: 'a' } }, Limit: 10 }),
    Scan: () => ({ TableName, Limit: 5 }),
    BatchWriteItem: () => ({ RequestItems: { [TableName]: [{ PutRequest: { Item: { [key]: { S: 'b' } } } }] } }),
    BatchGetItem: () => ({ RequestItems: { [TableName]: { Keys: [{ [key]: { S: 'a' } }] } } }),
    DescribeTable: () => ({ TableName }),
    ListTables: () => ({ Limit: 10 }),
    DeleteItem: () => ({ TableName, Key: { [key]: { S: 'zz' } } }),
  };
}

export function snsInputs(names: AwsNames): Readonly<Record<string, (i: number) => Record<string, string>>> {
  const { topicArn: TopicArn } = names;
  const Version = '2010-03-31';
  return {
    Publish: () => ({
      Action: 'Publish', Version, TopicArn, Message: 'hello', Subject: 'greeting',
      'MessageAttributes.entry.1.Name': 'team', 'MessageAttributes.entry.1.Value.DataType': 'String', 'MessageAttributes.entry.1.Value.StringValue': 'orders',
    }),
    CreateTopic: (i) => ({ Action: 'CreateTopic', Version, Name: `fuzz-${i}`, 'Attributes.entry.1.key': 'DisplayName', 'Attributes.entry.1.value': 'Fuzz' }),
    Subscribe: () => ({
      Action: 'Subscribe', Version, TopicArn, Protocol: 'sqs', Endpoint: names.queueArn, 'Attributes.entry.1.key': 'RawMessageDelivery', 'Attributes.entry.1.value': 'true',
    }),
    Unsubscribe: () => ({ Action: 'Unsubscribe', Version, SubscriptionArn: names.subscriptionArn() }),
    ListTopics: () => ({ Action: 'ListTopics', Version }),
    ListSubscriptions: () => ({ Action: 'ListSubscriptions', Version }),
    ListSubscriptionsByTopic: () => ({ Action: 'ListSubscriptionsByTopic', Version, TopicArn }),
    GetTopicAttributes: () => ({ Action: 'GetTopicAttributes', Version, TopicArn }),
    SetTopicAttributes: () => ({ Action: 'SetTopicAttributes', Version, TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Events' }),
    DeleteTopic: (i) => ({ Action: 'DeleteTopic', Version, TopicArn: names.doomedTopicArn(i) }),
  };
}
