/**
 * SQS's documented limits on what a client sends: a message's size (its body and its attributes'
 * names, types and values) up to the queue's MaximumMessageSize (1,024 to 1,048,576 bytes, 262,144
 * by default), the whole of a SendMessageBatch up to 1 MiB, at most 10 message attributes with
 * names of letters, digits, `_`, `-` and `.`, and the ranges of the numeric queue attributes.
 */
import { AwsError, commonErrors } from '../protocol/errors.ts';
import { sqsErrors } from './errors.ts';
import type { MessageAttributeValue } from './store.ts';

export const MAX_BATCH_BYTES = 1_048_576;
export const MAX_MESSAGE_ATTRIBUTES = 10;
const MAX_ATTRIBUTE_NAME_CHARS = 256;

/** The documented range of each numeric queue attribute. */
export const QUEUE_ATTRIBUTE_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  VisibilityTimeout: [0, 43_200],
  DelaySeconds: [0, 900],
  MessageRetentionPeriod: [60, 1_209_600],
  MaximumMessageSize: [1024, 1_048_576],
  ReceiveMessageWaitTimeSeconds: [0, 20],
};

/** A message's size as SQS counts it against MaximumMessageSize. */
export function messageBytes(body: string, attributes: Readonly<Record<string, MessageAttributeValue>> = {}): number {
  let bytes = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.dataType) + Buffer.byteLength(value.stringValue ?? '') + Buffer.byteLength(value.binaryValue ?? '', 'base64');
  }
  return bytes;
}

/**
 * The payload of a SendMessageBatch entry as sent (its body and its attributes' parts that are
 * strings), read leniently: a malformed entry fails on its own later, its size still counts.
 */
export function entryPayloadBytes(entry: Readonly<Record<string, unknown>>): number {
  let bytes = typeof entry['MessageBody'] === 'string' ? Buffer.byteLength(entry['MessageBody']) : 0;
  const attributes = entry['MessageAttributes'];
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return bytes;
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name);
    if (typeof value !== 'object' || value === null) continue;
    const { DataType, StringValue, BinaryValue } = value as Record<string, unknown>;
    if (typeof DataType === 'string') bytes += Buffer.byteLength(DataType);
    if (typeof StringValue === 'string') bytes += Buffer.byteLength(StringValue);
    if (typeof BinaryValue === 'string') bytes += Buffer.byteLength(BinaryValue, 'base64');
  }
  return bytes;
}

export function checkBatchBytes(bytes: number): void {
  if (bytes > MAX_BATCH_BYTES) {
    throw new AwsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${bytes} bytes.`, {
      queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong',
    });
  }
}

export function checkAttributeCount(count: number): void {
  if (count > MAX_MESSAGE_ATTRIBUTES) {
    throw commonErrors.invalidParameter(`Number of message attributes [${count}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`);
  }
}

/** SQS's rules for a message attribute's name (InvalidParameterValue). */
export function checkAttributeName(name: string): void {
  if (name === '') throw commonErrors.invalidParameter('The request must contain non-empty message attribute name.');
  if (name.length > MAX_ATTRIBUTE_NAME_CHARS) {
    throw commonErrors.invalidParameter(`Message attribute name can be at most ${MAX_ATTRIBUTE_NAME_CHARS} characters long, got ${name.length}.`);
  }
  if (/^(aws|amazon)\./i.test(name)) throw commonErrors.invalidParameter("Message attribute names starting with 'AWS.' or 'Amazon.' are reserved for use by Amazon.");
  if (name.startsWith('.')) throw commonErrors.invalidParameter("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw commonErrors.invalidParameter("Invalid message attribute name ending with character '.' was found.");
  const bad = /[^A-Za-z0-9_.-]/u.exec(name);
  if (bad) {
    const hex = (bad[0].codePointAt(0) ?? 0).toString(16);
    throw commonErrors.invalidParameter(
      `Invalid non-alphanumeric character '#x${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
    );
  }
  if (name.includes('..')) throw commonErrors.invalidParameter("Message attribute name can not have successive '.' characters.");
}

/** A numeric queue attribute outside its documented range (InvalidAttributeValue). */
export function checkQueueAttributeRange(name: string, value: number): void {
  const range = QUEUE_ATTRIBUTE_RANGES[name];
  if (range === undefined) return;
  const [min, max] = range;
  if (value < min || value > max) {
    throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}: ${value} is not between ${min} and ${max}.`);
  }
}
