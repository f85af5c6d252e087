import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SQS_FAILURES_FILTER } from '../../../src/pattern/infra/pattern-groups.ts';
import {
  arnOf,
  expectGroup,
  expectQueuesSecured,
  expectTracedFunction,
  importedFanOutTopic,
  logicalId,
  patternApp,
  permissions,
  ref,
} from './support.ts';

describe('TheSqsFlowStack', () => {
  const pattern = patternApp();
  const stack = pattern.sqs;
  const template = Template.fromStack(stack);

  it('has a queue with a 300 s visibility timeout that dead-letters after 3 receives', () => {
    expect(template.findResources('AWS::SQS::Queue')[logicalId(stack.queue)]).toMatchObject({
      Properties: {
        VisibilityTimeout: 300,
        RedrivePolicy: { deadLetterTargetArn: arnOf(stack.deadLetterQueue), maxReceiveCount: 3 },
      },
    });
  });

  it('runs the publisher on every fan-out message, allowed to send to the queue', () => {
    expectTracedFunction(template, stack.publisher, {
      handler: 'sqs-publish',
      environment: { QUEUE_URL: ref(stack.queue) },
      handlerPermissions: permissions([
        ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        arnOf(stack.queue),
      ]),
      subscribedTo: importedFanOutTopic(pattern),
    });
  });

  it('feeds the consumer through an event source mapping that reports partial batch failures', () => {
    expectTracedFunction(template, stack.consumer, {
      handler: 'sqs-subscribe',
      environment: {},
      handlerPermissions: permissions([
        [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        arnOf(stack.queue),
      ]),
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(stack.queue),
      FunctionName: ref(stack.consumer.function),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('only subscribes the publisher to the fan-out topic', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { 'Fn::ImportValue': Match.stringLikeRegexp('^TheXrayTracerStack:') },
    });
  });

  it('groups the traces whose message annotation is a greeting', () => {
    expectGroup(template, 'xray-tracer-sqs', {
      'Fn::Sub': [SQS_FAILURES_FILTER, { PublisherName: ref(stack.publisher.function), ConsumerName: ref(stack.consumer.function) }],
    });
  });

  it('encrypts all its queues and enforces TLS on them', () => {
    // The work queue, its dead-letter queue and the publisher's dead-letter queue.
    template.resourceCountIs('AWS::SQS::Queue', 3);
    expectQueuesSecured(template);
  });
});
