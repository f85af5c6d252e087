import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { SNSEvent } from 'aws-lambda';
import { requireEnv } from './shared/env.ts';
import { countOutcome, createObservability, instrumentHandler, traceClient } from './shared/observability.ts';
import type { LambdaHandler, Observability } from './shared/observability.ts';
import { inSubsegment } from './shared/subsegment.ts';

export const SIMULATED_MESSAGE = 'Simulated Message';

export interface SnsPublishDependencies {
  readonly observability: Observability;
  readonly sns: SNSClient;
  /** The second topic, the one the subscriber function listens to. */
  readonly topicArn: string;
}

/** Publishes a fixed message to the second topic; returns the SNS message id. */
export function createSnsPublishHandler(deps: SnsPublishDependencies): LambdaHandler<SNSEvent, string | undefined> {
  const { observability, sns, topicArn } = deps;
  const { logger, metrics } = observability;
  return instrumentHandler<SNSEvent, string | undefined>(observability, async () => {
    const params: PublishCommandInput = { TopicArn: topicArn, Message: SIMULATED_MESSAGE };
    const response = await countOutcome(metrics, { success: 'messagesPublished', failure: 'publishFailures' }, () =>
      inSubsegment(observability, 'SNS Publish Logic', async (subsegment) => {
        subsegment.addAnnotation('message', SIMULATED_MESSAGE);
        subsegment.addMetadata('params', params);
        const output = await sns.send(new PublishCommand(params));
        subsegment.addMetadata('response', output);
        return output;
      }),
    );
    logger.info('message published', { messageId: response.MessageId, topicArn });
    return response.MessageId;
  });
}

const observability = createObservability('xray-tracer-sns-publish');

/** What the deployed function runs with: settings from its environment, AWS clients traced. */
export const defaultDependencies: SnsPublishDependencies = {
  observability,
  sns: traceClient(observability, new SNSClient({})),
  topicArn: requireEnv('TOPIC_ARN'),
};

export const handler = createSnsPublishHandler(defaultDependencies);
