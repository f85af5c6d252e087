// Lambda's handling of asynchronous (Event) invocations: the event is queued and answered 202 at
// once; a failed run is retried (MaximumRetryAttempts, 2 by default) after a wait, then the event goes
// to the function's on-failure destination and/or dead-letter queue, in the record shapes Lambda uses.
import type { QueueService } from '../core/types.ts';
import type { IdGenerator, Clock } from '../tracing/ids.ts';
import type { LambdaFunctionConfig } from './functions.ts';
import type { Logger } from '../core/runtime.ts';
import { sleepMs } from '../core/runtime.ts';
import { PoolStoppedError, ThrottledError } from './pool.ts';
import type { RuntimeError } from './protocol.ts';
import { serviceSegment } from './segments.ts';
import type { FunctionIdentity } from './segments.ts';
import type { AsyncJournal } from './async-journal.ts';
import type { AttemptResult, TraceDecision } from './attempt.ts';
import type { RoleCredential } from '../iam/credentials.ts';
import { destinationKind } from './destinations.ts';
import type { DestinationSender } from './destinations.ts';

export interface AcceptedEvent {
  readonly payload: unknown;
  readonly trace: TraceDecision;
  readonly serviceSegmentId: string;
  readonly requestId: string;
  /** Epoch milliseconds. */
  readonly acceptedAt: number;
  /** A published version asked for by its number or an alias; absent for $LATEST. */
  readonly executedVersion?: string;
}

export interface AsyncInvocationsOptions {
  readonly runAttempt: (fn: LambdaFunctionConfig, payload: unknown, trace: TraceDecision, serviceSegmentId: string, requestId: string, executedVersion: string) => Promise<AttemptResult>;
  readonly identity: (fn: LambdaFunctionConfig) => FunctionIdentity;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sendSegment: (document: Record<string, unknown>) => void;
  readonly queueService: QueueService | undefined;
  readonly retryDelaysMs: readonly number[];
  /** Keeps accepted events across restarts, if set. */
  readonly journal?: AsyncJournal;
  /**
   * Delivers destinations and dead-letter messages through the services' APIs with the function's
   * role (`credentials`). Without it only SQS targets are reached, through `queueService`.
   */
  readonly destinations?: { readonly sender: DestinationSender; readonly credentials: (fn: LambdaFunctionConfig) => RoleCredential };
}

/** One hand-off of an event: a destination's record or a dead-letter message. */
interface HandOff {
  readonly arn: string;
  readonly body: string;
  readonly attributes?: Record<string, string>;
  readonly detailType?: string;
  readonly label: 'on-success destination' | 'on-failure destination' | 'dead-letter queue';
}

type Condition = 'RetriesExhausted' | 'EventAgeExceeded';

/** The body Lambda sends to an on-success destination: the same record, with the function's response. */
export function onSuccessRecord(fn: LambdaFunctionConfig, event: AcceptedEvent, invokeCount: number, response: unknown, timestamp: number): Record<string, unknown> {
  const version = event.executedVersion ?? '$LATEST';
  return {
    version: '1.0',
    timestamp: new Date(timestamp).toISOString(),
    requestContext: { requestId: event.requestId, functionArn: `${fn.arn}:${version}`, condition: 'Success', approximateInvokeCount: invokeCount },
    requestPayload: event.payload,
    responseContext: { statusCode: 200, executedVersion: version },
    responsePayload: response ?? null,
  };
}

/** The body Lambda sends to an on-failure destination. */
export function onFailureRecord(fn: LambdaFunctionConfig, event: AcceptedEvent, condition: Condition, invokeCount: number, error: RuntimeError | undefined, timestamp: number): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: new Date(timestamp).toISOString(),
    requestContext: { requestId: event.requestId, functionArn: `${fn.arn}:${event.executedVersion ?? '$LATEST'}`, condition, approximateInvokeCount: invokeCount },
    requestPayload: event.payload,
    responseContext: { statusCode: 200, executedVersion: event.executedVersion ?? '$LATEST', ...(error ? { functionError: 'Unhandled' } : {}) },
    responsePayload: error ? { errorType: error.errorType, errorMessage: error.errorMessage, trace: error.trace } : null,
  };
}

export class AsyncInvocations {
  private readonly running = new Set<Promise<void>>();
  /** Fired by halt: ends the waits between retries. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: AsyncInvocationsOptions) {}

  /** Takes an event to run; `journaled` when it is already in the journal (replayed after a restart). */
  accept(fn: LambdaFunctionConfig, event: AcceptedEvent, journaled = false): void {
    if (!journaled) this.options.journal?.accepted({ functionName: fn.name, ...event });
    const run = this.process(fn, event).then((ended) => {
      // An event cut short by a stop stays in the journal, to run again on the next start.
      if (ended) this.options.journal?.finished(event.requestId);
    }).catch((error: unknown) => {
      this.options.logger.error(`asynchronous invocation ${event.requestId} of ${fn.name} failed in the Lambda service: ${(error as Error).message}`);
    });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Ends waits between retries; events not done are reported and dropped, never sent to a DLQ. */
  halt(): void {
    this.stopping.abort();
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Runs the event to its end: true once it succeeded or its failure was handed on, false if a stop cut it short. */
  private async process(fn: LambdaFunctionConfig, event: AcceptedEvent): Promise<boolean> {
    const { clock, ids } = this.options;
    const maxAttempts = 1 + Math.max(0, Math.min(2, fn.maximumRetryAttempts));
    const attempts: Array<{ id: string; start: number; end: number; failed: boolean }> = [];
    let lastError: RuntimeError | undefined;
    let condition: Condition | undefined;
    let succeeded = false;
    let response: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      if (this.stopped) break;
      if (clock() - event.acceptedAt > fn.maximumEventAgeSeconds * 1000) {
        condition = 'EventAgeExceeded';
        break;
      }
      const start = clock();
      let result: AttemptResult | undefined;
      try {
        result = await this.options.runAttempt(fn, event.payload, event.trace, event.serviceSegmentId, event.requestId, event.executedVersion ?? '$LATEST');
      } catch (error) {
        if (error instanceof PoolStoppedError) break;
        if (!(error instanceof ThrottledError)) throw error;
        lastError = { errorType: 'TooManyRequestsException', errorMessage: error.message, trace: [] };
      }
      attempts.push({ id: ids.segmentId(), start: result?.times.start ?? start, end: result?.times.end ?? clock(), failed: result?.failed ?? true });
      if (result && !result.failed) {
        succeeded = true;
        response = result.result.payload;
        break;
      }
      lastError = result?.error ?? lastError;
      condition = 'RetriesExhausted';
      if (attempt < maxAttempts) {
        const delay = this.options.retryDelaysMs[attempt - 1] ?? this.options.retryDelaysMs.at(-1) ?? 0;
        await sleepMs(delay, this.stopping.signal);
      }
    }

    if (event.trace.sampled && attempts.length > 0) {
      const first = attempts[0] as { start: number };
      this.options.sendSegment(serviceSegment(this.options.identity(fn), {
        id: event.serviceSegmentId,
        traceId: event.trace.root,
        parentId: event.trace.parent,
        requestId: event.requestId,
        status: 202,
        times: { start: event.acceptedAt, end: attempts.at(-1)?.end ?? clock() },
        dwell: { id: ids.segmentId(), start: event.acceptedAt, end: first.start },
        attempts,
      }));
    }
    if (succeeded) {
      await this.deliverSuccess(fn, event, attempts.length, response);
      return true;
    }
    if (this.stopped) {
      this.options.logger.warn(`asynchronous invocation ${event.requestId} of ${fn.name} interrupted after ${attempts.length} attempt(s): the Lambda service stopped` +
        (this.options.journal ? '; it runs again on the next start' : ''));
      return false;
    }
    await this.deliverFailure(fn, event, condition ?? 'RetriesExhausted', attempts.length, lastError);
    return true;
  }

  private describe(fn: LambdaFunctionConfig, event: AcceptedEvent, outcome: string, invokeCount: number): string {
    return `asynchronous invocation ${event.requestId} of ${fn.name} (${outcome}, ${invokeCount} attempt(s))`;
  }

  private async deliverSuccess(fn: LambdaFunctionConfig, event: AcceptedEvent, invokeCount: number, response: unknown): Promise<void> {
    if (fn.onSuccessDestination === undefined) return;
    const what = this.describe(fn, event, 'Success', invokeCount);
    await this.handOn(fn, event, what, {
      arn: fn.onSuccessDestination,
      body: JSON.stringify(onSuccessRecord(fn, event, invokeCount, response, this.options.clock())),
      detailType: 'Lambda Function Invocation Result - Success',
      label: 'on-success destination',
    });
  }

  private async deliverFailure(fn: LambdaFunctionConfig, event: AcceptedEvent, condition: Condition, invokeCount: number, error: RuntimeError | undefined): Promise<void> {
    const what = this.describe(fn, event, condition, invokeCount);
    const targets: HandOff[] = [];
    if (fn.onFailureDestination !== undefined) {
      targets.push({
        arn: fn.onFailureDestination,
        body: JSON.stringify(onFailureRecord(fn, event, condition, invokeCount, error, this.options.clock())),
        detailType: 'Lambda Function Invocation Result - Failure',
        label: 'on-failure destination',
      });
    }
    if (fn.deadLetterTargetArn !== undefined) {
      // A dead-letter queue gets the event itself, the failure in message attributes.
      targets.push({
        arn: fn.deadLetterTargetArn,
        body: JSON.stringify(event.payload),
        attributes: { RequestID: event.requestId, ErrorCode: '200', ErrorMessage: (error?.errorMessage ?? condition).slice(0, 1024) },
        label: 'dead-letter queue',
      });
    }
    if (targets.length === 0) {
      this.options.logger.warn(`${what} failed and was discarded: the function has no dead-letter queue or on-failure destination`);
      return;
    }
    for (const target of targets) await this.handOn(fn, event, `${what} failed`, target);
  }

  /** Sends one hand-off, logging where it went or why it did not. */
  private async handOn(fn: LambdaFunctionConfig, event: AcceptedEvent, what: string, target: HandOff): Promise<void> {
    const { logger, queueService, destinations } = this.options;
    const trace = { root: event.trace.root, parent: event.serviceSegmentId, sampled: event.trace.sampled };
    const kind = destinationKind(target.arn);
    const allowed = target.label === 'dead-letter queue' ? kind === 'sqs' || kind === 'sns' : kind !== undefined;
    if (!allowed) {
      logger.warn(`${what}: ${target.label} ${target.arn} is not ${target.label === 'dead-letter queue' ? 'an SQS queue or SNS topic' : 'an SQS queue, SNS topic, Lambda function or EventBridge event bus'}; nothing was sent`);
      return;
    }
    try {
      if (destinations) {
        const answer = await destinations.sender.deliver(destinations.credentials(fn), {
          arn: target.arn,
          body: target.body,
          functionArn: `${fn.arn}:${event.executedVersion ?? '$LATEST'}`,
          trace,
          ...(target.attributes ? { attributes: target.attributes } : {}),
          ...(target.detailType ? { detailType: target.detailType } : {}),
        });
        logger.warn(`${what}; sent to the ${target.label} ${target.arn} as ${answer}`);
        return;
      }
      if (kind !== 'sqs' || !queueService) {
        logger.warn(`${what}: the ${target.label} ${target.arn} is not reachable here (no destination sender, and it is not an SQS queue with a queue service); nothing was sent`);
        return;
      }
      const { messageId } = await queueService.sendMessage(target.arn, target.body, { ...(target.attributes ? { attributes: target.attributes } : {}), trace });
      logger.warn(`${what}; sent to the ${target.label} ${target.arn} as message ${messageId}`);
    } catch (sendError) {
      const failure = sendError as Error;
      logger.error(`${what}, and sending it to the ${target.label} ${target.arn} failed too: ${failure.name}: ${failure.message}`);
    }
  }
}
