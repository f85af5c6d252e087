import type { InvokeResult } from '../core/types.ts';
import type { RuntimeError } from './protocol.ts';
import type { SpanTimes } from './segments.ts';

/** Lambda's sampling decision for an invocation, with the caller's context. */
export interface TraceDecision {
  readonly root: string;
  /** The caller's segment or subsegment id, the parent of the AWS::Lambda segment. */
  readonly parent: string | undefined;
  readonly sampled: boolean;
}

/** The outcome of one run of the handler. */
export interface AttemptResult {
  readonly result: InvokeResult;
  readonly failed: boolean;
  readonly error: RuntimeError | undefined;
  readonly times: SpanTimes;
}

/**
 * One finished run of a handler (an attempt of an event, or a synchronous invocation), reported as
 * Lambda's Telemetry API reports `platform.runtimeDone`: for observers such as benchmarks.
 */
export interface InvocationDone {
  readonly functionName: string;
  readonly requestId: string;
  /** The trace the run belongs to (Root of its trace header). */
  readonly traceId: string;
  /** The event the handler was given. */
  readonly payload: unknown;
  readonly failed: boolean;
  /** Epoch milliseconds on the service's clock: from the Init phase (cold) or the invocation's start to the end of its overhead. */
  readonly times: SpanTimes;
}
