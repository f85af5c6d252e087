/**
 * The services' own metrics, as AWS publishes them, each recorded when the local service observes
 * the event: AWS/Lambda per function and account-wide, AWS/ApiGateway per API and stage (and per
 * method and resource when the stage's detailed metrics are on), AWS/SNS per topic, AWS/SQS per queue.
 */
import type { MetricsSink } from './metrics-sink.ts';
import type { Dimension } from './model.ts';
import { ConcurrencyGauge } from './concurrency-gauge.ts';
import { QueueGauges } from './queue-gauges.ts';
import type { QueueCounter } from './queue-gauges.ts';

const dim = (name: string, value: string): Dimension => ({ name, value });

export interface LambdaInvocationDone {
  readonly functionName: string;
  readonly failed: boolean;
  readonly durationMs: number;
  readonly endMs: number;
}

export interface ApiRequestDone {
  readonly apiName: string;
  readonly stage: string;
  readonly method: string;
  readonly resourcePath: string;
  readonly status: number;
  readonly latencyMs: number;
  /** Undefined when no integration ran (throttled, refused before it). */
  readonly integrationLatencyMs: number | undefined;
  /** MethodSettings MetricsEnabled for the method: CloudWatch then also has the per-method metrics. */
  readonly detailedMetrics: boolean;
  readonly endMs: number;
}

export class ServiceMetrics {
  /** AWS/Lambda ConcurrentExecutions: told of each invocation's start and end, published by `tick`. */
  readonly concurrency: ConcurrencyGauge;
  private readonly queueGauges: QueueGauges;

  constructor(private readonly sink: MetricsSink) {
    this.concurrency = new ConcurrencyGauge((functionName, maximum, timestampMs) => this.sink.record('AWS/Lambda', 'ConcurrentExecutions',
      [functionName === undefined ? [] : [dim('FunctionName', functionName)]], maximum, 'Count', timestampMs));
    this.queueGauges = new QueueGauges(sink);
  }

  /** Once a minute: the minute's ConcurrentExecutions and, if `queues` is given, SQS's gauges. */
  tick(nowMs: number, queues?: QueueCounter): void {
    this.concurrency.flush(nowMs);
    if (queues !== undefined) this.queueGauges.sample(queues, nowMs);
  }

  /** A stream event source mapping's batch invoked: the age of its last record, in milliseconds. */
  iteratorAge(functionName: string, ageMs: number, nowMs: number): void {
    this.sink.record('AWS/Lambda', 'IteratorAge', [[dim('FunctionName', functionName)], [dim('FunctionName', functionName), dim('Resource', functionName)]], Math.max(0, ageMs), 'Milliseconds', nowMs);
  }

  /** Lambda publishes per function (FunctionName, and Resource = the function name for an unqualified call) and account-wide (no dimension). */
  private lambdaSets(functionName: string): Dimension[][] {
    return [[dim('FunctionName', functionName)], [dim('FunctionName', functionName), dim('Resource', functionName)], []];
  }

  lambdaDone(done: LambdaInvocationDone): void {
    const sets = this.lambdaSets(done.functionName);
    this.sink.record('AWS/Lambda', 'Invocations', sets, 1, 'Count', done.endMs);
    this.sink.record('AWS/Lambda', 'Errors', sets, done.failed ? 1 : 0, 'Count', done.endMs);
    this.sink.record('AWS/Lambda', 'Duration', sets, done.durationMs, 'Milliseconds', done.endMs);
  }

  lambdaThrottled(functionName: string, nowMs: number): void {
    this.sink.record('AWS/Lambda', 'Throttles', this.lambdaSets(functionName), 1, 'Count', nowMs);
  }

  apiRequest(done: ApiRequestDone): void {
    const sets: Dimension[][] = [[dim('ApiName', done.apiName)], [dim('ApiName', done.apiName), dim('Stage', done.stage)]];
    if (done.detailedMetrics) {
      sets.push([dim('ApiName', done.apiName), dim('Method', done.method), dim('Resource', done.resourcePath), dim('Stage', done.stage)]);
    }
    const record = (name: string, value: number, unit: 'Count' | 'Milliseconds'): void => this.sink.record('AWS/ApiGateway', name, sets, value, unit, done.endMs);
    record('Count', 1, 'Count');
    record('4XXError', done.status >= 400 && done.status < 500 ? 1 : 0, 'Count');
    record('5XXError', done.status >= 500 ? 1 : 0, 'Count');
    record('Latency', done.latencyMs, 'Milliseconds');
    if (done.integrationLatencyMs !== undefined) record('IntegrationLatency', done.integrationLatencyMs, 'Milliseconds');
  }

  snsPublished(topicName: string, sizeBytes: number, nowMs: number): void {
    const sets = [[dim('TopicName', topicName)]];
    this.sink.record('AWS/SNS', 'NumberOfMessagesPublished', sets, 1, 'Count', nowMs);
    this.sink.record('AWS/SNS', 'PublishSize', sets, sizeBytes, 'Bytes', nowMs);
  }

  /** A delivery's final outcome, after SNS's retries. */
  snsDelivered(topicName: string, delivered: boolean, nowMs: number): void {
    this.sink.record('AWS/SNS', delivered ? 'NumberOfNotificationsDelivered' : 'NumberOfNotificationsFailed', [[dim('TopicName', topicName)]], 1, 'Count', nowMs);
  }

  sqs(queueName: string, metric: 'NumberOfMessagesSent' | 'NumberOfMessagesReceived' | 'NumberOfMessagesDeleted', count: number, nowMs: number): void {
    this.sink.record('AWS/SQS', metric, [[dim('QueueName', queueName)]], count, 'Count', nowMs);
    this.queueGauges.touched(queueName, nowMs);
  }
}
