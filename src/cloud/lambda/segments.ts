// The segments the Lambda service emits for a traced invocation (Lambda developer guide, "Visualize
// Lambda function invocations using AWS X-Ray"): an `AWS::Lambda` segment for the time the request
// spent in the service, and an `AWS::Lambda::Function` segment, its child, for the execution, with
// `Initialization` (cold start), `Invocation` and `Overhead` subsegments. The handler's X-Ray SDK
// parents its own subsegments to the function segment (the Parent of _X_AMZN_TRACE_ID).
import type { RuntimeError } from './protocol.ts';
import { parseStackLine } from './stack-frames.ts';

export interface FunctionIdentity {
  readonly name: string;
  readonly arn: string;
  readonly accountId: string;
  readonly codeDirectory: string;
}

export interface SpanTimes {
  /** Epoch milliseconds. */
  readonly start: number;
  readonly end: number;
}

/** One run of the handler in an environment, as the function segment records it. */
export interface AttemptRecord {
  readonly functionSegmentId: string;
  readonly ids: { readonly initialization: string; readonly invocation: string; readonly overhead: string; readonly exception: string };
  /** Present on a cold start. */
  readonly initialization?: SpanTimes;
  readonly invocation: SpanTimes;
  /** From the handler's answer until the environment is free again. */
  readonly overhead: SpanTimes;
  readonly error?: RuntimeError;
}

const seconds = (ms: number): number => ms / 1000;

function cause(error: RuntimeError, exceptionId: string, workingDirectory: string): Record<string, unknown> {
  return {
    working_directory: workingDirectory,
    exceptions: [{
      id: exceptionId,
      type: error.errorType,
      message: error.errorMessage,
      ...(error.trace.length > 1 ? { stack: error.trace.slice(1).map(parseStackLine) } : {}),
    }],
  };
}

/** The `AWS::Lambda::Function` segment of one attempt; its parent is the `AWS::Lambda` segment. */
export function functionSegment(fn: FunctionIdentity, traceId: string, parentId: string, attempt: AttemptRecord): Record<string, unknown> {
  const aws = { function_arn: fn.arn };
  const subsegments: Array<Record<string, unknown>> = [];
  if (attempt.initialization) {
    subsegments.push({ id: attempt.ids.initialization, name: 'Initialization', start_time: seconds(attempt.initialization.start), end_time: seconds(attempt.initialization.end), aws });
  }
  const failure = attempt.error ? { fault: true, cause: cause(attempt.error, attempt.ids.exception, fn.codeDirectory) } : {};
  subsegments.push({ id: attempt.ids.invocation, name: 'Invocation', start_time: seconds(attempt.invocation.start), end_time: seconds(attempt.invocation.end), aws, ...(attempt.error ? { fault: true, cause: attempt.ids.exception } : {}) });
  subsegments.push({ id: attempt.ids.overhead, name: 'Overhead', start_time: seconds(attempt.overhead.start), end_time: seconds(attempt.overhead.end), aws });
  const start = attempt.initialization?.start ?? attempt.invocation.start;
  return {
    name: fn.name,
    id: attempt.functionSegmentId,
    trace_id: traceId,
    parent_id: parentId,
    start_time: seconds(start),
    end_time: seconds(attempt.overhead.end),
    origin: 'AWS::Lambda::Function',
    resource_arn: fn.arn,
    aws: { account_id: fn.accountId, function_arn: fn.arn, resource_names: [fn.name] },
    ...failure,
    subsegments,
  };
}

export interface ServiceSegmentInput {
  readonly id: string;
  readonly traceId: string;
  /** The caller's segment or subsegment, from the incoming trace header. */
  readonly parentId: string | undefined;
  readonly requestId: string;
  readonly times: SpanTimes;
  /** 200 for a synchronous answer (function errors included), 202 for an accepted event, 429 throttled. */
  readonly status: number;
  /** Asynchronous invocations: time queued before the first attempt, and each attempt. */
  readonly dwell?: SpanTimes & { readonly id: string };
  readonly attempts?: ReadonlyArray<SpanTimes & { readonly id: string; readonly failed: boolean }>;
  /** The spans of other traces this invocation also serves (an SQS batch's other messages' senders). */
  readonly links?: ReadonlyArray<{ readonly traceId: string; readonly id: string }>;
}

/** X-Ray links a segment to at most 20 traces. */
const MAX_LINKS = 20;

/** The `AWS::Lambda` segment: the request's time in the Lambda service. */
export function serviceSegment(fn: FunctionIdentity, input: ServiceSegmentInput): Record<string, unknown> {
  const subsegments: Array<Record<string, unknown>> = [];
  if (input.dwell) subsegments.push({ id: input.dwell.id, name: 'Dwell Time', start_time: seconds(input.dwell.start), end_time: seconds(input.dwell.end) });
  input.attempts?.forEach((attempt, index) => {
    subsegments.push({
      id: attempt.id,
      name: `Attempt #${index + 1}`,
      start_time: seconds(attempt.start),
      end_time: seconds(attempt.end),
      ...(attempt.failed ? { fault: true } : {}),
    });
  });
  return {
    name: fn.name,
    id: input.id,
    trace_id: input.traceId,
    ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
    start_time: seconds(input.times.start),
    end_time: seconds(input.times.end),
    origin: 'AWS::Lambda',
    resource_arn: fn.arn,
    http: { response: { status: input.status } },
    aws: { account_id: fn.accountId, request_id: input.requestId },
    ...(input.status === 429 ? { error: true, throttle: true } : {}),
    ...(subsegments.length > 0 ? { subsegments } : {}),
    ...(input.links !== undefined && input.links.length > 0
      ? { links: input.links.slice(0, MAX_LINKS).map((link) => ({ trace_id: link.traceId, id: link.id })) }
      : {}),
  };
}
