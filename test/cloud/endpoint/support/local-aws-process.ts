// Child process for the kill -9 tests: the local cloud's AWS endpoint (SQS, SNS, DynamoDB) on a data
// folder, IAM off, until it is killed. Prints `ready <endpoint url>` once it answers.
import { LocalAws } from '../../../../src/cloud/endpoint/index.ts';
import { cloudModel, queueArn, queueResource, resource, topicArn } from '../model.ts';

const [dataDirectory] = process.argv.slice(2);
if (dataDirectory === undefined) throw new Error('usage: local-aws-process.ts <data directory>');

/** A queue to send to, a topic fanned out to two queues, and the pattern's table. */
const model = cloudModel([
  queueResource('Stack', 'Work', 'work'),
  resource('Stack', 'Topic', 'AWS::SNS::Topic', {}, topicArn('events')),
  queueResource('Stack', 'First', 'subscriber-a'),
  queueResource('Stack', 'Second', 'subscriber-b'),
  resource('Stack', 'SubscriptionA', 'AWS::SNS::Subscription', { TopicArn: topicArn('events'), Protocol: 'sqs', Endpoint: queueArn('subscriber-a'), RawMessageDelivery: 'true' }, `${topicArn('events')}:a`),
  resource('Stack', 'SubscriptionB', 'AWS::SNS::Subscription', { TopicArn: topicArn('events'), Protocol: 'sqs', Endpoint: queueArn('subscriber-b') }, `${topicArn('events')}:b`),
  resource('Stack', 'Table', 'AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'path', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'path', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }, 'Hits'),
]);

const aws = new LocalAws({ model, lambda: { invoke: async () => ({ statusCode: 202 }) }, port: 0, dataDirectory });
await aws.start();
process.stdout.write(`ready ${aws.url}\n`);
setInterval(() => {}, 60_000);
