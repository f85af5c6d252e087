import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ObservabilityModule from '../../../src/pattern/lambdas/shared/observability.ts';
import type * as SqsSubscribeModule from '../../../src/pattern/lambdas/sqs-subscribe.ts';
import { setEnv } from './support/env.ts';
import { lambdaContext, sqsEvent, sqsRecord } from './support/fixtures.ts';
import { captureStdout, metricValue } from './support/stdout.ts';

let restoreEnv: () => void;
let sqsSubscribe: typeof SqsSubscribeModule;
let handler: ReturnType<typeof SqsSubscribeModule.createSqsSubscribeHandler>;

beforeAll(async () => {
  restoreEnv = setEnv({ POWERTOOLS_METRICS_NAMESPACE: 'XrayTracerTest' });
  sqsSubscribe = await import('../../../src/pattern/lambdas/sqs-subscribe.ts');
  const { createObservability }: typeof ObservabilityModule = await import(
    '../../../src/pattern/lambdas/shared/observability.ts'
  );
  handler = sqsSubscribe.createSqsSubscribeHandler({ observability: createObservability('sqs-subscribe-test') });
});
afterAll(() => restoreEnv());

describe('sqs-subscribe handler', () => {
  it('reports exactly the failed record of a batch and handles the others', async () => {
    const event = sqsEvent([
      sqsRecord('msg-1', 'hello from /prod/foo'),
      sqsRecord('msg-2', 'not a greeting'),
      sqsRecord('msg-3', 'hello from /prod/bar/baz'),
    ]);
    const { outcome, lines } = await captureStdout(() => handler(event, lambdaContext()));

    expect(outcome).toEqual({ status: 'fulfilled', value: { batchItemFailures: [{ itemIdentifier: 'msg-2' }] } });
    const received = lines.filter((line) => line.message === 'message received');
    expect(received.map((line) => [line.messageId, line.path])).toEqual([
      ['msg-1', '/prod/foo'],
      ['msg-3', '/prod/bar/baz'],
    ]);
    expect(metricValue(lines, 'messagesProcessed')).toEqual({ value: 2, namespace: 'XrayTracerTest' });
    expect(metricValue(lines, 'messagesFailed')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
    const warning = lines.find((line) => line.message === 'message failed');
    expect(JSON.stringify(warning)).toContain('SQS message msg-2 is not \\"hello from <path>\\"');
  });

  it('reports no failure when the whole batch is handled', async () => {
    const event = sqsEvent([sqsRecord('msg-1', 'hello from /prod/foo'), sqsRecord('msg-2', 'hello from /prod/')]);
    const { outcome } = await captureStdout(() => handler(event, lambdaContext()));
    expect(outcome).toEqual({ status: 'fulfilled', value: { batchItemFailures: [] } });
  });

  it('fails the invocation when every record fails, so that the whole batch comes back', async () => {
    const event = sqsEvent([sqsRecord('msg-1', 'hello'), sqsRecord('msg-2', '')]);
    const { outcome, lines } = await captureStdout(() => handler(event, lambdaContext()));
    expect(outcome.status).toBe('rejected');
    expect((outcome as PromiseRejectedResult).reason).toMatchObject({ name: 'FullBatchFailureError' });
    expect(metricValue(lines, 'messagesFailed')).toEqual({ value: 2, namespace: 'XrayTracerTest' });
  });

  it('reads the path out of a greeting and names the message it cannot read', () => {
    expect(sqsSubscribe.pathOfMessage(sqsRecord('m', 'hello from /prod/foo'))).toBe('/prod/foo');
    expect(() => sqsSubscribe.pathOfMessage(sqsRecord('m-9', 'hello from prod'))).toThrow(
      'SQS message m-9 is not "hello from <path>": "hello from prod"',
    );
  });
});
