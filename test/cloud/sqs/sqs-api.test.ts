import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { SqliteMessageStore, SqsApi, SqsService } from '../../../src/cloud/sqs/index.ts';
import type { Authorizer } from '../../../src/cloud/core/types.ts';
import { clientConfig, countingIds, FakeClock, post, startEndpoint, withTraceHeader } from '../endpoint/harness.ts';

const TRACE = 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1';

describe('SQS through the AWS SDK', () => {
  let dir: string;
  let clock: FakeClock;
  let sqs: SqsService;
  let endpoint: AwsEndpoint;
  let client: SQSClient;
  let queueUrl: string;

  async function open(authorizer?: Authorizer): Promise<void> {
    sqs = new SqsService({ store: new SqliteMessageStore(join(dir, 'sqs.db')), clock, ids: countingIds() });
    await sqs.start();
    endpoint = await startEndpoint([new SqsApi(sqs)], authorizer);
    client = new SQSClient(clientConfig(endpoint));
  }

  async function close(): Promise<void> {
    client.destroy();
    await endpoint.stop();
    await sqs.stop();
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sqs-test-'));
    clock = new FakeClock();
    await open();
    const dlq = await client.send(new CreateQueueCommand({ QueueName: 'dead-letters' }));
    const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'];
    const created = await client.send(
      new CreateQueueCommand({
        QueueName: 'work',
        Attributes: { VisibilityTimeout: '30', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) },
      }),
    );
    queueUrl = created.QueueUrl ?? '';
  });

  afterEach(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends, receives and deletes a message, with MD5s the SDK checks', async () => {
    const sent = await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello from /prod/a', MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } } }),
    );
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect(received.Messages).toHaveLength(1);
    const message = received.Messages?.[0];
    expect(message?.Body).toBe('hello from /prod/a');
    expect(message?.MessageId).toBe(sent.MessageId);
    expect(message?.MessageAttributes).toEqual({ kind: { DataType: 'String', StringValue: 'greeting' } });
    expect(message?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message?.ReceiptHandle }));
    clock.advance(31);
    const again = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    expect(again.Messages).toBeUndefined();
  });

  it('computes the body MD5 as SQS does', async () => {
    const sent = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'abc' }));
    expect(sent.MD5OfMessageBody).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  it('honours DelaySeconds', async () => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'later', DelaySeconds: 1 }));
    const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    expect(attributes.Attributes?.['ApproximateNumberOfMessagesDelayed']).toBe('1');
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();
    clock.advance(0.999);
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();
    clock.advance(0.001);
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    expect(received.Messages?.[0]?.Body).toBe('later');
  });

  it('hides a received message for the visibility timeout, then redelivers it with a higher receive count', async () => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'retry me' }));
    const first = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    expect(first.Messages?.[0]?.Attributes?.['ApproximateReceiveCount']).toBe('1');
    clock.advance(29);
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();
    const inFlight = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
    expect(inFlight.Attributes).toEqual({ ApproximateNumberOfMessagesNotVisible: '1' });
    clock.advance(1);
    const second = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp'] }));
    expect(second.Messages?.[0]?.Attributes).toEqual({
      ApproximateReceiveCount: '2',
      ApproximateFirstReceiveTimestamp: first.Messages?.[0]?.Attributes?.['ApproximateFirstReceiveTimestamp'],
    });
    expect(second.Messages?.[0]?.ReceiptHandle).not.toBe(first.Messages?.[0]?.ReceiptHandle);
    // The first receipt handle is stale: the delete succeeds but the message stays, as on SQS.
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }));
    await expect(
      client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle, VisibilityTimeout: 0 })),
    ).rejects.toMatchObject({ name: 'MessageNotInflight' });
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: second.Messages?.[0]?.ReceiptHandle, VisibilityTimeout: 0 }));
    const third = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(third.Messages?.[0]?.Attributes?.['ApproximateReceiveCount']).toBe('3');
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const sent = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'poison' }));
    for (let receive = 1; receive <= 3; receive += 1) {
      const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
      expect(received.Messages?.[0]?.Attributes?.['ApproximateReceiveCount']).toBe(String(receive));
      clock.advance(30);
    }
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();
    const dlqUrl = (await client.send(new GetQueueUrlCommand({ QueueName: 'dead-letters' }))).QueueUrl;
    const dead = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, AttributeNames: ['All'] }));
    expect(dead.Messages?.[0]?.MessageId).toBe(sent.MessageId);
    expect(dead.Messages?.[0]?.Body).toBe('poison');
    expect(dead.Messages?.[0]?.Attributes?.['DeadLetterQueueSourceArn']).toBe('arn:aws:sqs:us-east-1:000000000000:work');
    expect(dead.Messages?.[0]?.Attributes?.['ApproximateReceiveCount']).toBe('1');
  });

  it("sets AWSTraceHeader from the sender's X-Amzn-Trace-Id and returns it only when asked", async () => {
    const traced = withTraceHeader(new SQSClient(clientConfig(endpoint)), TRACE);
    await traced.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'traced' }));
    traced.destroy();
    const plain = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['SentTimestamp'] }));
    expect(plain.Messages?.[0]?.Attributes).toEqual({ SentTimestamp: String(clock.millis) });
    clock.advance(30);
    const asked = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['AWSTraceHeader'] }));
    expect(asked.Messages?.[0]?.Attributes).toEqual({ AWSTraceHeader: TRACE });
  });

  it('lets an explicit AWSTraceHeader system attribute win over the header', async () => {
    const traced = withTraceHeader(new SQSClient(clientConfig(endpoint)), TRACE);
    const own = 'Root=1-67891233-000000000000000000000001;Parent=0000000000000001;Sampled=1';
    await traced.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: own } } }),
    );
    traced.destroy();
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    expect(received.Messages?.[0]?.Attributes?.['AWSTraceHeader']).toBe(own);
  });

  it('keeps every message across a restart, in-flight ones visible again after their timeout', async () => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'one' }));
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'two' }));
    const inFlight = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    expect(inFlight.Messages?.[0]?.Body).toBe('one');
    await close();
    await open();
    const afterRestart = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    expect(afterRestart.Messages?.map((m) => m.Body)).toEqual(['two']);
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: afterRestart.Messages?.[0]?.ReceiptHandle }));
    clock.advance(30);
    const later = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(later.Messages?.map((m) => [m.Body, m.Attributes?.['ApproximateReceiveCount']])).toEqual([['one', '2']]);
  });

  it('batches sends and deletes, entry by entry', async () => {
    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          { Id: 'b', MessageBody: 'second', DelaySeconds: 5 },
          { Id: 'c', MessageBody: '' },
        ],
      }),
    );
    expect(sent.Successful?.map((entry) => entry.Id)).toEqual(['a', 'b']);
    expect(sent.Failed).toEqual([expect.objectContaining({ Id: 'c', SenderFault: true, Code: 'InvalidParameterValue' })]);
    clock.advance(5);
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    expect(received.Messages?.map((m) => m.Body)).toEqual(['first', 'second']);
    const deleted = await client.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: (received.Messages ?? []).map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })) }),
    );
    expect(deleted.Successful).toHaveLength(2);
    clock.advance(30);
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();
  });

  it('long-polls until a message arrives', async () => {
    const polling = client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sqs.sendMessage(queueUrl, 'arrived');
    const started = performance.now();
    const received = await polling;
    expect(received.Messages?.[0]?.Body).toBe('arrived');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('ends a long poll with no messages when the service stops', async () => {
    const polling = sqs.receive(queueUrl, { waitSeconds: 20 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    await close();
    expect(await polling).toEqual([]);
    expect(performance.now() - started).toBeLessThan(500);
    await open();
  });

  it('lists, finds and purges queues', async () => {
    expect((await client.send(new ListQueuesCommand({}))).QueueUrls).toEqual([
      'https://sqs.us-east-1.amazonaws.com/000000000000/dead-letters',
      queueUrl,
    ]);
    expect((await client.send(new ListQueuesCommand({ QueueNamePrefix: 'wo' }))).QueueUrls).toEqual([queueUrl]);
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'gone soon' }));
    await client.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();
  });

  it('answers a missing queue with QueueDoesNotExist', async () => {
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
      message: 'The specified queue does not exist: nope',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new SendMessageCommand({ QueueUrl: `${queueUrl}-x`, MessageBody: 'x' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });

  it('speaks the Query protocol to a form signed for sqs, as API Gateway integrations and older SDKs send it', async () => {
    const authorization = 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0';
    const form = async (path: string, body: string, accept?: string): Promise<{ status: number; text: string }> => {
      const response = await fetch(`${endpoint.url}${path}`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', ...(accept !== undefined ? { accept } : {}) },
        body,
      });
      return { status: response.status, text: await response.text() };
    };
    const queuePath = new URL(queueUrl).pathname;
    // The queue URL as the path, as `path/<account>/<queue>` integrations post.
    const sent = await form(queuePath, 'Action=SendMessage&MessageBody=hi+there&MessageAttribute.1.Name=color&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=red');
    expect(sent.status).toBe(200);
    expect(sent.text).toMatch(/^<\?xml version="1.0"\?>\n<SendMessageResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><SendMessageResult>.*<MessageId>[^<]+<\/MessageId>.*<\/SendMessageResult><ResponseMetadata><RequestId>/s);
    expect(sent.text).toContain(`<MD5OfMessageBody>${md5('hi there')}</MD5OfMessageBody>`);

    const received = await form('/', `Action=ReceiveMessage&QueueUrl=${encodeURIComponent(queueUrl)}&MaxNumberOfMessages=10&MessageAttributeName.1=All`, 'application/json');
    expect(received.status).toBe(200);
    const messages = (JSON.parse(received.text) as { ReceiveMessageResponse: { ReceiveMessageResult: { Messages: Array<Record<string, unknown>> } } })
      .ReceiveMessageResponse.ReceiveMessageResult.Messages;
    expect(messages).toEqual([expect.objectContaining({ Body: 'hi there', MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } } })]);

    const batch = await form(queuePath, 'Action=SendMessageBatch&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one' +
      '&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two&SendMessageBatchRequestEntry.2.DelaySeconds=0' +
      '&SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=n&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=Number&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=2');
    expect(batch.status).toBe(200);
    expect(batch.text).toMatch(/<SendMessageBatchResult><SendMessageBatchResultEntry><Id>a<\/Id>.*<SendMessageBatchResultEntry><Id>b<\/Id>.*<\/SendMessageBatchResult>/s);
    const two = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect(two.Messages?.map((message) => [message.Body, message.MessageAttributes?.['n']?.StringValue])).toEqual([['one', undefined], ['two', '2']]);

    const missing = await form(queuePath, 'Action=SendMessage');
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('<Error><Type>Sender</Type><Code>MissingParameter</Code>');
    const unknown = await form('/', 'Action=Frobnicate', 'application/json');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text)).toMatchObject({ Error: { Code: 'InvalidAction' } });
  });

  it('answers malformed requests with errors that name the problem', async () => {
    const missing = await post(endpoint, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' }, '{"MessageBody":"x"}');
    expect(missing.status).toBe(400);
    expect(missing.headers.get('x-amzn-query-error')).toBe('MissingParameter;Sender');
    expect(JSON.parse(missing.text)).toEqual({ __type: 'com.amazonaws.sqs#MissingParameter', message: 'The request must contain the parameter QueueUrl.' });

    const badJson = await post(endpoint, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' }, '{"QueueUrl": ');
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.text)).toMatchObject({ __type: 'com.amazon.coral.service#SerializationException', message: expect.stringContaining('not valid JSON') });

    const unknown = await post(endpoint, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.Frobnicate' }, '{}');
    expect(JSON.parse(unknown.text)).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException', message: 'SQS has no operation "Frobnicate" here.' });
    // Names of Object.prototype's members are not operations either (they were a 500).
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const inherited = await post(endpoint, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${name}` }, '{}');
      expect(inherited.status, name).toBe(400);
      expect(JSON.parse(inherited.text), name).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException', message: `SQS has no operation "${name}" here.` });
    }

    const reply = async (operation: string, body: string | Buffer): Promise<unknown> =>
      JSON.parse((await post(endpoint, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}` }, body)).text);
    // A body that is not UTF-8 is refused, not sent on with replacement characters.
    const latin1 = Buffer.from(JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'caf\u00e9' }), 'latin1');
    expect(await reply('SendMessage', latin1)).toEqual({ __type: 'com.amazon.coral.service#SerializationException', message: 'The request body is not valid UTF-8.' });
    // Entries and attribute values that are not objects are refused, naming where they are.
    expect(await reply('SendMessageBatch', JSON.stringify({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'x' }, true] })))
      .toEqual({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'Entries[1] must be an object, got true.' });
    expect(await reply('SendMessageBatch', JSON.stringify({ QueueUrl: queueUrl, Entries: [{ Id: 'a' }] })))
      .toEqual({ Successful: [], Failed: [{ Id: 'a', SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter Entries[0].MessageBody.' }] });
    expect(await reply('SendMessage', JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes: { team: 'orders' } })))
      .toEqual({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'MessageAttributes.team must be an object, got "orders".' });
    // A value nested thousands deep is described, not written out (that overflowed the stack: a 500).
    const deep = `{"QueueUrl":${JSON.stringify(queueUrl)},"MaxNumberOfMessages":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`;
    expect(await reply('ReceiveMessage', deep)).toEqual({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'MaxNumberOfMessages must be an integer, got an object.' });
    // Empty names are shown as such, and a long operation name by its start.
    expect(await reply('GetQueueUrl', '{"QueueName":""}')).toMatchObject({ message: 'The specified queue does not exist: (an empty QueueUrl or QueueName)' });
    expect(await reply('GetQueueAttributes', JSON.stringify({ QueueUrl: queueUrl, AttributeNames: [''] }))).toMatchObject({ message: 'Unknown Attribute "" (an empty name).' });
    expect(await reply('x'.repeat(5000), '{}')).toMatchObject({ message: `SQS has no operation "${'x'.repeat(100)}..." here.` });

    const badHandle = await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: 'not-a-handle' })).catch((error: unknown) => error);
    expect(badHandle).toMatchObject({ name: 'ReceiptHandleIsInvalid', $metadata: { httpStatusCode: 404 } });

    await expect(client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', DelaySeconds: 901 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('DelaySeconds'),
    });
  });

  it('answers AccessDenied when IAM denies the call', async () => {
    await close();
    const asked: string[] = [];
    await open({
      authorize: (principal, action, resource) => {
        asked.push(`${principal.accessKeyId} ${action} ${resource}`);
        return action === 'sqs:SendMessage' ? { allowed: false, reason: 'no identity-based policy allows the sqs:SendMessage action' } : { allowed: true };
      },
    });
    await expect(client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'x' }] }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message:
        'User: access key AKIDTEST is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:000000000000:work because no identity-based policy allows the sqs:SendMessage action',
      $metadata: { httpStatusCode: 403 },
    });
    await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    expect(asked).toEqual([
      'AKIDTEST sqs:SendMessage arn:aws:sqs:us-east-1:000000000000:work',
      'AKIDTEST sqs:ReceiveMessage arn:aws:sqs:us-east-1:000000000000:work',
    ]);
  });

  describe('limits', () => {
    it('refuses a SendMessageBatch over 1 MiB in all with BatchRequestTooLong, and takes one of 1 MiB', async () => {
      await client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { MaximumMessageSize: '1048576' } }));
      const entries = (bodyBytes: number) => Array.from({ length: 4 }, (_, index) => ({ Id: `m${index}`, MessageBody: 'x'.repeat(bodyBytes) }));
      const fits = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries(262_144) }));
      expect(fits.Successful).toHaveLength(4);
      await expect(client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries(262_145) }))).rejects.toMatchObject({
        name: 'BatchRequestTooLong',
        message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048580 bytes.',
      });
    });

    it('holds a message to its queue’s MaximumMessageSize, settable from 1,024 to 1,048,576 bytes', async () => {
      await expect(client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x'.repeat(262_145) }))).rejects.toMatchObject({
        name: 'InvalidParameterValue',
        message: expect.stringContaining('Message must be shorter than 262144 bytes'),
      });
      await client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { MaximumMessageSize: '1048576' } }));
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x'.repeat(1_048_576) }));
      for (const value of ['1023', '1048577', '99999999999999']) {
        await expect(client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { MaximumMessageSize: value } }))).rejects.toMatchObject({
          name: 'InvalidAttributeValue',
        });
      }
    });

    it('refuses more than 10 message attributes and names SQS refuses', async () => {
      const attributes = (count: number, name = (index: number) => `a${index}`) =>
        Object.fromEntries(Array.from({ length: count }, (_, index) => [name(index), { DataType: 'String', StringValue: 'v' }]));
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'ten', MessageAttributes: attributes(10) }));
      await expect(client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'eleven', MessageAttributes: attributes(11) }))).rejects.toMatchObject({
        name: 'InvalidParameterValue',
        message: 'Number of message attributes [11] exceeds the allowed maximum [10].',
      });
      for (const [name, message] of [
        ['AWS.reserved', "Message attribute names starting with 'AWS.' or 'Amazon.' are reserved for use by Amazon."],
        ['a b', "Invalid non-alphanumeric character '#x20' was found in the message attribute name."],
        ['a..b', "Message attribute name can not have successive '.' characters."],
        ['.a', "Invalid message attribute name starting with character '.' was found."],
      ] as const) {
        await expect(client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm', MessageAttributes: attributes(1, () => name) }))).rejects.toMatchObject({
          name: 'InvalidParameterValue',
          message: expect.stringContaining(message),
        });
      }
    });
  });
});

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
