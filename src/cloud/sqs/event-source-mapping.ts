/**
 * The SQS event source mappings of the templates (AWS::Lambda::EventSourceMapping on a queue), run
 * as Lambda's pollers run them: long-poll the queue, hand a batch to the function synchronously,
 * delete what succeeded. A failed invocation leaves the whole batch to the visibility timeout and the
 * queue's redrive policy; with ReportBatchItemFailures only the reported messages stay. The
 * invocation continues the trace of the first record's AWSTraceHeader: the platform joins the
 * consumer to the producer, the handler does nothing for it; the other records' senders get span
 * links from the invocation's AWS::Lambda segment, as X-Ray links an SQS batch's traces.
 *
 * FIFO queues: the queue never hands out a group's messages while others of that group are in
 * flight, so each group has at most one batch in flight and is delivered in order; a failed message
 * blocks its group until it succeeds or its redrive policy moves it away. With
 * ReportBatchItemFailures, the messages of a group after its first reported failure return too (the
 * function is meant to stop at the first failure, as Lambda documents), so a group never skips ahead.
 */
import type { Logger } from '../core/runtime.ts';
import { silentLogger, sleepMs } from '../core/runtime.ts';
import { tryParseTraceHeader } from '../tracing/trace-header.ts';
import type { CloudModel, LambdaInvoker } from '../core/types.ts';
import type { CompiledPattern } from '../event-patterns/index.ts';
import { passesFilters, readFilterCriteria } from './event-filter.ts';
import { selectedAttributes } from './sqs-api.ts';
import type { ReceivedMessage, SqsService } from './sqs-service.ts';
import { isFifoQueue } from './sqs-service.ts';

export interface SqsEventSource {
  readonly logicalId: string;
  readonly queueArn: string;
  /** Name or ARN, as the template gives it. */
  readonly functionName: string;
  readonly batchSize: number;
  readonly reportBatchItemFailures: boolean;
  /** FilterCriteria's patterns: a message matching none is deleted without an invocation. */
  readonly filters?: readonly CompiledPattern[];
}

export interface EventSourceMappingOptions {
  readonly sqs: SqsService;
  readonly lambda: LambdaInvoker;
  readonly mappings: ReadonlyArray<SqsEventSource>;
  readonly region: string;
  readonly logger?: Logger;
  /** Batches of one mapping in flight at once. @default 2 */
  readonly pollersPerMapping?: number;
  /** Long-poll wait of each receive. @default 20 */
  readonly waitSeconds?: number;
  /** Pause after a poll fails (queue missing...), so a broken mapping does not spin. @default 1000 */
  readonly errorBackoffMillis?: number;
}

/** The SQS event source mappings of the model; warnings name the ones that are skipped. */
export function sqsEventSources(model: CloudModel): { mappings: SqsEventSource[]; warnings: string[] } {
  const mappings: SqsEventSource[] = [];
  const warnings: string[] = [];
  for (const resource of model.byType('AWS::Lambda::EventSourceMapping')) {
    const { properties } = resource;
    const where = `${resource.stack}/${resource.logicalId}`;
    const source = properties['EventSourceArn'];
    const functionName = properties['FunctionName'];
    // DynamoDB stream sources run in dynamodb-streams/event-source-mapping.ts.
    if (typeof source === 'string' && source.startsWith('arn:aws:dynamodb:')) continue;
    if (typeof source !== 'string' || !source.startsWith('arn:aws:sqs:')) {
      warnings.push(`event source mapping ${where}: only SQS sources run locally (got ${JSON.stringify(source)})`);
      continue;
    }
    if (typeof functionName !== 'string') {
      warnings.push(`event source mapping ${where}: FunctionName did not resolve to a name`);
      continue;
    }
    if (properties['Enabled'] === false || properties['Enabled'] === 'false') continue;
    const window = Number(properties['MaximumBatchingWindowInSeconds'] ?? 0);
    if (window > 0) warnings.push(`event source mapping ${where}: MaximumBatchingWindowInSeconds is not honoured locally; batches go out as soon as messages arrive`);
    const types = properties['FunctionResponseTypes'];
    const criteria = readFilterCriteria(properties['FilterCriteria']);
    if ('error' in criteria) {
      warnings.push(`event source mapping ${where}: ${criteria.error}; Lambda refuses it, so it does not run`);
      continue;
    }
    mappings.push({
      logicalId: resource.logicalId,
      queueArn: source,
      functionName,
      batchSize: Number(properties['BatchSize'] ?? 10),
      reportBatchItemFailures: Array.isArray(types) && types.includes('ReportBatchItemFailures'),
      ...(criteria.filters.length > 0 ? { filters: criteria.filters } : {}),
    });
  }
  return { mappings, warnings };
}

export class SqsEventSourceMappings {
  private readonly logger: Logger;
  private controller: AbortController | undefined;
  private pollers: Promise<void>[] = [];

  constructor(private readonly options: EventSourceMappingOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  async start(): Promise<void> {
    if (this.controller) throw new Error('the SQS event source mappings are already started');
    const controller = new AbortController();
    this.controller = controller;
    const count = this.options.pollersPerMapping ?? 2;
    for (const mapping of this.options.mappings) {
      for (let poller = 0; poller < count; poller += 1) this.pollers.push(this.poll(mapping, controller.signal));
    }
  }

  /** Stops polling; batches already handed to a function finish first. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await Promise.all(this.pollers);
    this.pollers = [];
    this.controller = undefined;
  }

  private async poll(mapping: SqsEventSource, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let batch: ReceivedMessage[];
      try {
        batch = await this.collect(mapping, signal);
      } catch (error) {
        this.logger.warn(`sqs event source ${mapping.logicalId}: polling ${mapping.queueArn} failed: ${(error as Error).message}`);
        await sleepMs(this.options.errorBackoffMillis ?? 1000, signal);
        continue;
      }
      if (batch.length > 0) await this.deliver(mapping, batch);
    }
  }

  /** One long poll, then whatever more is ready at once, up to the batch size. */
  private async collect(mapping: SqsEventSource, signal: AbortSignal): Promise<ReceivedMessage[]> {
    const { sqs } = this.options;
    const batch = await sqs.receive(mapping.queueArn, {
      maxMessages: Math.min(10, mapping.batchSize),
      waitSeconds: this.options.waitSeconds ?? 20,
      signal,
    });
    while (batch.length > 0 && batch.length < mapping.batchSize && !signal.aborted) {
      const more = await sqs.receive(mapping.queueArn, { maxMessages: Math.min(10, mapping.batchSize - batch.length), waitSeconds: 0 });
      if (more.length === 0) break;
      batch.push(...more);
    }
    return batch;
  }

  private async deliver(mapping: SqsEventSource, received: ReceivedMessage[]): Promise<void> {
    const { sqs, lambda, region } = this.options;
    // As Lambda: messages no filter matches are deleted and never reach the function.
    const batch = received.filter((item) => {
      if (passesFilters(mapping.filters ?? [], sqsRecord(item, mapping.queueArn, region))) return true;
      sqs.deleteMessage(mapping.queueArn, item.receiptHandle);
      return false;
    });
    if (batch.length === 0) return;
    const event = { Records: batch.map((item) => sqsRecord(item, mapping.queueArn, region)) };
    const headers = batch.map((item) => tryParseTraceHeader(item.message.systemAttributes['AWSTraceHeader']?.stringValue));
    const trace = headers[0];
    // The batch's other messages came from other requests: the invocation links to their senders.
    const links = headers.slice(1).filter((header) => header !== undefined);
    let failed: ReadonlySet<string> | 'all';
    try {
      const result = await lambda.invoke({
        functionName: mapping.functionName,
        payload: event,
        invocationType: 'RequestResponse',
        ...(trace !== undefined ? { trace } : {}),
        ...(links.length > 0 ? { links } : {}),
        caller: { kind: 'sqs', arn: mapping.queueArn },
      });
      if (result.functionError !== undefined || result.statusCode >= 300) {
        this.logger.warn(`sqs event source ${mapping.logicalId}: ${mapping.functionName} failed (${result.errorMessage ?? result.functionError ?? result.statusCode}); ${batch.length} message(s) return after their visibility timeout`);
        failed = 'all';
      } else {
        failed = mapping.reportBatchItemFailures ? reportedFailures(result.payload, batch) : new Set();
        if (failed !== 'all' && failed.size > 0 && isFifoQueue(sqs.queue(mapping.queueArn))) failed = withGroupFollowers(failed, batch);
        if (failed === 'all') this.logger.warn(`sqs event source ${mapping.logicalId}: ${mapping.functionName} returned an invalid batchItemFailures; the whole batch returns`);
      }
    } catch (error) {
      this.logger.warn(`sqs event source ${mapping.logicalId}: invoking ${mapping.functionName} failed: ${(error as Error).message}`);
      failed = 'all';
    }
    if (failed === 'all') return;
    for (const item of batch) {
      if (!failed.has(item.message.messageId)) sqs.deleteMessage(mapping.queueArn, item.receiptHandle);
    }
  }
}

/**
 * The message ids a ReportBatchItemFailures response names. As Lambda: no response, no list or an
 * empty list is full success; an identifier that is empty, missing or not in the batch fails the
 * whole batch.
 */
export function reportedFailures(payload: unknown, batch: readonly ReceivedMessage[]): ReadonlySet<string> | 'all' {
  if (payload === null || payload === undefined || typeof payload !== 'object') return new Set();
  const list = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === null || list === undefined) return new Set();
  if (!Array.isArray(list)) return 'all';
  const ids = new Set(batch.map((item) => item.message.messageId));
  const failed = new Set<string>();
  for (const entry of list) {
    const id = (entry as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return 'all';
    failed.add(id);
  }
  return failed;
}

/** FIFO: the failed messages and every message of their groups that comes after one of them in the batch. */
export function withGroupFollowers(failed: ReadonlySet<string>, batch: readonly ReceivedMessage[]): ReadonlySet<string> {
  const stoppedGroups = new Set<string>();
  const kept = new Set<string>();
  for (const { message } of batch) {
    const group = message.messageGroupId ?? '';
    if (failed.has(message.messageId) || stoppedGroups.has(group)) {
      stoppedGroups.add(group);
      kept.add(message.messageId);
    }
  }
  return kept;
}

/** One record of the SQS event Lambda hands the function. */
export function sqsRecord(item: ReceivedMessage, queueArn: string, region: string): Record<string, unknown> {
  const { message } = item;
  const messageAttributes = Object.fromEntries(
    Object.entries(message.messageAttributes).map(([name, value]) => [
      name,
      {
        ...(value.stringValue !== undefined ? { stringValue: value.stringValue } : {}),
        ...(value.binaryValue !== undefined ? { binaryValue: value.binaryValue } : {}),
        stringListValues: [],
        binaryListValues: [],
        dataType: value.dataType,
      },
    ]),
  );
  return {
    messageId: message.messageId,
    receiptHandle: item.receiptHandle,
    body: message.body,
    attributes: selectedAttributes(item, ['All']),
    messageAttributes,
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
