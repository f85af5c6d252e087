import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import type { Context as OtelContext, Span, Tracer as OtelTracer } from '@opentelemetry/api';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { SignedOtlpExporter } from './signed-otlp-exporter.ts';

/** The span attribute listing which of the span's attributes X-Ray indexes as annotations. */
export const ANNOTATIONS_ATTRIBUTE = 'aws.xray.annotations';
/** X-Ray's translation parses this attribute (a JSON object) into the `default` metadata namespace. */
export const METADATA_ATTRIBUTE = 'aws.xray.metadata.default';

/** What the handlers record on a subsegment (an X-Ray Subsegment has these too). */
export interface TraceRecorder {
  addAnnotation(key: string, value: string | number | boolean): void;
  addMetadata(key: string, value: unknown): void;
}

/**
 * OpenTelemetry for the pattern's handlers, without the X-Ray SDK: spans get X-Ray trace ids
 * (AWSXRayIdGenerator), join the trace Lambda hands over in `_X_AMZN_TRACE_ID` (AWSXRayPropagator),
 * carry it on to SNS and SQS in `X-Amzn-Trace-Id`, and leave as OTLP at the end of each invocation.
 * The current span is kept in an AsyncLocalStorage of our own, so no global context manager is needed.
 */
export class OtelTracing {
  readonly propagator = new AWSXRayPropagator();
  private readonly current = new AsyncLocalStorage<OtelContext>();
  private readonly tracer: OtelTracer;

  constructor(
    private readonly provider: BasicTracerProvider,
    readonly serviceName: string,
  ) {
    this.tracer = provider.getTracer('xray-tracer-pattern');
  }

  /** The context of the running span, else the trace the invocation carries (or none). */
  context(): OtelContext {
    return this.current.getStore() ?? this.invocationContext();
  }

  /** The trace Lambda gives this invocation (`Root=…;Parent=<function segment>;Sampled=…`). */
  invocationContext(): OtelContext {
    const header = process.env._X_AMZN_TRACE_ID;
    if (header === undefined || header === '') return ROOT_CONTEXT;
    return this.propagator.extract(ROOT_CONTEXT, { 'x-amzn-trace-id': header }, defaultTextMapGetter);
  }

  /** Runs `work` in a new span made current; the span is always ended, an error recorded and rethrown. */
  async inSpan<T>(
    name: string,
    options: { kind?: SpanKind; attributes?: Record<string, string | number | boolean | string[]>; parent?: OtelContext },
    work: (span: Span, recorder: TraceRecorder) => Promise<T> | T,
  ): Promise<T> {
    const parent = options.parent ?? this.context();
    const span = this.tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes && { attributes: options.attributes }) }, parent);
    try {
      return await this.current.run(trace.setSpan(parent, span), () => work(span, spanRecorder(span)));
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** The X-Ray trace header for a downstream call made in `span`. */
  traceHeader(span: Span): string | undefined {
    const carrier: Record<string, string> = {};
    this.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
    return carrier['x-amzn-trace-id'];
  }

  /** Sends what the invocation recorded: Lambda may freeze the environment once the handler returns. */
  flush(): Promise<void> {
    return this.provider.forceFlush();
  }
}

export function recordError(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
}

/** Annotations as indexed attributes, metadata as one JSON object for the `default` namespace. */
function spanRecorder(span: Span): TraceRecorder {
  const annotations: string[] = [];
  const metadata: Record<string, unknown> = {};
  return {
    addAnnotation(key, value) {
      span.setAttribute(key, value);
      if (!annotations.includes(key)) annotations.push(key);
      span.setAttribute(ANNOTATIONS_ATTRIBUTE, [...annotations]);
    },
    addMetadata(key, value) {
      metadata[key] = value;
      span.setAttribute(METADATA_ATTRIBUTE, JSON.stringify(metadata));
    },
  };
}

/**
 * The provider a deployed function runs with: OTLP/HTTP protobuf, SigV4-signed, to
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the stack sets X-Ray's; the local cloud its own receiver).
 */
export function otelTracingFromEnvironment(serviceName: string, exporter?: SpanExporter): OtelTracing {
  const env = process.env;
  const region = env.AWS_REGION ?? 'us-east-1';
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || `https://xray.${region}.amazonaws.com/v1/traces`;
  const provider = new BasicTracerProvider({
    idGenerator: new AWSXRayIdGenerator(),
    resource: defaultResource().merge(
      resourceFromAttributes({
        'service.name': serviceName,
        'cloud.provider': 'aws',
        'cloud.platform': 'aws_lambda',
        'cloud.region': region,
        ...(env.AWS_LAMBDA_FUNCTION_NAME !== undefined && { 'faas.name': env.AWS_LAMBDA_FUNCTION_NAME }),
      }),
    ),
    spanProcessors: [
      new BatchSpanProcessor(
        exporter ??
          new SignedOtlpExporter({
            url,
            region,
            credentials: () => ({
              accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
              secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
              ...(env.AWS_SESSION_TOKEN !== undefined && { sessionToken: env.AWS_SESSION_TOKEN }),
            }),
          }),
      ),
    ],
  });
  return new OtelTracing(provider, serviceName);
}
