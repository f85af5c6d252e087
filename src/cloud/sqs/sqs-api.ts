/**
 * SQS's wire protocol as the AWS SDK v3 client sends it: awsJson1_0 with `X-Amz-Target:
 * AmazonSQS.<Operation>`, query-compatible errors. Each operation reads its members, names the IAM
 * action and queue it needs, and runs against the SqsService.
 */
import { AwsError, commonErrors } from '../protocol/errors.ts';
import type { JsonProtocol } from '../protocol/json-protocol.ts';
import { JsonInput, jsonReply, parseJsonObject, renderJsonError, targetOperation, unknownOperation } from '../protocol/json-protocol.ts';
import type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest, Permission } from '../protocol/service.ts';
import { acceptsJson, invalidAction, isFormRequest, queryParams, renderQueryError } from '../protocol/query-protocol.ts';
import { sqsErrors } from './errors.ts';
import { SQS_XMLNS, queryResultReply, queryToJsonInput } from './sqs-query.ts';
import { checkAttributeCount, checkAttributeName, checkBatchBytes, entryPayloadBytes } from './limits.ts';
import { md5OfAttributes } from './md5.ts';
import type { ReceivedMessage, SendInput, SqsService } from './sqs-service.ts';
import type { MessageAttributeValue } from './store.ts';

const PROTOCOL: JsonProtocol = { target: 'AmazonSQS', namespace: 'com.amazonaws.sqs', queryCompatible: true };

type Operation = (input: JsonInput, request: EndpointRequest) => { queue?: string; queueName?: string; run: () => Promise<unknown> | unknown };

/** IAM authorizes batch calls as their single-message action. */
const IAM_ACTION: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

export class SqsApi implements AwsProtocolService {
  readonly name = 'SQS';
  readonly signingName = 'sqs';
  private readonly operations: Readonly<Record<string, Operation>>;

  constructor(private readonly sqs: SqsService) {
    this.operations = {
      SendMessage: (input, request) => {
        const queue = input.string('QueueUrl');
        return { queue, run: () => sendResult(this.sqs.send(queue, sendInput(input, request))) };
      },
      SendMessageBatch: (input, request) =>
        batchOperation(input, (queue, entry) => sendResult(this.sqs.send(queue, sendInput(entry, request))), (entries) =>
          checkBatchBytes(entries.reduce((bytes, entry) => bytes + entryPayloadBytes(entry.data), 0))),
      ReceiveMessage: (input) => {
        const queue = input.string('QueueUrl');
        const max = input.optionalInteger('MaxNumberOfMessages', 1, 10);
        const wait = input.optionalInteger('WaitTimeSeconds', 0, 20);
        const visibility = input.optionalInteger('VisibilityTimeout', 0, 43_200);
        const names = [...(input.optionalStringList('AttributeNames') ?? []), ...(input.optionalStringList('MessageSystemAttributeNames') ?? [])];
        const attributeNames = input.optionalStringList('MessageAttributeNames') ?? [];
        const attemptId = input.optionalString('ReceiveRequestAttemptId');
        return {
          queue,
          run: async () => {
            const received = await this.sqs.receive(queue, {
              ...(max !== undefined ? { maxMessages: max } : {}),
              ...(wait !== undefined ? { waitSeconds: wait } : {}),
              ...(visibility !== undefined ? { visibilityTimeout: visibility } : {}),
              ...(attemptId !== undefined ? { receiveRequestAttemptId: attemptId } : {}),
            });
            return received.length === 0 ? {} : { Messages: received.map((item) => wireMessage(item, names, attributeNames)) };
          },
        };
      },
      DeleteMessage: (input) => {
        const queue = input.string('QueueUrl');
        const handle = input.string('ReceiptHandle');
        return { queue, run: () => (this.sqs.deleteMessage(queue, handle), {}) };
      },
      DeleteMessageBatch: (input) =>
        batchOperation(input, (queue, entry) => this.sqs.deleteMessage(queue, entry.string('ReceiptHandle'))),
      ChangeMessageVisibility: (input) => {
        const queue = input.string('QueueUrl');
        const handle = input.string('ReceiptHandle');
        const timeout = requiredInteger(input, 'VisibilityTimeout', 0, 43_200);
        return { queue, run: () => (this.sqs.changeVisibility(queue, handle, timeout), {}) };
      },
      ChangeMessageVisibilityBatch: (input) =>
        batchOperation(input, (queue, entry) =>
          this.sqs.changeVisibility(queue, entry.string('ReceiptHandle'), requiredInteger(entry, 'VisibilityTimeout', 0, 43_200))),
      GetQueueUrl: (input) => {
        const queueName = input.string('QueueName');
        return { queueName, run: () => ({ QueueUrl: this.sqs.queue(queueName).url }) };
      },
      GetQueueAttributes: (input) => {
        const queue = input.string('QueueUrl');
        const names = input.optionalStringList('AttributeNames') ?? [];
        return {
          queue,
          run: () => {
            const all = this.sqs.attributes(queue);
            if (names.includes('All')) return { Attributes: all };
            const picked: Record<string, string> = {};
            for (const name of names) {
              const value = all[name];
              if (value === undefined && !KNOWN_QUEUE_ATTRIBUTES.has(name)) throw sqsErrors.invalidAttributeName(name);
              if (value !== undefined) picked[name] = value;
            }
            return names.length === 0 ? {} : { Attributes: picked };
          },
        };
      },
      SetQueueAttributes: (input) => {
        const queue = input.string('QueueUrl');
        const attributes = stringMap(input, 'Attributes') ?? {};
        return { queue, run: () => (this.sqs.setQueueAttributes(queue, attributes), {}) };
      },
      PurgeQueue: (input) => {
        const queue = input.string('QueueUrl');
        return { queue, run: () => (this.sqs.purge(queue), {}) };
      },
      CreateQueue: (input) => {
        const queueName = input.string('QueueName');
        const attributes = stringMap(input, 'Attributes') ?? {};
        return { queueName, run: () => ({ QueueUrl: this.sqs.createQueue(queueName, attributes).url }) };
      },
      ListQueues: (input) => {
        const prefix = input.optionalString('QueueNamePrefix') ?? '';
        const limit = input.optionalInteger('MaxResults', 1, 1000) ?? 1000;
        return {
          run: () => {
            const urls = this.sqs.listQueues(prefix).slice(0, limit).map((queue) => queue.url);
            return urls.length === 0 ? {} : { QueueUrls: urls };
          },
        };
      },
    };
  }

  accepts(request: EndpointRequest): boolean {
    return targetOperation(request, PROTOCOL) !== undefined || (isFormRequest(request) && request.caller?.service === 'sqs');
  }

  parse(request: EndpointRequest): AwsCall {
    const query = targetOperation(request, PROTOCOL) === undefined && isFormRequest(request);
    let operation: string;
    let data: Record<string, unknown>;
    if (query) {
      const params = queryParams(request);
      operation = params.get('Action') ?? '';
      if (operation === '') throw new AwsError('MissingAction', 'The request must contain the parameter Action.');
      data = queryToJsonInput(params, params.names(), request.path, queueOrigin(request));
    } else {
      operation = targetOperation(request, PROTOCOL) ?? '';
      data = {};
    }
    // Own keys only: "constructor" or "toString" must not find Object.prototype's.
    const read = Object.hasOwn(this.operations, operation) ? this.operations[operation] : undefined;
    if (!read) throw query ? invalidAction(operation, 'SQS') : unknownOperation(operation, 'SQS');
    const input = new JsonInput(query ? data : parseJsonObject(request));
    const { queue, queueName, run } = read(input, request);
    const resourceArn = queue !== undefined ? this.arnOf(queue) : queueName !== undefined ? this.sqs.arnOf(queueName) : this.sqs.arnOf('*');
    const permissions: Permission[] = [{ action: `sqs:${IAM_ACTION[operation] ?? operation}`, resourceArn }];
    if (query) return { operation, permissions, run: async () => queryResultReply(operation, request.requestId, await run(), acceptsJson(request)) };
    return { operation, permissions, run: async () => jsonReply(await run()) };
  }

  renderError(error: AwsError, request?: EndpointRequest): EndpointReply {
    if (request !== undefined && targetOperation(request, PROTOCOL) === undefined && isFormRequest(request)) {
      return renderQueryError(error, SQS_XMLNS, request.requestId, acceptsJson(request));
    }
    return renderJsonError(error, PROTOCOL);
  }

  accessDenied(message: string): AwsError {
    return new AwsError('AccessDenied', message, { status: 403, namespace: 'com.amazon.coral.service' });
  }

  /** The queue's ARN for IAM; a queue that does not exist is reported by the operation itself. */
  private arnOf(queueRef: string): string {
    try {
      return this.sqs.queue(queueRef).arn;
    } catch {
      return this.sqs.arnOf(queueRef.slice(queueRef.lastIndexOf('/') + 1));
    }
  }
}

const KNOWN_QUEUE_ATTRIBUTES = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled', 'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);

function requiredInteger(input: JsonInput, name: string, min: number, max: number): number {
  const value = input.optionalInteger(name, min, max);
  if (value === undefined) throw commonErrors.missingParameter(name);
  return value;
}

function stringMap(input: JsonInput, name: string): Record<string, string> | undefined {
  const map = input.optionalObject(name);
  if (map === undefined) return undefined;
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') throw commonErrors.invalidParameter(`${name}.${key} must be a string.`);
  }
  return map as Record<string, string>;
}

function sendInput(input: JsonInput, request: EndpointRequest): SendInput {
  const delaySeconds = input.optionalInteger('DelaySeconds', 0, 900);
  const messageGroupId = input.optionalString('MessageGroupId');
  const messageDeduplicationId = input.optionalString('MessageDeduplicationId');
  return {
    ...(messageGroupId !== undefined ? { messageGroupId } : {}),
    ...(messageDeduplicationId !== undefined ? { messageDeduplicationId } : {}),
    body: input.string('MessageBody'),
    messageAttributes: attributeMap(input, 'MessageAttributes'),
    systemAttributes: attributeMap(input, 'MessageSystemAttributes'),
    ...(delaySeconds !== undefined ? { delaySeconds } : {}),
    ...(request.trace !== undefined ? { trace: request.trace } : {}),
    ...(request.caller !== undefined ? { senderId: request.caller.accessKeyId } : {}),
  };
}

function attributeMap(input: JsonInput, name: string): Record<string, MessageAttributeValue> {
  const map = input.optionalObject(name) ?? {};
  const attributes: Record<string, MessageAttributeValue> = {};
  const names = Object.keys(map);
  checkAttributeCount(names.length);
  // The system attributes are SQS's own (AWSTraceHeader): only the message's follow the name rules.
  const userAttributes = name === 'MessageAttributes';
  for (const key of names) {
    if (userAttributes) checkAttributeName(key);
    const where = `${input.path}${name}.${key}`;
    const value = JsonInput.of(map[key], where);
    const dataType = value.optionalString('DataType');
    if (dataType === undefined) throw commonErrors.invalidParameter(`The message attribute '${key}' must contain a non-empty attribute type (${where}.DataType).`);
    const kind = dataType.split('.')[0];
    if (kind === 'Binary') {
      const binaryValue = value.optionalString('BinaryValue');
      if (binaryValue === undefined) throw commonErrors.invalidParameter(`The message attribute '${key}' with type 'Binary' must use field 'Binary' (${where}.BinaryValue).`);
      attributes[key] = { dataType, binaryValue };
    } else if (kind === 'String' || kind === 'Number') {
      const stringValue = value.optionalString('StringValue');
      if (stringValue === undefined) throw commonErrors.invalidParameter(`The message attribute '${key}' with type '${kind}' must use field 'String' (${where}.StringValue).`);
      attributes[key] = { dataType, stringValue };
    } else {
      throw commonErrors.invalidParameter(`The type of message attribute '${key}' is invalid: "${dataType}" (String, Number or Binary).`);
    }
  }
  return attributes;
}

function sendResult(result: ReturnType<SqsService['send']>): Record<string, string> {
  return {
    MessageId: result.messageId,
    MD5OfMessageBody: result.md5OfMessageBody,
    ...(result.md5OfMessageAttributes !== undefined ? { MD5OfMessageAttributes: result.md5OfMessageAttributes } : {}),
    ...(result.md5OfMessageSystemAttributes !== undefined ? { MD5OfMessageSystemAttributes: result.md5OfMessageSystemAttributes } : {}),
    ...(result.sequenceNumber !== undefined ? { SequenceNumber: result.sequenceNumber } : {}),
  };
}

function batchEntries(input: JsonInput): JsonInput[] {
  const entries = input.list('Entries');
  if (entries.length === 0) throw sqsErrors.emptyBatch();
  if (entries.length > 10) throw sqsErrors.tooManyEntries(entries.length);
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const item = JsonInput.of(entry, `Entries[${index}]`);
    const id = item.string('Id');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw sqsErrors.invalidBatchEntryId(id);
    if (seen.has(id)) throw sqsErrors.batchIdsNotDistinct(id);
    seen.add(id);
    return item;
  });
}

/**
 * A batch call: each entry applied on its own, answered with its Id and what `apply` returns for it;
 * `checkAll` refuses the whole batch first (after IAM allowed the call).
 */
function batchOperation(
  input: JsonInput,
  apply: (queue: string, entry: JsonInput) => Record<string, unknown> | void,
  checkAll?: (entries: readonly JsonInput[]) => void,
): { queue: string; run: () => Record<string, unknown> } {
  const queue = input.string('QueueUrl');
  const entries = batchEntries(input);
  return {
    queue,
    run: () => {
      checkAll?.(entries);
      return runBatch(entries, (entry) => ({ Id: entry.string('Id'), ...(apply(queue, entry) ?? {}) }));
    },
  };
}

/** Each entry succeeds or fails alone, as SQS batch calls do. */
function runBatch(entries: JsonInput[], one: (entry: JsonInput) => Record<string, unknown>): Record<string, unknown> {
  const successful: Record<string, unknown>[] = [];
  const failed: Record<string, unknown>[] = [];
  for (const entry of entries) {
    try {
      successful.push(one(entry));
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      failed.push({ Id: entry.string('Id'), SenderFault: error.status < 500, Code: error.queryCode, Message: error.message });
    }
  }
  return { Successful: successful, Failed: failed };
}

/** The wire form of a received message with the attributes asked for (`All` or names). */
export function wireMessage(item: ReceivedMessage, attributeNames: readonly string[], messageAttributeNames: readonly string[]): Record<string, unknown> {
  const { message } = item;
  const attributes = selectedAttributes(item, attributeNames);
  const messageAttributes = selectedMessageAttributes(message.messageAttributes, messageAttributeNames);
  const md5 = md5OfAttributes(messageAttributes);
  return {
    MessageId: message.messageId,
    ReceiptHandle: item.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(md5 !== undefined ? { MD5OfMessageAttributes: md5, MessageAttributes: wireAttributes(messageAttributes) } : {}),
  };
}

/** The system attributes of a received message (as strings), all of them for `All`. */
export function selectedAttributes(item: ReceivedMessage, names: readonly string[]): Record<string, string> {
  const { message } = item;
  const all: Record<string, string> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentMillis),
    ApproximateReceiveCount: String(item.receiveCount),
    ApproximateFirstReceiveTimestamp: String(item.firstReceiveMillis),
  };
  const trace = message.systemAttributes['AWSTraceHeader']?.stringValue;
  if (trace !== undefined) all['AWSTraceHeader'] = trace;
  if (message.deadLetterSourceArn !== undefined) all['DeadLetterQueueSourceArn'] = message.deadLetterSourceArn;
  if (message.messageGroupId !== undefined) all['MessageGroupId'] = message.messageGroupId;
  if (message.messageDeduplicationId !== undefined) all['MessageDeduplicationId'] = message.messageDeduplicationId;
  if (message.sequenceNumber !== undefined) all['SequenceNumber'] = message.sequenceNumber;
  if (names.includes('All')) return all;
  const picked: Record<string, string> = {};
  for (const name of names) if (all[name] !== undefined) picked[name] = all[name];
  return picked;
}

function selectedMessageAttributes(
  attributes: Readonly<Record<string, MessageAttributeValue>>,
  names: readonly string[],
): Record<string, MessageAttributeValue> {
  const wanted = (name: string): boolean =>
    names.some((pattern) => pattern === 'All' || pattern === '.*' || pattern === name || (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))));
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => wanted(name)));
}

function wireAttributes(attributes: Readonly<Record<string, MessageAttributeValue>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      { DataType: value.dataType, ...(value.binaryValue !== undefined ? { BinaryValue: value.binaryValue } : { StringValue: value.stringValue }) },
    ]),
  );
}

/** The origin a queue URL in a request's path is read against (only its last segment names the queue). */
function queueOrigin(request: EndpointRequest): string {
  const host = request.headers.host;
  return `http://${typeof host === 'string' && host !== '' ? host : 'localhost'}`;
}
