import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { SpanKind } from '@opentelemetry/api';
import { otelTracingFromEnvironment } from './otel/otel-tracing.ts';
import type { OtelTracing } from './otel/otel-tracing.ts';
import { traceAwsClient } from './otel/aws-client.ts';
import { traceFetch } from './otel/fetch.ts';

/** How the handlers are traced: `xray` (Powertools Tracer, the X-Ray SDK) or `opentelemetry`. */
export type Instrumentation = 'xray' | 'opentelemetry';

/** The variable the stacks set to choose the instrumentation. */
export const INSTRUMENTATION_VARIABLE = 'XRAY_TRACER_INSTRUMENTATION';

/** The instrumentation the environment asks for; anything but `opentelemetry` is refused by name. */
export function instrumentationFromEnvironment(): Instrumentation {
  const value = process.env[INSTRUMENTATION_VARIABLE];
  if (value === undefined || value === '' || value === 'xray') return 'xray';
  if (value === 'opentelemetry') return 'opentelemetry';
  throw new Error(`${INSTRUMENTATION_VARIABLE} must be "xray" or "opentelemetry", got "${value}"`);
}

/** The Powertools trio every handler reports through. */
export interface Observability {
  readonly tracer: Tracer;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Set when the handlers are traced with OpenTelemetry; the Tracer then records nothing. */
  readonly otel?: OtelTracing;
}

/**
 * Builds the Tracer, Logger and Metrics from the Powertools environment (POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL, ...). The X-Ray SDK reads its own settings
 * (_X_AMZN_TRACE_ID, AWS_XRAY_DAEMON_ADDRESS) when first loaded, so call this after the environment is final.
 */
export function createObservability(defaultServiceName: string, options: { otel?: OtelTracing } = {}): Observability {
  // Powertools lets an explicit serviceName win over the environment; keep the environment in charge.
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME || defaultServiceName;
  const otel = options.otel ?? (instrumentationFromEnvironment() === 'opentelemetry' ? otelTracingFromEnvironment(serviceName) : undefined);
  return {
    // With OpenTelemetry the X-Ray SDK stays off: the spans are the only trace data the function sends.
    tracer: new Tracer({ serviceName, ...(otel !== undefined && { enabled: false }) }),
    ...(otel !== undefined && { otel }),
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
  const { tracer, logger, metrics, otel } = observability;
  return middy<TEvent, TResult>()
    .use(otel !== undefined ? flushSpans(otel) : captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(async (event: TEvent, context: Context) => {
      if (otel === undefined) {
        logger.debug('event received', { event });
        return work(event, context);
      }
      return inHandlerSpan(otel, () => {
        logger.debug('event received', { event });
        return work(event, context);
      });
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

/** AWS SDK clients record their calls with the handler's instrumentation. */
export function traceClient<T extends Parameters<Tracer['captureAWSv3Client']>[0]>(observability: Observability, client: T): T {
  const { otel } = observability;
  if (otel === undefined) return observability.tracer.captureAWSv3Client(client);
  return traceAwsClient(otel, client as unknown as Parameters<typeof traceAwsClient>[1], process.env.AWS_REGION ?? 'us-east-1') as unknown as T;
}

/** fetch as the instrumentation records it: the Tracer listens to undici by itself; OpenTelemetry wraps the call. */
export function tracedFetch(observability: Observability, fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return observability.otel === undefined ? fetch : traceFetch(observability.otel, fetch);
}

let coldStart = true;

/**
 * The OpenTelemetry counterpart of captureLambdaHandler's subsegment: an internal span
 * `## <_HANDLER>` under the function segment Lambda made (so a subsegment, as the Tracer's is),
 * with the same `ColdStart` and `Service` annotations and the error recorded.
 */
function inHandlerSpan<T>(otel: OtelTracing, work: () => Promise<T>): Promise<T> {
  const isColdStart = coldStart;
  coldStart = false;
  const name = `## ${process.env._HANDLER ?? 'handler'}`;
  return otel.inSpan(name, { kind: SpanKind.INTERNAL, parent: otel.invocationContext() }, (_span, recorder) => {
    recorder.addAnnotation('ColdStart', isColdStart);
    recorder.addAnnotation('Service', otel.serviceName);
    return work();
  });
}

/** Sends the invocation's spans once the handler span has ended, failed invocations included. */
function flushSpans(otel: OtelTracing): middy.MiddlewareObj {
  const flush = (): Promise<void> =>
    otel.flush().catch((error: unknown) => console.error('could not export the spans:', error));
  return { after: flush, onError: flush };
}
