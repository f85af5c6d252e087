/**
 * When has a gateway request finished? From the Lambda service's own reports of finished runs
 * (`LambdaService.onInvocationDone`): a request is done when each of the pattern's six functions
 * has finished its first run for it. Five of them run on the request's trace; the SQS consumer runs
 * once a batch, on the first message's trace, so its runs are matched to requests through each
 * record's `AWSTraceHeader`. The consumer's finish counts minus the message's delay (DelaySeconds 1):
 * what the request would take if the queue did not hold the message back on purpose.
 */
import type { InvocationDone } from '../src/cloud/lambda/index.ts';

export interface RequestTimes {
  /** Epoch milliseconds (the Lambda service's clock) when the request was sent. */
  readonly sentAt: number;
  /** Milliseconds from sending to the gateway's answer. */
  readonly answeredAfter: number;
  /** Milliseconds from sending to each function's first run: its start and its finish (the consumer's minus the delay). */
  readonly startedAfter: ReadonlyMap<string, number>;
  readonly finishedAfter: ReadonlyMap<string, number>;
  /** Milliseconds from sending to the last of the six. */
  readonly doneAfter: number;
}

interface Pending {
  readonly sentAt: number;
  readonly answeredAfter: number;
  readonly resolve: (times: RequestTimes) => void;
}

const ROOT = /Root=([^;]+)/;

/** The trace ids an SQS event's records came from. */
function recordTraceIds(payload: unknown): string[] {
  const records = (payload as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return [];
  return records.flatMap((record: unknown) => {
    const header = (record as { attributes?: { AWSTraceHeader?: unknown } }).attributes?.AWSTraceHeader;
    const root = typeof header === 'string' ? ROOT.exec(header)?.[1] : undefined;
    return root === undefined ? [] : [root];
  });
}

export class RequestCompletion {
  /** Per trace: function name -> start and end of its first run (the consumer's already minus the delay). */
  private readonly finishes = new Map<string, Map<string, { start: number; end: number }>>();
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly functions: readonly string[],
    private readonly consumer: string,
    private readonly delayMillis: number,
  ) {}

  /** Feed every finished run here. */
  record(done: InvocationDone): void {
    if (done.functionName === this.consumer) {
      const times = { start: done.times.start - this.delayMillis, end: done.times.end - this.delayMillis };
      for (const traceId of recordTraceIds(done.payload)) this.finish(traceId, done.functionName, times);
    } else {
      this.finish(done.traceId, done.functionName, done.times);
    }
  }

  /** Resolves when the request on `traceId` is done (runs reported before this call count too). */
  expect(traceId: string, sentAt: number, answeredAt: number): Promise<RequestTimes> {
    return new Promise((resolve) => {
      this.pending.set(traceId, { sentAt, answeredAfter: answeredAt - sentAt, resolve });
      this.check(traceId);
    });
  }

  /** Stops waiting for a request (it timed out); its runs are forgotten. */
  abandon(traceId: string): void {
    this.pending.delete(traceId);
    this.finishes.delete(traceId);
  }

  private finish(traceId: string, functionName: string, at: { start: number; end: number }): void {
    let byFunction = this.finishes.get(traceId);
    if (!byFunction) this.finishes.set(traceId, (byFunction = new Map()));
    // Only the first run: later ones are the HTTP flow's retries of a failed event.
    if (!byFunction.has(functionName)) byFunction.set(functionName, at);
    this.check(traceId);
  }

  private check(traceId: string): void {
    const waiting = this.pending.get(traceId);
    const byFunction = this.finishes.get(traceId);
    if (!waiting || !byFunction || !this.functions.every((name) => byFunction.has(name))) return;
    this.pending.delete(traceId);
    this.finishes.delete(traceId);
    const after = (pick: 'start' | 'end'): Map<string, number> => new Map([...byFunction].map(([name, at]) => [name, at[pick] - waiting.sentAt]));
    const finishedAfter = after('end');
    waiting.resolve({
      sentAt: waiting.sentAt,
      answeredAfter: waiting.answeredAfter,
      startedAfter: after('start'),
      finishedAfter,
      doneAfter: Math.max(...finishedAfter.values()),
    });
  }
}
