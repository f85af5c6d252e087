import type { InvokeResult } from '../types.ts';
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
