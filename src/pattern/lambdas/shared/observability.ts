import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';

/** The Powertools trio every handler reports through. */
export interface Observability {
  readonly tracer: Tracer;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Builds the Tracer, Logger and Metrics from the Powertools environment (POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL, ...). The X-Ray SDK reads its own settings
 * (_X_AMZN_TRACE_ID, AWS_XRAY_DAEMON_ADDRESS) when first loaded, so call this after the environment is final.
 */
export function createObservability(defaultServiceName: string): Observability {
  // Powertools lets an explicit serviceName win over the environment; keep the environment in charge.
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME || defaultServiceName;
  return {
    tracer: new Tracer({ serviceName }),
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName }),
  };
}

export type LambdaHandler<TEvent, TResult> = MiddyfiedHandler<TEvent, TResult>;

/**
 * Wraps a handler so that it runs inside the Tracer's `## <handler>` subsegment (cold start and
 * service annotations, errors recorded), logs with the Lambda context and the X-Ray trace id, logs the
 * event at debug, and flushes the metrics after every invocation, failed ones included.
 */
export function instrumentHandler<TEvent, TResult>(
  observability: Observability,
  work: (event: TEvent, context: Context) => Promise<TResult>,
): LambdaHandler<TEvent, TResult> {
  const { tracer, logger, metrics } = observability;
  return middy<TEvent, TResult>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(async (event: TEvent, context: Context) => {
      logger.debug('event received', { event });
      return work(event, context);
    });
}

/** Counts the outcome of `work` as one `success` or one `failure` metric; a failure is rethrown. */
export async function countOutcome<T>(
  metrics: Metrics,
  names: { readonly success: string; readonly failure: string },
  work: () => Promise<T>,
): Promise<T> {
  try {
    const result = await work();
    metrics.addMetric(names.success, MetricUnit.Count, 1);
    return result;
  } catch (error) {
    metrics.addMetric(names.failure, MetricUnit.Count, 1);
    throw error;
  }
}
