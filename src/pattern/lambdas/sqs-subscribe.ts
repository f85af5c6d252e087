import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createObservability, instrumentHandler } from './shared/observability.ts';
import type { LambdaHandler, Observability } from './shared/observability.ts';
import { inSubsegment } from './shared/subsegment.ts';

export interface SqsSubscribeDependencies {
  readonly observability: Observability;
}

const GREETING = /^hello from (\/\S*)$/;

/** The request path inside a `hello from <path>` message; anything else is not ours to handle. */
export function pathOfMessage(record: SQSRecord): string {
  const path = GREETING.exec(record.body)?.[1];
  if (path === undefined) {
    throw new Error(
      `SQS message ${record.messageId} is not "hello from <path>": ${JSON.stringify(record.body.slice(0, 80))}`,
    );
  }
  return path;
}

/**
 * Consumes a batch from the queue's event source mapping. Records are handled one after the other
 * (each in its own subsegment made current, which concurrent handling would trample), and the ones
 * that fail are reported in `batchItemFailures` so that only they come back.
 * The producer's trace reaches this function through the platform (AWSTraceHeader); nothing here re-parents it.
 */
export function createSqsSubscribeHandler(deps: SqsSubscribeDependencies): LambdaHandler<SQSEvent, SQSBatchResponse> {
  const { observability } = deps;
  const { logger, metrics } = observability;
  const handleRecord = (record: SQSRecord): Promise<string> =>
    inSubsegment(observability, 'Logging SQS Message', (subsegment) => {
      subsegment.addMetadata('message', record.body);
      const path = pathOfMessage(record);
      logger.info('message received', { messageId: record.messageId, path });
      return path;
    });
  return instrumentHandler<SQSEvent, SQSBatchResponse>(observability, async (event, context) => {
    // A processor keeps per-batch state, so each invocation gets its own.
    const processor = new BatchProcessor(EventType.SQS);
    try {
      const response = await processPartialResponse(event, handleRecord, processor, {
        context,
        processInParallel: false,
      });
      const failed = response.batchItemFailures.length;
      metrics.addMetric('messagesProcessed', MetricUnit.Count, event.Records.length - failed);
      metrics.addMetric('messagesFailed', MetricUnit.Count, failed);
      return response;
    } catch (error) {
      // Every record failed (or the event is not an SQS batch): the whole batch comes back.
      metrics.addMetric('messagesFailed', MetricUnit.Count, processor.errors.length);
      throw error;
    } finally {
      for (const error of processor.errors) logger.warn('message failed', { error });
    }
  });
}

export const defaultDependencies: SqsSubscribeDependencies = {
  observability: createObservability('xray-tracer-sqs-subscribe'),
};

export const handler = createSqsSubscribeHandler(defaultDependencies);
