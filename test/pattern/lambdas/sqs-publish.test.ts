import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as ObservabilityModule from '../../../src/pattern/lambdas/shared/observability.ts';
import type * as SqsPublishModule from '../../../src/pattern/lambdas/sqs-publish.ts';
import { setEnv } from './support/env.ts';
import { lambdaContext, snsEvent } from './support/fixtures.ts';
import { captureStdout, metricValue } from './support/stdout.ts';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/xray-tracer-queue';
const sqs = new SQSClient({ region: 'us-east-1' });
const sqsMock = mockClient(sqs);
let restoreEnv: () => void;
let sqsPublish: typeof SqsPublishModule;
let handler: ReturnType<typeof SqsPublishModule.createSqsPublishHandler>;

beforeAll(async () => {
  restoreEnv = setEnv({ QUEUE_URL, POWERTOOLS_METRICS_NAMESPACE: 'XrayTracerTest', AWS_REGION: 'us-east-1' });
  sqsPublish = await import('../../../src/pattern/lambdas/sqs-publish.ts');
  const { createObservability }: typeof ObservabilityModule = await import(
    '../../../src/pattern/lambdas/shared/observability.ts'
  );
  const observability = createObservability('sqs-test');
  handler = sqsPublish.createSqsPublishHandler({ observability, sqs, queueUrl: QUEUE_URL });
});
afterAll(() => restoreEnv());
beforeEach(() => sqsMock.reset());

describe('sqs-publish handler', () => {
  it('sends "hello from <path>" with a one second delay, exactly once', async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: '0b7c1e0e-5a8e-4d2b-8f6a-2d5c9e3f1a7b' });
    const { outcome, lines } = await captureStdout(() => handler(snsEvent('/prod/foo'), lambdaContext()));

    expect(outcome).toEqual({ status: 'fulfilled', value: '0b7c1e0e-5a8e-4d2b-8f6a-2d5c9e3f1a7b' });
    expect(sqsMock.calls()).toHaveLength(1);
    expect(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody: 'hello from /prod/foo',
      DelaySeconds: 1,
    });
    expect(metricValue(lines, 'messagesSent')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
  });

  it('does not send when the SNS message is missing', async () => {
    const event = snsEvent('');
    const { outcome } = await captureStdout(() => handler(event, lambdaContext()));
    expect((outcome as PromiseRejectedResult).reason).toEqual(
      new Error('expected Records[0].Sns.Message to be a non-empty string'),
    );
    expect(sqsMock.calls()).toHaveLength(0);
  });

  it('fails the invocation, without a retry of its own, when SQS refuses', async () => {
    sqsMock.on(SendMessageCommand).rejects(new Error('The specified queue does not exist'));
    const { outcome, lines } = await captureStdout(() => handler(snsEvent('/prod/foo'), lambdaContext()));
    expect(String((outcome as PromiseRejectedResult).reason)).toContain('The specified queue does not exist');
    expect(sqsMock.calls()).toHaveLength(1);
    expect(metricValue(lines, 'sendFailures')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
  });

  it('exports a default handler built from QUEUE_URL', () => {
    expect(typeof sqsPublish.handler).toBe('function');
  });
});
