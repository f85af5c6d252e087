import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, test } from 'vitest';
import { topicArn } from './model.ts';

const CHILD = join(import.meta.dirname, 'support', 'local-aws-process.ts');
const QUEUE_URL = (name: string): string => `https://sqs.us-east-1.amazonaws.com/000000000000/${name}`;
const dirs: string[] = [];
const children: Array<{ kill(signal: NodeJS.Signals): void }> = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Running {
  readonly url: string;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<NodeJS.Signals | null>;
}

/** The endpoint in its own process on `dataDirectory`, once it answers (bounded). */
async function start(dataDirectory: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDirectory], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the endpoint never got ready: ${output}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /ready (\S+)/.exec(output);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    void exited.then(() => reject(new Error(`the endpoint exited early: ${output}`)));
  });
  return {
    url,
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

function config(url: string) {
  return { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'any' }, maxAttempts: 1 };
}

/** Every body in the queue (visible ones; nothing here receives before the check). */
async function drain(sqs: SQSClient, queue: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let round = 0; round < 20; round++) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: QUEUE_URL(queue), MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
    if (Messages.length === 0) break;
    bodies.push(...Messages.map((message) => message.Body ?? ''));
  }
  return bodies.sort();
}

describe('kill -9 of the AWS endpoint right after its acknowledgements', () => {
  test('SQS sends, SNS publishes (to every subscriber) and DynamoDB writes answered before the kill are there after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'endpoint-kill-'));
    dirs.push(dir);
    const first = await start(join(dir, 'data'));
    const sqs = new SQSClient(config(first.url));
    const sns = new SNSClient(config(first.url));
    const ddb = new DynamoDBClient(config(first.url));
    const sent: string[] = [];
    const published: string[] = [];
    for (let i = 0; i < 5; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl: QUEUE_URL('work'), MessageBody: `single ${i}` }));
      sent.push(`single ${i}`);
    }
    const batch = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `batch ${i}` }));
    const batchResult = await sqs.send(new SendMessageBatchCommand({ QueueUrl: QUEUE_URL('work'), Entries: batch }));
    expect(batchResult.Failed ?? []).toEqual([]);
    sent.push(...batch.map((entry) => entry.MessageBody));
    for (let i = 0; i < 5; i++) {
      await sns.send(new PublishCommand({ TopicArn: topicArn('events'), Message: `published ${i}` }));
      published.push(`published ${i}`);
    }
    await ddb.send(new PutItemCommand({ TableName: 'Hits', Item: { path: { S: '/put' }, note: { S: 'kept' } } }));
    for (let i = 0; i < 5; i++) {
      await ddb.send(new UpdateItemCommand({ TableName: 'Hits', Key: { path: { S: '/counted' } }, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    }
    // The last acknowledgement is in: kill at once, no chance to close a store.
    expect(await first.kill()).toBe('SIGKILL');
    for (const client of [sqs, sns, ddb]) client.destroy();

    const second = await start(join(dir, 'data'));
    const reader = new SQSClient(config(second.url));
    const tables = new DynamoDBClient(config(second.url));
    expect(await drain(reader, 'work')).toEqual([...sent].sort());
    expect(await drain(reader, 'subscriber-a')).toEqual([...published].sort());
    // Not raw: each body is the SNS envelope around the message.
    const enveloped = (await drain(reader, 'subscriber-b')).map((body) => (JSON.parse(body) as { Message: string }).Message);
    expect(enveloped.sort()).toEqual([...published].sort());
    const put = await tables.send(new GetItemCommand({ TableName: 'Hits', Key: { path: { S: '/put' } }, ConsistentRead: true }));
    expect(put.Item).toEqual({ path: { S: '/put' }, note: { S: 'kept' } });
    const counted = await tables.send(new GetItemCommand({ TableName: 'Hits', Key: { path: { S: '/counted' } }, ConsistentRead: true }));
    expect(counted.Item?.['hits']).toEqual({ N: '5' });
    reader.destroy();
    tables.destroy();
    await second.kill();
  }, 60_000);
});
