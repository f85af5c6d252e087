import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SendMessageCommandInput } from '@aws-sdk/client-sqs';
import type { SNSEvent } from 'aws-lambda';
import { requireEnv } from './shared/env.ts';
import { firstSnsMessage } from './shared/events.ts';
import { countOutcome, createObservability, instrumentHandler, traceClient } from './shared/observability.ts';
import type { LambdaHandler, Observability } from './shared/observability.ts';
import { inSubsegment } from './shared/subsegment.ts';

export interface SqsPublishDependencies {
  readonly observability: Observability;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
}

/** Sends `hello from <path>` to the queue, once; returns the SQS message id. */
export function createSqsPublishHandler(deps: SqsPublishDependencies): LambdaHandler<SNSEvent, string | undefined> {
  const { observability, sqs, queueUrl } = deps;
  const { logger, metrics } = observability;
  return instrumentHandler<SNSEvent, string | undefined>(observability, async (event) => {
    const path = firstSnsMessage(event);
    const body = `hello from ${path}`;
    const params: SendMessageCommandInput = { QueueUrl: queueUrl, MessageBody: body, DelaySeconds: 1 };
    const response = await countOutcome(metrics, { success: 'messagesSent', failure: 'sendFailures' }, () =>
      inSubsegment(observability, 'SQS Logic', async (subsegment) => {
        subsegment.addAnnotation('message', body);
        subsegment.addMetadata('params', params);
        // One send, awaited once: the message must not be queued twice.
        return sqs.send(new SendMessageCommand(params));
      }),
    );
    logger.info('message sent', { messageId: response.MessageId, path });
    return response.MessageId;
  });
}

const observability = createObservability('xray-tracer-sqs-publish');

/** What the deployed function runs with: settings from its environment, AWS clients traced. */
export const defaultDependencies: SqsPublishDependencies = {
  observability,
  sqs: traceClient(observability, new SQSClient({})),
  queueUrl: requireEnv('QUEUE_URL'),
};

export const handler = createSqsPublishHandler(defaultDependencies);
