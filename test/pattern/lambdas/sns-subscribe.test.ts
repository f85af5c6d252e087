import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ObservabilityModule from '../../../src/pattern/lambdas/shared/observability.ts';
import type * as SnsSubscribeModule from '../../../src/pattern/lambdas/sns-subscribe.ts';
import { setEnv } from './support/env.ts';
import { lambdaContext, snsEvent } from './support/fixtures.ts';
import { captureStdout, metricValue } from './support/stdout.ts';

let restoreEnv: () => void;
let handler: ReturnType<typeof SnsSubscribeModule.createSnsSubscribeHandler>;

beforeAll(async () => {
  restoreEnv = setEnv({ POWERTOOLS_METRICS_NAMESPACE: 'XrayTracerTest' });
  const { createSnsSubscribeHandler }: typeof SnsSubscribeModule = await import(
    '../../../src/pattern/lambdas/sns-subscribe.ts'
  );
  const { createObservability }: typeof ObservabilityModule = await import(
    '../../../src/pattern/lambdas/shared/observability.ts'
  );
  handler = createSnsSubscribeHandler({ observability: createObservability('sns-subscribe-test') });
});
afterAll(() => restoreEnv());

describe('sns-subscribe handler', () => {
  it('takes in the message of the second topic', async () => {
    const { outcome, lines } = await captureStdout(() =>
      handler(snsEvent('Simulated Message', 'second-topic'), lambdaContext()),
    );
    expect(outcome).toEqual({ status: 'fulfilled', value: ['Simulated Message'] });
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'message received', content: 'Simulated Message' }),
    );
    expect(metricValue(lines, 'messagesReceived')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
  });

  it('rejects an event that carries no record', async () => {
    const { outcome } = await captureStdout(() => handler({ Records: [] }, lambdaContext()));
    expect((outcome as PromiseRejectedResult).reason).toEqual(
      new Error('expected an SNS event with at least one record in Records'),
    );
  });
});
