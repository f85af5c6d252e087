import { Template } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { SNS_FAILURES_FILTER } from '../../../src/pattern/infra/pattern-groups.ts';
import {
  expectGroup,
  expectQueuesSecured,
  expectTracedFunction,
  importedFanOutTopic,
  patternApp,
  permissions,
  ref,
} from './support.ts';

describe('TheSnsFlowStack', () => {
  const pattern = patternApp();
  const stack = pattern.sns;
  const template = Template.fromStack(stack);

  it('has a second, actively traced topic', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { TracingConfig: 'Active' });
  });

  it('runs the publisher on every fan-out message, allowed only to publish to the second topic', () => {
    expectTracedFunction(template, stack.publisher, {
      handler: 'sns-publish',
      environment: { TOPIC_ARN: ref(stack.topic) },
      handlerPermissions: permissions([['sns:Publish'], ref(stack.topic)]),
      subscribedTo: importedFanOutTopic(pattern),
    });
  });

  it('runs the subscriber on every message of the second topic, with no AWS permission of its own', () => {
    expectTracedFunction(template, stack.subscriber, {
      handler: 'sns-subscribe',
      environment: {},
      handlerPermissions: [],
      subscribedTo: ref(stack.topic),
    });
  });

  it('groups the traces by the message_content annotation', () => {
    expectGroup(template, 'xray-tracer-sns', {
      'Fn::Sub': [SNS_FAILURES_FILTER, { PublisherName: ref(stack.publisher.function), SubscriberName: ref(stack.subscriber.function) }],
    });
  });

  it('encrypts its dead-letter queues and enforces TLS on them', () => {
    expectQueuesSecured(template);
    template.resourceCountIs('AWS::SQS::Queue', 2);
  });
});
