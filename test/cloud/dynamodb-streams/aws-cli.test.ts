/** `aws dynamodbstreams ... --endpoint-url`: the AWS CLI (botocore's model) reads the local streams. */
import { spawnSync } from 'node:child_process';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStreamsApi } from '../../../src/cloud/dynamodb-streams/streams-api.ts';
import { runProcess } from '../../support/run-process.ts';
import type { StreamsHarness } from './support.ts';
import { startStreams, streamTableModel, TABLE, TEMPLATE_STREAM_ARN } from './support.ts';

const CLI_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '', AWS_DEFAULT_OUTPUT: 'json',
};
for (const key of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE'] as const) delete CLI_ENV[key];
const missing = spawnSync('aws', ['--version'], { encoding: 'utf8', env: CLI_ENV }).status !== 0;

describe.skipIf(missing)('aws dynamodbstreams against the endpoint', () => {
  let h: StreamsHarness;
  beforeAll(async () => {
    h = await startStreams(streamTableModel(), (_capturing, store, clock) => [new DynamoDbStreamsApi({ store, clock })]);
    await h.client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'from-sdk' } } }));
  });
  afterAll(async () => {
    await h.close();
  });

  const cli = async (...args: string[]): Promise<Record<string, unknown>> => {
    const run = await runProcess('aws', ['dynamodbstreams', ...args, '--endpoint-url', h.endpoint.url, '--region', 'us-east-1'], { env: CLI_ENV, deadlineMs: 30_000, failAfterDeadline: 'aws' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };

  it('lists, describes, takes an iterator and reads the record', async () => {
    const listed = await cli('list-streams', '--table-name', TABLE);
    expect(listed['Streams']).toEqual([{ StreamArn: TEMPLATE_STREAM_ARN, TableName: TABLE, StreamLabel: '1970-01-01T00:00:00.000' }]);
    const described = await cli('describe-stream', '--stream-arn', TEMPLATE_STREAM_ARN) as { StreamDescription: { Shards: Array<{ ShardId: string }> } };
    const shardId = described.StreamDescription.Shards[0]?.ShardId ?? '';
    const { ShardIterator } = await cli('get-shard-iterator', '--stream-arn', TEMPLATE_STREAM_ARN, '--shard-id', shardId, '--shard-iterator-type', 'TRIM_HORIZON') as { ShardIterator: string };
    const records = await cli('get-records', '--shard-iterator', ShardIterator) as { Records: Array<{ eventName: string; dynamodb: { NewImage: unknown } }>; NextShardIterator?: string };
    expect(records.Records.map((record) => [record.eventName, record.dynamodb.NewImage])).toEqual([['INSERT', { id: { S: 'from-sdk' } }]]);
    expect(typeof records.NextShardIterator).toBe('string');
  });
});
