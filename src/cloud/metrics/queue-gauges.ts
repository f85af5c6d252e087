/**
 * AWS/SQS's once-a-minute gauges per QueueName: ApproximateNumberOfMessagesVisible,
 * ApproximateNumberOfMessagesNotVisible, ApproximateNumberOfMessagesDelayed and
 * ApproximateAgeOfOldestMessage (seconds). As on AWS, only active queues are published: those
 * holding messages, or touched by an API action in the last six hours.
 */
import type { MetricsSink } from './metrics-sink.ts';

/** What the sampler reads of SQS (the SqsService fits it). */
export interface QueueCounter {
  listQueues(): ReadonlyArray<{ readonly name: string }>;
  counts(queueName: string): { readonly visible: number; readonly inFlight: number; readonly delayed: number };
  /** When the queue's oldest message was sent, if it holds any. */
  oldestSentMs(queueName: string): number | undefined;
}

const ACTIVE_AFTER_ACTION_MS = 6 * 3600_000;

export class QueueGauges {
  private readonly lastActionMs = new Map<string, number>();

  constructor(private readonly sink: MetricsSink) {}

  /** An API action on the queue (send, receive, delete): it stays active six hours. */
  touched(queueName: string, nowMs: number): void {
    this.lastActionMs.set(queueName, nowMs);
  }

  sample(queues: QueueCounter, nowMs: number): void {
    for (const { name } of queues.listQueues()) {
      const counts = queues.counts(name);
      const oldestSentMs = queues.oldestSentMs(name);
      const held = counts.visible + counts.inFlight + counts.delayed;
      const lastActionMs = this.lastActionMs.get(name);
      if (held === 0 && (lastActionMs === undefined || nowMs - lastActionMs > ACTIVE_AFTER_ACTION_MS)) continue;
      const sets = [[{ name: 'QueueName', value: name }]];
      this.sink.record('AWS/SQS', 'ApproximateNumberOfMessagesVisible', sets, counts.visible, 'Count', nowMs);
      this.sink.record('AWS/SQS', 'ApproximateNumberOfMessagesNotVisible', sets, counts.inFlight, 'Count', nowMs);
      this.sink.record('AWS/SQS', 'ApproximateNumberOfMessagesDelayed', sets, counts.delayed, 'Count', nowMs);
      const ageSeconds = oldestSentMs === undefined ? 0 : Math.max(0, Math.floor((nowMs - oldestSentMs) / 1000));
      this.sink.record('AWS/SQS', 'ApproximateAgeOfOldestMessage', sets, ageSeconds, 'Seconds', nowMs);
    }
  }
}
