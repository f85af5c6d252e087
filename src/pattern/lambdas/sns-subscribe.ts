import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SNSEvent } from 'aws-lambda';
import { createObservability, instrumentHandler } from './shared/observability.ts';
import type { LambdaHandler, Observability } from './shared/observability.ts';
import { inSubsegment } from './shared/subsegment.ts';

export interface SnsSubscribeDependencies {
  readonly observability: Observability;
}

/** Records what arrived on the second topic; returns the messages it handled. */
export function createSnsSubscribeHandler(deps: SnsSubscribeDependencies): LambdaHandler<SNSEvent, string[]> {
  const { observability } = deps;
  const { logger, metrics } = observability;
  return instrumentHandler<SNSEvent, string[]>(observability, async (event) => {
    const records: unknown = (event as Partial<SNSEvent> | undefined)?.Records;
    if (!Array.isArray(records) || records.length === 0) {
      throw new Error('expected an SNS event with at least one record in Records');
    }
    const messages: string[] = [];
    // SNS delivers one record per invocation; a subsegment per record keeps each annotation its own.
    for (const [index, record] of (records as SNSEvent['Records']).entries()) {
      const message: unknown = record.Sns?.Message;
      if (typeof message !== 'string') {
        throw new Error(`expected Records[${index}].Sns.Message to be a string`);
      }
      await inSubsegment(observability, 'process_message', (subsegment) => {
        subsegment.addAnnotation('message_content', message);
      });
      // `message` is a reserved key of the Logger.
      logger.info('message received', { content: message, messageId: record.Sns.MessageId });
      messages.push(message);
    }
    metrics.addMetric('messagesReceived', MetricUnit.Count, messages.length);
    return messages;
  });
}

export const defaultDependencies: SnsSubscribeDependencies = {
  observability: createObservability('xray-tracer-sns-subscribe'),
};

export const handler = createSnsSubscribeHandler(defaultDependencies);
