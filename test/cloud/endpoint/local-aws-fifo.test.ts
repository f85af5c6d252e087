import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalAws } from '../../../src/cloud/endpoint/index.ts';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { capturingLogger, clientConfig } from './harness.ts';
import { cloudModel, queueArn, queueResource, resource, topicArn } from './model.ts';
import { eventually } from '../../support/eventually.ts';

/** The templates' FIFO flow: a FIFO topic, its FIFO queue subscription, and a function draining the queue. */
const model = cloudModel([
  resource('Stack', 'Prices', 'AWS::SNS::Topic', { FifoTopic: true, ContentBasedDeduplication: true }, topicArn('Stack-Prices-ABC.fifo')),
  queueResource('Stack', 'Dlq', 'Stack-Dlq-ABC.fifo', { FifoQueue: true }),
  queueResource('Stack', 'Updates', 'Stack-Updates-ABC.fifo', {
    FifoQueue: true,
    RedrivePolicy: { deadLetterTargetArn: queueArn('Stack-Dlq-ABC.fifo'), maxReceiveCount: 3 },
  }),
  resource(
    'Stack',
    'Subscription',
    'AWS::SNS::Subscription',
    { TopicArn: topicArn('Stack-Prices-ABC.fifo'), Protocol: 'sqs', Endpoint: queueArn('Stack-Updates-ABC.fifo'), RawMessageDelivery: true },
    `${topicArn('Stack-Prices-ABC.fifo')}:1`,
  ),
  resource('Stack', 'Mapping', 'AWS::Lambda::EventSourceMapping', { EventSourceArn: queueArn('Stack-Updates-ABC.fifo'), FunctionName: 'consumer', BatchSize: 10 }, 'm-1'),
]);

class Consumer implements LambdaInvoker {
  readonly requests: InvokeRequest[] = [];
  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    this.requests.push(request);
    return { statusCode: 200 };
  }
}

describe('LocalAws with FIFO topics and queues from the templates', () => {
  let aws: LocalAws | undefined;

  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
  });

  it('creates them with no warning and delivers each group in publish order, once, to the consumer', async () => {
    const consumer = new Consumer();
    aws = new LocalAws({ model, lambda: consumer, port: 0, logger: capturingLogger() });
    await aws.start();
    expect(aws.warnings).toEqual([]);
    const sns = new SNSClient(clientConfig(aws.endpoint));
    for (const [message, group] of [['t1', 'tyres'], ['b1', 'brakes'], ['t2', 'tyres'], ['t1', 'tyres']] as const) {
      await sns.send(new PublishCommand({ TopicArn: topicArn('Stack-Prices-ABC.fifo'), Message: message, MessageGroupId: group }));
    }
    sns.destroy();
    await eventually(() => consumer.requests.flatMap((request) => (request.payload as SQSEvent).Records).length >= 3);
    const records = consumer.requests.flatMap((request) => (request.payload as SQSEvent).Records);
    // The repeated t1 is a duplicate within 5 minutes (content-based deduplication): delivered once.
    expect(records.filter((record) => record.attributes.MessageGroupId === 'tyres').map((record) => record.body)).toEqual(['t1', 't2']);
    expect(records.filter((record) => record.attributes.MessageGroupId === 'brakes').map((record) => record.body)).toEqual(['b1']);
    expect(records).toHaveLength(3);
  });
});
