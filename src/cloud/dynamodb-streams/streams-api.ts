/**
 * The DynamoDB Streams API (awsJson1_0, `X-Amz-Target: DynamoDBStreams_20120810.<Operation>`,
 * signed for `dynamodb`): ListStreams, DescribeStream, GetShardIterator, GetRecords over the
 * stream store. Each stream has one shard; shard iterators are opaque strings that expire after
 * 15 minutes, as DynamoDB Streams' do.
 */
import type { Clock } from '../core/runtime.ts';
import { systemClock } from '../core/runtime.ts';
import { AwsError } from '../protocol/errors.ts';
import type { JsonProtocol } from '../protocol/json-protocol.ts';
import { CORAL, jsonReply, parseJsonObject, renderJsonError, targetOperation, unknownOperation } from '../protocol/json-protocol.ts';
import type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest } from '../protocol/service.ts';
import { formatSequenceNumber, parseSequenceNumber } from './sequence-numbers.ts';
import { wireRecord } from './stream-record.ts';
import { validation } from './stream-specification.ts';
import type { StreamInfo, StreamStore } from './stream-store.ts';

const PROTOCOL: JsonProtocol = { target: 'DynamoDBStreams_20120810', namespace: 'com.amazonaws.dynamodb.v20120810', queryCompatible: false };

/** A shard iterator is valid for 15 minutes after GetShardIterator or GetRecords handed it out. */
export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;
/** GetRecords answers at most 1,000 records and 1 MB. */
const MAX_RECORDS = 1000;
const MAX_REPLY_BYTES = 1024 * 1024;

const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const;
type IteratorType = (typeof ITERATOR_TYPES)[number];

interface Iterator {
  readonly streamArn: string;
  readonly shardId: string;
  /** The position of the next record to read. */
  readonly position: number;
  readonly issuedMs: number;
}

export interface StreamsApiOptions {
  readonly store: StreamStore;
  readonly clock?: Clock;
}

export class DynamoDbStreamsApi implements AwsProtocolService {
  readonly name = 'DynamoDB Streams';
  readonly signingName = 'dynamodb';
  /** DynamoDB Streams answers every client error 400, a refused credential too. */
  readonly authFailureStatus = 400;
  private readonly clock: Clock;

  constructor(private readonly options: StreamsApiOptions) {
    this.clock = options.clock ?? systemClock;
  }

  accepts(request: EndpointRequest): boolean {
    return targetOperation(request, PROTOCOL) !== undefined;
  }

  parse(request: EndpointRequest): AwsCall {
    const operation = targetOperation(request, PROTOCOL) ?? '';
    const input = parseJsonObject(request);
    const { store } = this.options;
    store.trimNow(this.clock.nowMs());
    switch (operation) {
      case 'ListStreams': {
        const tableName = optionalString(input, 'TableName');
        return { operation, permissions: [{ action: 'dynamodb:ListStreams', resourceArn: '*' }], run: async () => jsonReply(this.listStreams(input, tableName)) };
      }
      case 'DescribeStream': {
        const streamArn = requiredString(input, 'StreamArn');
        return { operation, permissions: [{ action: 'dynamodb:DescribeStream', resourceArn: streamArn }], run: async () => jsonReply(this.describeStream(input, streamArn)) };
      }
      case 'GetShardIterator': {
        const streamArn = requiredString(input, 'StreamArn');
        return { operation, permissions: [{ action: 'dynamodb:GetShardIterator', resourceArn: streamArn }], run: async () => jsonReply(this.getShardIterator(input, streamArn)) };
      }
      case 'GetRecords': {
        const iterator = this.readIterator(requiredString(input, 'ShardIterator'));
        return { operation, permissions: [{ action: 'dynamodb:GetRecords', resourceArn: iterator.streamArn }], run: async () => jsonReply(this.getRecords(input, iterator)) };
      }
      default:
        throw unknownOperation(operation, 'DynamoDB Streams');
    }
  }

  renderError(error: AwsError): EndpointReply {
    return renderJsonError(error, PROTOCOL);
  }

  accessDenied(message: string): AwsError {
    return new AwsError('AccessDeniedException', message, { namespace: CORAL });
  }

  private listStreams(input: Record<string, unknown>, tableName: string | undefined): Record<string, unknown> {
    const limit = optionalInteger(input, 'Limit', 1, 100) ?? 100;
    const start = optionalString(input, 'ExclusiveStartStreamArn');
    let streams = this.options.store.listStreams(tableName);
    if (start !== undefined) streams = streams.filter((stream) => stream.streamArn > start);
    const page = streams.slice(0, limit);
    return {
      Streams: page.map((stream) => ({ StreamArn: stream.streamArn, TableName: stream.tableName, StreamLabel: stream.label })),
      ...(streams.length > limit && page.length > 0 ? { LastEvaluatedStreamArn: page[page.length - 1]?.streamArn } : {}),
    };
  }

  private describeStream(input: Record<string, unknown>, streamArn: string): Record<string, unknown> {
    optionalInteger(input, 'Limit', 1, 100);
    const stream = this.stream(streamArn);
    const start = optionalString(input, 'ExclusiveStartShardId');
    const range = {
      StartingSequenceNumber: formatSequenceNumber(this.options.store.trimHorizon(stream)),
      ...(stream.endPosition !== undefined ? { EndingSequenceNumber: formatSequenceNumber(stream.endPosition) } : {}),
    };
    const shards = start !== undefined && start >= stream.shardId ? [] : [{ ShardId: stream.shardId, SequenceNumberRange: range }];
    return {
      StreamDescription: {
        StreamArn: stream.streamArn,
        StreamLabel: stream.label,
        StreamStatus: stream.enabled ? 'ENABLED' : 'DISABLED',
        StreamViewType: stream.viewType,
        CreationRequestDateTime: stream.createdMs / 1000,
        TableName: stream.tableName,
        KeySchema: stream.keySchema,
        Shards: shards,
      },
    };
  }

  private getShardIterator(input: Record<string, unknown>, streamArn: string): Record<string, unknown> {
    const shardId = requiredString(input, 'ShardId');
    const type = requiredString(input, 'ShardIteratorType');
    if (!(ITERATOR_TYPES as readonly string[]).includes(type)) {
      throw validation(`1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [${ITERATOR_TYPES.join(', ')}]`);
    }
    const sequenceNumber = optionalString(input, 'SequenceNumber');
    const stream = this.stream(streamArn);
    if (shardId !== stream.shardId) throw notFound(`Requested resource not found: Shard does not exist`);
    const { store } = this.options;
    let position: number;
    switch (type as IteratorType) {
      case 'TRIM_HORIZON':
        position = store.trimHorizon(stream);
        break;
      case 'LATEST':
        position = stream.endPosition !== undefined ? stream.endPosition + 1 : store.nextPosition();
        break;
      default: {
        if (sequenceNumber === undefined) throw validation(`SequenceNumber is required for ShardIteratorType ${type}`);
        const at = parseSequenceNumber(sequenceNumber);
        if (at === undefined) throw validation(`Invalid SequenceNumber: ${sequenceNumber}`);
        if (at <= stream.trimmedThrough) {
          throw new AwsError('TrimmedDataAccessException', `Attempted to access data beyond the trim horizon: the sequence number ${sequenceNumber} is older than the stream's 24-hour retention`, { namespace: PROTOCOL.namespace });
        }
        position = type === 'AT_SEQUENCE_NUMBER' ? at : at + 1;
      }
    }
    return { ShardIterator: encodeIterator({ streamArn, shardId, position, issuedMs: this.clock.nowMs() }) };
  }

  private getRecords(input: Record<string, unknown>, iterator: Iterator): Record<string, unknown> {
    const limit = optionalInteger(input, 'Limit', 1, MAX_RECORDS) ?? MAX_RECORDS;
    const nowMs = this.clock.nowMs();
    if (nowMs - iterator.issuedMs > ITERATOR_LIFETIME_MS) {
      throw new AwsError(
        'ExpiredIteratorException',
        `Iterator expired. The iterator was created at time ${new Date(iterator.issuedMs).toUTCString()} while right now it is ${new Date(nowMs).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`,
        { namespace: PROTOCOL.namespace },
      );
    }
    const stream = this.stream(iterator.streamArn);
    if (iterator.position <= stream.trimmedThrough) {
      throw new AwsError('TrimmedDataAccessException', 'Attempted to access data beyond the trim horizon: the iterator points at records past the stream\'s 24-hour retention', { namespace: PROTOCOL.namespace });
    }
    const records = [];
    let bytes = 0;
    let next = iterator.position;
    for (const record of this.options.store.read(stream.streamArn, iterator.position, limit)) {
      const wire = wireRecord(record);
      const size = Buffer.byteLength(JSON.stringify(wire));
      if (records.length > 0 && bytes + size > MAX_REPLY_BYTES) break;
      records.push(wire);
      bytes += size;
      next = record.position + 1;
    }
    // A closed shard read to its end has no next iterator: the reader is done with it.
    const exhausted = stream.endPosition !== undefined && next > stream.endPosition;
    return {
      Records: records,
      ...(exhausted ? {} : { NextShardIterator: encodeIterator({ ...iterator, position: next, issuedMs: nowMs }) }),
    };
  }

  private stream(streamArn: string): StreamInfo {
    const stream = this.options.store.stream(streamArn);
    if (stream === undefined) throw notFound(`Requested resource not found: Stream: ${streamArn} not found`);
    return stream;
  }

  private readIterator(text: string): Iterator {
    const invalid = validation('Invalid ShardIterator');
    const bar = text.lastIndexOf('|');
    if (bar < 0 || text.length > 2048) throw invalid;
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(text.slice(bar + 1), 'base64url').toString('utf8'));
    } catch {
      throw invalid;
    }
    const value = decoded as Partial<Record<'a' | 's' | 'p' | 't', unknown>>;
    if (typeof decoded !== 'object' || decoded === null || typeof value.a !== 'string' || typeof value.s !== 'string' || !Number.isSafeInteger(value.p) || !Number.isSafeInteger(value.t)) throw invalid;
    if (!text.startsWith(`${value.a}|`)) throw invalid;
    return { streamArn: value.a, shardId: value.s, position: value.p as number, issuedMs: value.t as number };
  }
}

/** `<stream ARN>|1|<base64url of the position>`: the stream's ARN first, as DynamoDB Streams' iterators begin. */
function encodeIterator(iterator: Iterator): string {
  const payload = Buffer.from(JSON.stringify({ a: iterator.streamArn, s: iterator.shardId, p: iterator.position, t: iterator.issuedMs })).toString('base64url');
  return `${iterator.streamArn}|1|${payload}`;
}

function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, { namespace: PROTOCOL.namespace });
}

function requiredString(input: Record<string, unknown>, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined) {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    throw validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AwsError('SerializationException', `${name} must be a string`, { namespace: CORAL });
  return value;
}

function optionalInteger(input: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new AwsError('SerializationException', `${name} must be an integer`, { namespace: CORAL });
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  if (value < min) throw validation(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (value > max) throw validation(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return value;
}
