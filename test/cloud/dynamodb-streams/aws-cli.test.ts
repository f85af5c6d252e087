/** `aws dynamodbstreams ... --endpoint-url`: the AWS CLI (botocore's model) reads the local streams. */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStreamsApi } from '../../../src/cloud/dynamodb-streams/streams-api.ts';
import { AWS_CLI_ENV, awsCliMissing } from '../../support/aws-cli.ts';
import { runProcess } from '../../support/run-process.ts';
import type { StreamsHarness } from './support.ts';
import { startStreams, streamTableModel, TABLE, TEMPLATE_STREAM_ARN } from './support.ts';

const missing = awsCliMissing();

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
    const run = await runProcess('aws', ['dynamodbstreams', ...args, '--endpoint-url', h.endpoint.url, '--region', 'us-east-1'], { env: AWS_CLI_ENV, deadlineMs: 30_000, failAfterDeadline: 'aws' });
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
