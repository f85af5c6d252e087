import { describe, expect, it } from 'vitest';
import { MetricStore } from '../../../src/cloud/metrics/metric-store.ts';
import { MetricsSink } from '../../../src/cloud/metrics/metrics-sink.ts';
import { startMinuteTicks } from '../../../src/cloud/metrics/minute-ticks.ts';
import type { TickTimer } from '../../../src/cloud/metrics/minute-ticks.ts';
import { ServiceMetrics } from '../../../src/cloud/metrics/service-metrics.ts';
import { aggregate } from '../../../src/cloud/metrics/statistics.ts';
import { SqliteMessageStore, SqsService } from '../../../src/cloud/sqs/index.ts';
import { countingIds, FakeClock } from '../endpoint/harness.ts';

const T0 = Date.UTC(2026, 0, 1);

function setup() {
  const store = new MetricStore(':memory:');
  const services = new ServiceMetrics(new MetricsSink(store, { warn: () => {} }));
  /** Per minute: [minute start, Maximum] of one metric. */
  const maxima = (namespace: string, metricName: string, dimensions: Record<string, string>): Array<[number, number]> =>
    aggregate(store.datapoints({ namespace, metricName, dimensions: Object.entries(dimensions).map(([name, value]) => ({ name, value })) }, 0, Infinity), 60_000)
      .map((p) => [p.timestampMs, p.maximum]);
  return { store, services, maxima };
}

describe('AWS/Lambda ConcurrentExecutions', () => {
  it('publishes each minute’s most invocations in flight, per function and account-wide, only for minutes with runs', () => {
    const { store, services, maxima } = setup();
    const gauge = services.concurrency;
    gauge.started('http');
    gauge.started('http');
    gauge.started('dynamo');
    gauge.finished('http');
    gauge.finished('http');
    gauge.started('http');
    services.tick(T0 + 60_000 + 5);
    // Still running through the second minute: it counts there too.
    gauge.finished('dynamo');
    services.tick(T0 + 120_000 + 5);
    gauge.finished('http');
    services.tick(T0 + 180_000 + 5);
    // Nothing ran in the third minute: no datapoint.
    services.tick(T0 + 240_000 + 5);
    expect(maxima('AWS/Lambda', 'ConcurrentExecutions', { FunctionName: 'http' })).toEqual([[T0, 2], [T0 + 60_000, 1], [T0 + 120_000, 1]]);
    expect(maxima('AWS/Lambda', 'ConcurrentExecutions', { FunctionName: 'dynamo' })).toEqual([[T0, 1], [T0 + 60_000, 1]]);
    expect(maxima('AWS/Lambda', 'ConcurrentExecutions', {})).toEqual([[T0, 3], [T0 + 60_000, 2], [T0 + 120_000, 1]]);
    store.close();
  });

  it('records IteratorAge in milliseconds per function', () => {
    const { store, services, maxima } = setup();
    services.iteratorAge('consumer', 1500, T0);
    services.iteratorAge('consumer', 700, T0 + 1);
    expect(maxima('AWS/Lambda', 'IteratorAge', { FunctionName: 'consumer' })).toEqual([[T0, 1500]]);
    store.close();
  });
});

describe('AWS/SQS once-a-minute gauges', () => {
  it('samples visible, not visible, delayed and the oldest message’s age per active queue', async () => {
    const { store, services, maxima } = setup();
    const clock = new FakeClock(T0);
    const sqs = new SqsService({ store: new SqliteMessageStore(':memory:'), clock, ids: countingIds() });
    sqs.createQueue('orders');
    sqs.createQueue('idle');
    sqs.send('orders', { body: 'first' });
    clock.advance(30);
    sqs.send('orders', { body: 'second' });
    sqs.send('orders', { body: 'later', delaySeconds: 600 });
    await sqs.receive('orders', { maxMessages: 1, visibilityTimeout: 120 });
    clock.advance(30);
    services.tick(clock.nowMs(), sqs);
    const q = { QueueName: 'orders' };
    expect(maxima('AWS/SQS', 'ApproximateNumberOfMessagesVisible', q)).toEqual([[T0 + 60_000, 1]]);
    expect(maxima('AWS/SQS', 'ApproximateNumberOfMessagesNotVisible', q)).toEqual([[T0 + 60_000, 1]]);
    expect(maxima('AWS/SQS', 'ApproximateNumberOfMessagesDelayed', q)).toEqual([[T0 + 60_000, 1]]);
    expect(maxima('AWS/SQS', 'ApproximateAgeOfOldestMessage', q)).toEqual([[T0 + 60_000, 60]]);
    // An empty queue nobody touched is not active: CloudWatch publishes nothing for it.
    expect(maxima('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'idle' })).toEqual([]);
    await sqs.stop();
    store.close();
  });

  it('keeps publishing zeros for an empty queue six hours after an action on it', async () => {
    const { store, services, maxima } = setup();
    const clock = new FakeClock(T0);
    const sqs = new SqsService({ store: new SqliteMessageStore(':memory:'), clock, ids: countingIds() });
    sqs.createQueue('orders');
    services.sqs('orders', 'NumberOfMessagesReceived', 0, T0);
    services.tick(T0 + 60_000, sqs);
    services.tick(T0 + 6 * 3600_000 + 60_000, sqs);
    expect(maxima('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'orders' })).toEqual([[T0 + 60_000, 0]]);
    await sqs.stop();
    store.close();
  });
});

describe('startMinuteTicks', () => {
  it('ticks just after each wall-clock minute ends, until stopped', () => {
    let nowMs = T0 + 15_000;
    const pending: Array<{ callback: () => void; delayMs: number }> = [];
    const timer: TickTimer = { setTimeout: (callback, delayMs) => pending.push({ callback, delayMs }), clearTimeout: () => pending.splice(0) };
    const ticks: number[] = [];
    const stop = startMinuteTicks((at) => ticks.push(at), { timer, nowMs: () => nowMs });
    const fire = (): void => {
      const next = pending.shift()!;
      nowMs += next.delayMs;
      next.callback();
    };
    expect(pending[0]?.delayMs).toBe(45_000);
    fire();
    fire();
    expect(ticks).toEqual([T0 + 60_000, T0 + 120_000]);
    stop();
    expect(pending).toEqual([]);
  });
});
