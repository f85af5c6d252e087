import { existsSync } from 'node:fs';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { handlerEntry, TracedFunction, type HandlerName } from '../../../src/pattern/infra/traced-function.ts';
import { logicalId, testApp } from './support.ts';

const HANDLERS: HandlerName[] = ['dynamo', 'http', 'sns-publish', 'sns-subscribe', 'sqs-publish', 'sqs-subscribe'];

describe('TracedFunction', () => {
  it('bundles src/pattern/lambdas/<name>.ts for each of the six handlers', () => {
    for (const handler of HANDLERS) {
      expect(handlerEntry(handler)).toMatch(new RegExp(`/src/pattern/lambdas/${handler}\\.ts$`));
      expect(existsSync(handlerEntry(handler)), handler).toBe(true);
    }
  });

  it('applies overrides of memory, timeout, architecture, retention and log level', () => {
    const stack = new Stack(testApp(), 'Functions');
    const traced = new TracedFunction(stack, 'Fn', {
      handler: 'http',
      memorySize: 512,
      timeout: Duration.seconds(30),
      architecture: Architecture.X86_64,
      logRetention: RetentionDays.ONE_MONTH,
      logLevel: 'DEBUG',
      environment: { TARGET_URL: 'https://127.0.0.1:8443/' },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 30,
      Architectures: ['x86_64'],
      Environment: {
        Variables: Match.objectEquals({
          POWERTOOLS_SERVICE_NAME: 'xray-tracer-http',
          POWERTOOLS_METRICS_NAMESPACE: 'XRayTracer',
          LOG_LEVEL: 'DEBUG',
          TARGET_URL: 'https://127.0.0.1:8443/',
        }),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    // Not subscribed: invoked synchronously only, so no dead-letter queue and no subscription.
    expect(traced.deadLetterQueue).toBeUndefined();
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('gives a subscribed function one dead-letter queue for both failed invocations and undeliverable messages', () => {
    const stack = new Stack(testApp(), 'Functions');
    const topic = new Topic(stack, 'Topic');
    const traced = new TracedFunction(stack, 'Fn', { handler: 'sns-subscribe', subscribeTo: topic });
    const template = Template.fromStack(stack);
    const queue = { 'Fn::GetAtt': [logicalId(traced.deadLetterQueue!), 'Arn'] };
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 24 * 3600, SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: queue } });
    template.hasResourceProperties('AWS::SNS::Subscription', { RedrivePolicy: { deadLetterTargetArn: queue } });
  });
});
