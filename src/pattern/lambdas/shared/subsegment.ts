import type { Tracer } from '@aws-lambda-powertools/tracer';
import xray from 'aws-xray-sdk-core';
import type { Subsegment } from 'aws-xray-sdk-core';

/**
 * Runs `work` inside a new subsegment named `name`, made the current segment while it runs so that
 * AWS SDK and HTTP calls nest under it. The subsegment is always closed; an error is recorded on it
 * before being rethrown.
 */
export async function inSubsegment<T>(
  tracer: Tracer,
  name: string,
  work: (subsegment: Subsegment) => Promise<T> | T,
): Promise<T> {
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
