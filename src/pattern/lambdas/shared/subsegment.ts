import xray from 'aws-xray-sdk-core';
import type { Observability } from './observability.ts';
import type { TraceRecorder } from './otel/otel-tracing.ts';

/**
 * Runs `work` inside a new subsegment named `name` (with OpenTelemetry, a span of that name), made
 * current while it runs so that AWS SDK and HTTP calls nest under it. It is always closed; an error
 * is recorded on it before being rethrown. `work` records annotations and metadata the same way in
 * both instrumentations.
 */
export async function inSubsegment<T>(
  observability: Observability,
  name: string,
  work: (subsegment: TraceRecorder) => Promise<T> | T,
): Promise<T> {
  if (observability.otel !== undefined) return observability.otel.inSpan(name, {}, (_span, recorder) => work(recorder));
  const { tracer } = observability;
  const parent = tracer.getSegment();
  // Without a trace context (outside Lambda) the work still runs against a detached subsegment
  // that is never sent.
  const subsegment = parent ? parent.addNewSubsegment(name) : new xray.Subsegment(name);
  if (parent) tracer.setSegment(subsegment);
  try {
    return await work(subsegment);
  } catch (error) {
    subsegment.addError(error instanceof Error ? error : new Error(String(error)));
    throw error;
  } finally {
    subsegment.close();
    if (parent) tracer.setSegment(parent);
  }
}
