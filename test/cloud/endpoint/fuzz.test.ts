/**
 * The local cloud's AWS endpoint under seeded malformed requests, protocol by protocol: SQS
 * (awsJson1_0, query-compatible errors), DynamoDB (awsJson1_0, dynalite behind) and SNS (awsQuery,
 * XML errors). Every refusal is a 4xx in the protocol's own error shape naming the problem, never
 * a 5xx or a hang; afterwards each protocol still works and what was stored before is still there.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LocalAws } from '../../../src/cloud/endpoint/index.ts';
import {
  badForm, badJsonBody, extremeValue, Fuzz, jsonText, pathsOf, preview, Raw, send, sendRawText, showPath, withMember, type BadBody, type BadForm, type FuzzValue, type RawResponse,
} from '../../support/fuzz.ts';
import { dynamodbInputs, snsInputs, sqsInputs, type AwsNames } from '../../support/aws-requests.ts';
import { capturingLogger, OUTSIDE_AUTHORIZATION, type CapturedLogger } from './harness.ts';
import { cloudModel, queueArn, queueResource, resource, topicArn } from './model.ts';

const CASES_PER_OPERATION = 10;
const JSON_1_0 = 'application/x-amz-json-1.0';
const FORM = 'application/x-www-form-urlencoded';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/000000000000/work';
const KEPT_QUEUE = 'https://sqs.us-east-1.amazonaws.com/000000000000/kept';
const TOPIC = topicArn('events');

const model = cloudModel([
  resource('Stack', 'Topic', 'AWS::SNS::Topic', {}, TOPIC),
  queueResource('Stack', 'Queue', 'work'),
  queueResource('Stack', 'Kept', 'kept'),
  resource('Stack', 'Table', 'AWS::DynamoDB::Table', {
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  }, 'Items'),
]);

let aws: LocalAws;
let logger: CapturedLogger;
/** A receipt handle of a message in flight on `work`, for the operations that take one. */
let handle = '';

async function call(headers: Record<string, string>, body: Buffer | string): Promise<RawResponse> {
  // Signed as the user's own SDK would: the parsers behind authentication are what is fuzzed.
  return send(aws.url, { path: '/', headers: { authorization: OUTSIDE_AUTHORIZATION, ...headers }, body });
}

async function sqs(operation: string, input: FuzzValue): Promise<RawResponse> {
  return call({ 'content-type': JSON_1_0, 'x-amz-target': `AmazonSQS.${operation}` }, jsonText(input));
}

async function dynamodb(operation: string, input: FuzzValue): Promise<RawResponse> {
  return call({ 'content-type': JSON_1_0, 'x-amz-target': `DynamoDB_20120810.${operation}` }, jsonText(input));
}

async function sns(params: Record<string, string>): Promise<RawResponse> {
  return call({ 'content-type': FORM }, new URLSearchParams({ Version: '2010-03-31', ...params }).toString());
}

async function inFlightHandle(): Promise<string> {
  await sqs('SendMessage', { QueueUrl: QUEUE, MessageBody: 'for a handle' });
  const received = JSON.parse((await sqs('ReceiveMessage', { QueueUrl: QUEUE, MaxNumberOfMessages: 1, VisibilityTimeout: 60 })).body.toString('utf8')) as
    { Messages?: Array<{ ReceiptHandle: string }> };
  return received.Messages?.[0]?.ReceiptHandle ?? '';
}

interface Operation<Input> {
  readonly valid: (i: number) => Input;
  readonly before?: (i: number) => Promise<void>;
}

let subscription = '';
const NAMES: AwsNames = {
  queueUrl: QUEUE, queueName: 'work', queueArn: queueArn('work'), tableName: 'Items', tableKey: 'pk', topicArn: TOPIC,
  receiptHandle: () => handle, subscriptionArn: () => subscription, doomedTopicArn: (i) => topicArn(`doomed-${i}`),
};

function operations<Input>(inputs: Readonly<Record<string, (i: number) => Input>>, setup: Readonly<Record<string, Omit<Operation<Input>, 'valid'>>> = {}): Record<string, Operation<Input>> {
  return Object.fromEntries(Object.entries(inputs).map(([name, valid]) => [name, { valid, ...setup[name] }]));
}

const takesHandle = { before: async () => void (handle = await inFlightHandle()) };
const SQS = operations(sqsInputs(NAMES), {
  DeleteMessage: takesHandle, DeleteMessageBatch: takesHandle, ChangeMessageVisibility: takesHandle, ChangeMessageVisibilityBatch: takesHandle,
});

const DYNAMODB = operations(dynamodbInputs(NAMES));

const SNS = operations(snsInputs(NAMES), {
  Unsubscribe: {
    before: async () => {
      const reply = await sns({ Action: 'Subscribe', TopicArn: TOPIC, Protocol: 'sqs', Endpoint: queueArn('work') });
      subscription = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(reply.body.toString('utf8'))?.[1] ?? '';
    },
  },
  DeleteTopic: { before: async (i) => void (await sns({ Action: 'CreateTopic', Name: `doomed-${i}` })) },
});

/** awsJson1_0's error: `{"__type": "<namespace>#<Code>", "message"}`; returns the message. */
function expectJsonError(response: RawResponse, label: string, queryCompatible: boolean): string {
  const text = response.body.toString('utf8');
  expect(response.status, `${label}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(response.headers['content-type'], label).toBe(JSON_1_0);
  const body = JSON.parse(text) as { __type?: unknown; message?: unknown; Message?: unknown };
  expect(body.__type, label).toMatch(/^[\w.]+#\w+$/);
  if (queryCompatible) expect(response.headers['x-amzn-query-error'], label).toMatch(/^[\w.]+;Sender$/);
  // The SDKs read either spelling; dynalite writes `Message` for some errors, as DynamoDB does.
  const message = body.message ?? body.Message;
  expect(typeof message === 'string' && message.length > 0, `${label}: a message in ${text.slice(0, 300)}`).toBe(true);
  expect((message as string).length, `${label}: ${text.slice(0, 300)}`).toBeLessThan(1100);
  return `${String(body.__type)}: ${String(message)}`;
}

/** awsQuery's XML error; returns the message. */
function expectQueryError(response: RawResponse, label: string): string {
  const text = response.body.toString('utf8');
  expect(response.status, `${label}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(response.headers['content-type'], label).toBe('text/xml');
  const match = /^<\?xml version="1.0"\?>\n<ErrorResponse xmlns="[^"]+"><Error><Type>Sender<\/Type><Code>(\w+)<\/Code><Message>([^<]+)<\/Message><\/Error><RequestId>[\w-]+<\/RequestId><\/ErrorResponse>$/.exec(text);
  expect(match, `${label}: ${text.slice(0, 300)}`).not.toBeNull();
  expect(match?.[2]?.length, `${label}: ${text.slice(0, 300)}`).toBeLessThan(1000);
  return match?.[2] ?? '';
}

/**
 * `message` is `<__type>: <message>`. `ownWordsOnly`: DynamoDB's messages are dynalite's, in
 * DynamoDB's own wording, which names the member (`Value null at 'tableName'`) or only the kind of
 * problem ("Supplied AttributeValue is empty", "Unexpected value type in payload"); the member is
 * required only of the endpoint's own refusals.
 */
function expectJsonNamesProblem(bad: BadBody, message: string, label: string, ownWordsOnly = false): void {
  if (bad.kind === 'not-json') expect(message, label).toMatch(/not valid JSON/);
  else if (bad.kind === 'not-object') expect(message, label).toMatch(/must be a JSON object/);
  else if (bad.kind === 'invalid-utf8') expect(message, label).toMatch(/not valid UTF-8/);
  else if (bad.path !== undefined && !ownWordsOnly) {
    const names = bad.path.filter((key): key is string => typeof key === 'string');
    const text = bad.value instanceof Raw && bad.value.text.startsWith('"') ? (JSON.parse(bad.value.text) as string) : bad.value;
    const value = typeof text === 'string' ? text.slice(0, 30) : undefined;
    // dynalite writes members in lower camel case (`tableName`).
    // In any case, with or without spaces: dynalite writes `tableName`, SQS "message body".
    const loose = (text: string): string => text.toLowerCase().replace(/\s/g, '');
    // ... or in the singular: "at least one entry" for Entries.
    const singular = (name: string): string => loose(name).replace(/ies$/, 'y').replace(/s$/, '');
    const quoted = value !== undefined && (value === '' ? message.includes('""') : message.includes(value));
    const named = names.some((name) => loose(message).includes(loose(name)) || loose(message).includes(singular(name))) || quoted;
    expect(named, `${label}: the message names one of ${names.join(', ')}: ${message}`).toBe(true);
  }
}

function expectFormNamesProblem(bad: BadForm, message: string, label: string): void {
  if (bad.kind === 'no-action') expect(message, label).toContain('Action');
  else if (bad.kind === 'bad-action') expect(message, label).toMatch(/^The action .* is not valid for SNS here\.$|Action/);
  else if (bad.kind === 'invalid-utf8' || bad.kind === 'bad-escape') expect(message, label).toMatch(/UTF-8|percent/);
  else if (bad.name !== undefined && (bad.kind === 'missing' || bad.kind === 'bad-value')) {
    // The parameter, or the thing it names (`Topic ... does not exist`).
    const name = (bad.name.split('.')[0] ?? bad.name).toLowerCase();
    expect(message.toLowerCase().includes(name) || /does not exist|Topic|Subscription|Message|Protocol|Endpoint|Attribute/i.test(message), `${label}: ${message}`).toBe(true);
  }
}

beforeAll(async () => {
  logger = capturingLogger();
  aws = new LocalAws({ model, lambda: { invoke: async () => ({ statusCode: 200 }) }, port: 0, logger });
  await aws.start();
  for (let i = 0; i < 5; i++) {
    expect((await sqs('SendMessage', { QueueUrl: KEPT_QUEUE, MessageBody: `kept ${i}` })).status).toBe(200);
    expect((await dynamodb('PutItem', { TableName: 'Items', Item: { pk: { S: `kept-${i}` }, n: { N: String(i) } } })).status).toBe(200);
  }
});

afterAll(() => aws?.stop());

describe('the local AWS endpoint under malformed requests', () => {
  test('SQS: malformed JSON requests get a query-compatible JSON error naming the problem, never a 5xx', async () => {
    for (const [index, [operation, { valid, before }]] of Object.entries(SQS).entries()) {
      const fuzz = new Fuzz(2000 + index);
      for (let i = 0; i < CASES_PER_OPERATION; i++) {
        await before?.(i);
        const bad = badJsonBody(fuzz, valid(i));
        const label = `seed ${2000 + index} case ${i}: ${operation} ${bad.label}`;
        const response = await call({ ...(bad.contentType === '' ? {} : { 'content-type': bad.contentType }), 'x-amz-target': `AmazonSQS.${operation}` }, bad.body);
        expect(response.status, `${label}: ${response.body.toString('utf8').slice(0, 300)}`).toBeLessThan(500);
        if (response.status >= 400) expectJsonNamesProblem(bad, expectJsonError(response, label, true), label);
        else expect(['not-json', 'not-object', 'invalid-utf8'], label).not.toContain(bad.kind);
      }
    }
  });

  test('DynamoDB: malformed JSON requests get a JSON error naming the problem, never a 5xx', async () => {
    for (const [index, [operation, { valid }]] of Object.entries(DYNAMODB).entries()) {
      const fuzz = new Fuzz(3000 + index);
      for (let i = 0; i < CASES_PER_OPERATION; i++) {
        const bad = badJsonBody(fuzz, valid(i));
        const label = `seed ${3000 + index} case ${i}: ${operation} ${bad.label}`;
        const response = await call({ ...(bad.contentType === '' ? {} : { 'content-type': bad.contentType }), 'x-amz-target': `DynamoDB_20120810.${operation}` }, bad.body);
        expect(response.status, `${label}: ${response.body.toString('utf8').slice(0, 300)}`).toBeLessThan(500);
        if (response.status >= 400) expectJsonNamesProblem(bad, expectJsonError(response, label, false), label, true);
        else expect(['not-json', 'not-object', 'invalid-utf8'], label).not.toContain(bad.kind);
      }
    }
  });

  test('SQS and DynamoDB: a deep array, a huge number or an extreme value in every member is a 4xx or an answer, never a 5xx', async () => {
    const fuzz = new Fuzz(2500);
    const operations: Array<[string, string, FuzzValue, boolean]> = [
      ...(['SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'SetQueueAttributes', 'CreateQueue'] as const)
        .map((name): [string, string, FuzzValue, boolean] => [`AmazonSQS.${name}`, name, (SQS[name] as Operation<FuzzValue>).valid(9000), true]),
      ...(['PutItem', 'UpdateItem', 'Query', 'BatchWriteItem'] as const)
        .map((name): [string, string, FuzzValue, boolean] => [`DynamoDB_20120810.${name}`, name, (DYNAMODB[name] as Operation<FuzzValue>).valid(9000), false]),
    ];
    for (const [target, operation, valid, queryCompatible] of operations) {
      for (const member of pathsOf(valid)) {
        for (const value of [new Raw(`${'['.repeat(6000)}${']'.repeat(6000)}`), new Raw('1e308'), extremeValue(fuzz)]) {
          const label = `seed 2500: ${operation} ${showPath(member)} = ${preview(value)}`;
          const response = await call({ 'content-type': JSON_1_0, 'x-amz-target': target }, jsonText(withMember(valid, member, value)));
          expect(response.status, `${label}: ${response.body.toString('utf8').slice(0, 300)}`).toBeLessThan(500);
          if (response.status >= 400) expectJsonError(response, label, queryCompatible);
        }
      }
    }
  });

  test('SNS: malformed Query forms get an XML error naming the problem, never a 5xx', async () => {
    for (const [index, [action, { valid, before }]] of Object.entries(SNS).entries()) {
      const fuzz = new Fuzz(4000 + index);
      for (let i = 0; i < CASES_PER_OPERATION; i++) {
        await before?.(i);
        const bad = badForm(fuzz, valid(i));
        const label = `seed ${4000 + index} case ${i}: ${action} ${bad.label}`;
        const response = await call({ 'content-type': FORM }, bad.body);
        expect(response.status, `${label}: ${response.body.toString('utf8').slice(0, 300)}`).toBeLessThan(500);
        if (response.status >= 400) expectFormNamesProblem(bad, expectQueryError(response, label), label);
        else expect(['no-action', 'bad-action', 'invalid-utf8', 'bad-escape', 'empty', 'not-a-form'], label).not.toContain(bad.kind);
      }
    }
  });

  test('bad X-Amz-Target values, unknown operations and requests no service takes: a 4xx naming what was expected', async () => {
    const targets = [
      'AmazonSQS', 'AmazonSQS.', 'AmazonSQS.sendmessage', 'AmazonSQS.SendMessage.Extra', 'amazonsqs.SendMessage', 'AmazonSQS.constructor',
      'DynamoDB_20120810.', 'DynamoDB_20120810.Frobnicate', 'DynamoDB_20120810.toString', 'DynamoDB_20111205.GetItem', 'DynamoDB_20120810.TransactWriteItems',
      '', ' ', '.', `AmazonSQS.${'x'.repeat(5000)}`, 'AmazonSNS.Publish',
    ];
    for (const target of targets) {
      const label = `X-Amz-Target ${JSON.stringify(target.slice(0, 40))}`;
      const response = await call({ 'content-type': JSON_1_0, 'x-amz-target': target }, '{}');
      const message = expectJsonError(response, label, target.startsWith('AmazonSQS.'));
      expect(message, label).toMatch(/has no operation|names no service|is not run by this local endpoint|is in no protocol/);
    }
    for (const [headers, body] of [
      [{ 'content-type': 'text/plain' }, 'Action=Publish'],
      [{}, '{}'],
      [{ 'content-type': 'application/json' }, '{"Action":"Publish"}'],
    ] as Array<[Record<string, string>, string]>) {
      const response = await call(headers, body);
      expect(expectJsonError(response, JSON.stringify(headers), false)).toMatch(/names no service|is in no protocol SNS speaks here/);
    }
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await send(aws.url, { method, path: '/', headers: { 'content-type': FORM }, body: method === 'GET' ? undefined : 'Action=ListTopics' });
      expect(response.status, method).toBeGreaterThanOrEqual(400);
      expect(response.status, method).toBeLessThan(500);
    }
  });

  test('a request target that is not a URL is a 400, not a connection cut without an answer', async () => {
    const answer = await sendRawText('127.0.0.1', aws.endpoint.port,
      'POST http://[bad/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AmazonSQS.ListQueues\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer).toContain('is not a valid request target');
  });

  test('huge counts, deep values and long expressions: a 4xx within the deadline, never a 5xx or a stopped process', async () => {
    const fuzz = new Fuzz(5000);
    for (let i = 0; i < 4; i++) {
      // SNS: thousands of attribute entries, parsed in linear time and cut off at 256 KB.
      const count = 1000 + fuzz.int(15_000);
      const valueChars = 1 + fuzz.int(300);
      const form = new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', TopicArn: TOPIC, Message: 'm' });
      let publishBytes = 1;
      for (let n = 1; n <= count; n++) {
        publishBytes += `a${n}`.length + 'String'.length + valueChars;
        form.append(`MessageAttributes.entry.${n}.Name`, `a${n}`);
        form.append(`MessageAttributes.entry.${n}.Value.DataType`, 'String');
        form.append(`MessageAttributes.entry.${n}.Value.StringValue`, 'v'.repeat(valueChars));
      }
      const label = `seed 5000 case ${i}: Publish with ${count} attributes of ${valueChars} characters`;
      const published = await call({ 'content-type': FORM }, form.toString());
      if (publishBytes > 262_144) expect(expectQueryError(published, label), label).toContain('Message too long');
      else expect(published.status, label).toBe(200);

      // SQS: a map of thousands of message attributes is refused by its count.
      const attributes = Object.fromEntries(Array.from({ length: 11 + fuzz.int(50_000) }, (_, n) => [`a${n}`, { DataType: 'String', StringValue: 'v' }]));
      const sent = await sqs('SendMessage', { QueueUrl: QUEUE, MessageBody: 'm', MessageAttributes: attributes });
      expect(expectJsonError(sent, `seed 5000 case ${i}: SendMessage`, true)).toMatch(/Number of message attributes/);

      // DynamoDB: values nested past any depth DynamoDB takes, and expressions past 4 KB.
      const depth = 100 + fuzz.int(20_000);
      const deep = `${'{"L":['.repeat(depth)}{"S":"x"}${']}'.repeat(depth)}`;
      const put = await call({ 'content-type': JSON_1_0, 'x-amz-target': 'DynamoDB_20120810.PutItem' }, `{"TableName":"Items","Item":{"pk":{"S":"deep"},"v":${deep}}}`);
      expect(expectJsonError(put, `seed 5000 case ${i}: PutItem ${depth} deep`, false)).toMatch(/Nesting Levels/);
      const clauses = 200 + fuzz.int(20_000);
      const expression = `SET ${Array.from({ length: clauses }, (_, n) => `a${n} = :v`).join(', ')}`;
      const updated = await dynamodb('UpdateItem', { TableName: 'Items', Key: { pk: { S: 'e' } }, UpdateExpression: expression, ExpressionAttributeValues: { ':v': { S: 'x' } } });
      expect(expectJsonError(updated, `seed 5000 case ${i}: UpdateItem of ${clauses} clauses`, false)).toMatch(/Expression size has exceeded/);
    }
    // A declared length past every service's limit is refused before a byte of it is read.
    const answer = await sendRawText('127.0.0.1', aws.endpoint.port,
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AmazonSQS.ListQueues\r\nContent-Type: ${JSON_1_0}\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n{}`);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
  }, 60_000);

  test('afterwards every protocol still works and what was stored before is still there', async () => {
    const kept = JSON.parse((await sqs('ReceiveMessage', { QueueUrl: KEPT_QUEUE, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 })).body.toString('utf8')) as
      { Messages: Array<{ Body: string }> };
    expect(kept.Messages.map((message) => message.Body).sort()).toEqual(['kept 0', 'kept 1', 'kept 2', 'kept 3', 'kept 4']);
    for (let i = 0; i < 5; i++) {
      const item = JSON.parse((await dynamodb('GetItem', { TableName: 'Items', Key: { pk: { S: `kept-${i}` } } })).body.toString('utf8')) as { Item: unknown };
      expect(item.Item).toEqual({ pk: { S: `kept-${i}` }, n: { N: String(i) } });
    }
    expect((await sqs('SendMessage', { QueueUrl: QUEUE, MessageBody: 'after' })).status).toBe(200);
    expect((await dynamodb('PutItem', { TableName: 'Items', Item: { pk: { S: 'after' } } })).status).toBe(200);
    const published = await sns({ Action: 'Publish', TopicArn: TOPIC, Message: 'after' });
    expect(published.status, published.body.toString('utf8')).toBe(200);
    expect(logger.lines.filter((line) => line.startsWith('error'))).toEqual([]);
  });
});
