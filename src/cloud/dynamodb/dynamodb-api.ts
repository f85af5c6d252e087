/**
 * DynamoDB's wire protocol (awsJson1_0, `X-Amz-Target: DynamoDB_20120810.<Operation>`): the
 * endpoint reads which tables a request touches for the IAM check, then hands it to the engine.
 */
import { AwsError, clipMessage } from '../protocol/errors.ts';
import type { JsonProtocol } from '../protocol/json-protocol.ts';
import { CORAL, parseJsonObject, renderJsonError, targetOperation, unknownOperation } from '../protocol/json-protocol.ts';
import type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest, Permission } from '../protocol/service.ts';
import type { DynamoDbEngine } from './engine.ts';
import { checkExpressionSizes, checkRequestShape } from './request-limits.ts';

const PROTOCOL: JsonProtocol = { target: 'DynamoDB_20120810', namespace: 'com.amazonaws.dynamodb.v20120810', queryCompatible: false };

/**
 * The operations the engine (dynalite) serves. Any other is answered here: dynalite's own answer
 * to an unknown operation is an UnknownOperationException without a message.
 */
const OPERATIONS: ReadonlySet<string> = new Set([
  'BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable', 'DescribeTimeToLive', 'GetItem',
  'ListTables', 'PutItem', 'Query', 'Scan', 'TagResource', 'UntagResource', 'ListTagsOfResource', 'UpdateItem', 'UpdateTable',
]);

/** Request headers the engine may care about; the rest (host, connection...) are the endpoint's own. */
const FORWARDED = ['authorization', 'x-amz-date', 'x-amz-security-token'];

export interface DynamoDbApiOptions {
  readonly engine: DynamoDbEngine;
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default "000000000000" */
  readonly accountId?: string;
}

export class DynamoDbApi implements AwsProtocolService {
  readonly name = 'DynamoDB';
  readonly signingName = 'dynamodb';

  constructor(private readonly options: DynamoDbApiOptions) {}

  tableArn(table: string): string {
    return `arn:aws:dynamodb:${this.options.region ?? 'us-east-1'}:${this.options.accountId ?? '000000000000'}:table/${table}`;
  }

  accepts(request: EndpointRequest): boolean {
    return targetOperation(request, PROTOCOL) !== undefined;
  }

  parse(request: EndpointRequest): AwsCall {
    const operation = targetOperation(request, PROTOCOL) ?? '';
    if (!OPERATIONS.has(operation)) throw unknownOperation(operation, 'DynamoDB');
    const input = parseJsonObject(request);
    checkRequestShape(input);
    checkExpressionSizes(input);
    const permissions: Permission[] = tablesOf(operation, input).map((table) => ({ action: `dynamodb:${operation}`, resourceArn: this.tableArn(table) }));
    const headers: Record<string, string> = {};
    for (const name of FORWARDED) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    // An empty body reads as {} here, as for SQS; dynalite would answer a SerializationException without a message.
    const body = request.body.toString('utf8').trim() === '' ? '{}' : request.body;
    return {
      operation,
      permissions,
      run: async () => clipped(await this.options.engine.forward(`${PROTOCOL.target}.${operation}`, body, headers)),
    };
  }

  renderError(error: AwsError): EndpointReply {
    return renderJsonError(error, PROTOCOL);
  }

  accessDenied(message: string): AwsError {
    return new AwsError('AccessDeniedException', message, { namespace: CORAL });
  }

  /** DynamoDB answers every client error 400, a refused credential too. */
  readonly authFailureStatus = 400;
}

/**
 * dynalite quotes a bad value whole in its messages (a table name of 100,000 characters); an error
 * answer keeps its message's start and end, as the endpoint's own errors do. The body changes, so
 * its CRC32 goes.
 */
function clipped(reply: EndpointReply): EndpointReply {
  if (reply.status < 400 || reply.body.length <= 2000) return reply;
  let error: Record<string, unknown>;
  try {
    error = JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return reply;
  }
  const key = typeof error.message === 'string' ? 'message' : 'Message';
  const message = error[key];
  if (typeof message !== 'string' || clipMessage(message) === message) return reply;
  const headers = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => name !== 'x-amz-crc32'));
  return { ...reply, headers, body: JSON.stringify({ ...error, [key]: clipMessage(message) }) };
}

/** The tables a request touches: TableName, the keys of RequestItems (batches), or all (`*`) for listings. */
function tablesOf(operation: string, input: Readonly<Record<string, unknown>>): string[] {
  const single = input['TableName'];
  if (typeof single === 'string') return [single];
  const items = input['RequestItems'];
  if (typeof items === 'object' && items !== null && !Array.isArray(items)) return Object.keys(items);
  if (operation === 'ListTables') return ['*'];
  // Missing TableName: the engine names the validation error.
  return ['*'];
}
