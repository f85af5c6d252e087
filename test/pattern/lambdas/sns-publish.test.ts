import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as ObservabilityModule from '../../../src/pattern/lambdas/shared/observability.ts';
import type * as SnsPublishModule from '../../../src/pattern/lambdas/sns-publish.ts';
import { setEnv } from './support/env.ts';
import { lambdaContext, snsEvent } from './support/fixtures.ts';
import { captureStdout, metricValue } from './support/stdout.ts';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:second-topic';
const sns = new SNSClient({ region: 'us-east-1' });
const snsMock = mockClient(sns);
let restoreEnv: () => void;
let snsPublish: typeof SnsPublishModule;
let handler: ReturnType<typeof SnsPublishModule.createSnsPublishHandler>;

beforeAll(async () => {
  restoreEnv = setEnv({ TOPIC_ARN, POWERTOOLS_METRICS_NAMESPACE: 'XrayTracerTest', AWS_REGION: 'us-east-1' });
  snsPublish = await import('../../../src/pattern/lambdas/sns-publish.ts');
  const { createObservability }: typeof ObservabilityModule = await import(
    '../../../src/pattern/lambdas/shared/observability.ts'
  );
  const observability = createObservability('sns-test');
  handler = snsPublish.createSnsPublishHandler({ observability, sns, topicArn: TOPIC_ARN });
});
afterAll(() => restoreEnv());
beforeEach(() => snsMock.reset());

describe('sns-publish handler', () => {
  it('publishes "Simulated Message" to the second topic once and returns the message id', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'f5e1a7c4-6d3b-4b8e-9a37-1c2d3e4f5a6b' });
    const { outcome, lines } = await captureStdout(() => handler(snsEvent('/prod/foo'), lambdaContext()));

    expect(outcome).toEqual({ status: 'fulfilled', value: 'f5e1a7c4-6d3b-4b8e-9a37-1c2d3e4f5a6b' });
    expect(snsMock.calls()).toHaveLength(1);
    expect(snsMock.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      TopicArn: TOPIC_ARN,
      Message: 'Simulated Message',
    });
    expect(metricValue(lines, 'messagesPublished')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
  });

  it('fails the invocation and counts the failure when SNS refuses', async () => {
    snsMock.on(PublishCommand).rejects(new Error('Topic does not exist'));
    const { outcome, lines } = await captureStdout(() => handler(snsEvent('/prod/foo'), lambdaContext()));
    expect(String((outcome as PromiseRejectedResult).reason)).toContain('Topic does not exist');
    expect(metricValue(lines, 'publishFailures')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
    expect(metricValue(lines, 'messagesPublished')).toBeUndefined();
  });

  it('exports a default handler built from TOPIC_ARN', () => {
    expect(typeof snsPublish.handler).toBe('function');
  });
});
