import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand, GetQueryResultsCommand,
  InvalidParameterException, MalformedQueryException, PutLogEventsCommand, PutRetentionPolicyCommand, ResourceAlreadyExistsException,
  ResourceNotFoundException, StartQueryCommand, StopQueryCommand, paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { CloudWatchLogs } from '../../../src/cloud/logs/cloudwatch-logs.ts';
import { LogsApi } from '../../../src/cloud/logs/logs-api.ts';
import { clientConfig, startEndpoint } from '../endpoint/harness.ts';

const NOW = Date.UTC(2026, 11, 4, 12);
const TRACE = '1-6750a000-0123456789abcdef01234567';
const HOUR = 3_600_000;

describe('CloudWatch Logs API through @aws-sdk/client-cloudwatch-logs', () => {
  let endpoint: AwsEndpoint;
  let logs: CloudWatchLogs;
  let client: CloudWatchLogsClient;
  const nowMs = (): number => NOW;

  beforeAll(async () => {
    logs = new CloudWatchLogs({ file: ':memory:', nowMs });
    endpoint = await startEndpoint([new LogsApi(logs, { region: 'us-east-1', accountId: '123456789012', nowMs })]);
    client = new CloudWatchLogsClient(clientConfig(endpoint));
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.stop();
    logs.stop();
  });

  it('creates, describes and deletes groups and streams, with AWS\'s errors', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: '/app/one' }));
    await expect(client.send(new CreateLogGroupCommand({ logGroupName: '/app/one' }))).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await expect(client.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' }))).rejects.toBeInstanceOf(InvalidParameterException);
    await client.send(new PutRetentionPolicyCommand({ logGroupName: '/app/one', retentionInDays: 7 }));
    await expect(client.send(new PutRetentionPolicyCommand({ logGroupName: '/app/one', retentionInDays: 8 }))).rejects.toBeInstanceOf(InvalidParameterException);
    const described = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/' }));
    expect(described.logGroups).toEqual([expect.objectContaining({
      logGroupName: '/app/one', retentionInDays: 7, creationTime: NOW, arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/app/one:*',
    })]);
    await client.send(new DeleteRetentionPolicyCommand({ logGroupName: '/app/one' }));
    expect((await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/' }))).logGroups?.[0]?.retentionInDays).toBeUndefined();
    await client.send(new CreateLogStreamCommand({ logGroupName: '/app/one', logStreamName: 's1' }));
    await expect(client.send(new CreateLogStreamCommand({ logGroupName: '/app/none', logStreamName: 's1' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DescribeLogStreamsCommand({ logGroupName: '/app/one', logStreamNamePrefix: 's', orderBy: 'LastEventTime' }))).rejects.toThrow('Cannot order by LastEventTime with a logStreamNamePrefix.');
    expect((await client.send(new DescribeLogStreamsCommand({ logGroupName: '/app/one' }))).logStreams?.map((stream) => stream.logStreamName)).toEqual(['s1']);
    await client.send(new DeleteLogGroupCommand({ logGroupName: '/app/one' }));
    await expect(client.send(new DescribeLogStreamsCommand({ logGroupName: '/app/one' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('validates PutLogEvents batches as AWS does and reports rejected events', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: '/app/put' }));
    await client.send(new CreateLogStreamCommand({ logGroupName: '/app/put', logStreamName: 's' }));
    const put = (events: Array<{ timestamp: number; message: string }>) => client.send(new PutLogEventsCommand({ logGroupName: '/app/put', logStreamName: 's', logEvents: events }));
    await expect(put([{ timestamp: NOW, message: 'b' }, { timestamp: NOW - 1, message: 'a' }])).rejects.toThrow('must be in chronological order');
    await expect(put([{ timestamp: NOW - 25 * HOUR, message: 'a' }, { timestamp: NOW, message: 'b' }])).rejects.toThrow('cannot span more than 24 hours');
    await expect(put(Array.from({ length: 10_001 }, () => ({ timestamp: NOW, message: 'x' })))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(put([{ timestamp: NOW, message: 'x'.repeat(1_048_576) }])).rejects.toThrow('too large');
    await expect(client.send(new PutLogEventsCommand({ logGroupName: '/app/put', logStreamName: 'nope', logEvents: [{ timestamp: NOW, message: 'x' }] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect((await put([{ timestamp: NOW - 15 * 24 * HOUR, message: 'too old' }])).rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 0 });
    const answer = await put([
      { timestamp: NOW - 20 * HOUR, message: 'old but kept' },
      { timestamp: NOW, message: 'now' },
      { timestamp: NOW + 3 * HOUR, message: 'too new' },
    ]);
    expect(answer.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 2 });
    const events = await client.send(new GetLogEventsCommand({ logGroupName: '/app/put', logStreamName: 's', startFromHead: true }));
    expect(events.events?.map((event) => event.message)).toEqual(['old but kept', 'now']);
  });

  it('pages GetLogEvents forward and back with tokens, answering the same token at the end', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: '/app/get' }));
    await client.send(new CreateLogStreamCommand({ logGroupName: '/app/get', logStreamName: 's' }));
    await client.send(new PutLogEventsCommand({ logGroupName: '/app/get', logStreamName: 's', logEvents: Array.from({ length: 5 }, (_, i) => ({ timestamp: NOW - 10 + i, message: `m${i}` })) }));
    const tail = await client.send(new GetLogEventsCommand({ logGroupName: '/app/get', logStreamName: 's', limit: 2 }));
    expect(tail.events?.map((event) => event.message)).toEqual(['m3', 'm4']);
    const back = await client.send(new GetLogEventsCommand({ logGroupName: '/app/get', logStreamName: 's', limit: 2, nextToken: tail.nextBackwardToken }));
    expect(back.events?.map((event) => event.message)).toEqual(['m1', 'm2']);
    const end = await client.send(new GetLogEventsCommand({ logGroupName: '/app/get', logStreamName: 's', nextToken: tail.nextForwardToken }));
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(tail.nextForwardToken);
    const head = await client.send(new GetLogEventsCommand({ logGroupName: '/app/get', logStreamName: 's', limit: 2, startFromHead: true }));
    expect(head.events?.map((event) => event.message)).toEqual(['m0', 'm1']);
  });

  it('filters events across streams with filter patterns and pages them', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/fn' }));
    for (const stream of ['a', 'b']) await client.send(new CreateLogStreamCommand({ logGroupName: '/aws/lambda/fn', logStreamName: stream }));
    await client.send(new PutLogEventsCommand({ logGroupName: '/aws/lambda/fn', logStreamName: 'a', logEvents: [
      { timestamp: NOW - 3000, message: `{"level":"INFO","message":"called","xray_trace_id":"${TRACE}","status":200}` },
      { timestamp: NOW - 1000, message: `{"level":"ERROR","message":"SSL Cert Exception","xray_trace_id":"${TRACE}","status":500}` },
    ] }));
    await client.send(new PutLogEventsCommand({ logGroupName: '/aws/lambda/fn', logStreamName: 'b', logEvents: [
      { timestamp: NOW - 2000, message: '{"level":"INFO","message":"other","xray_trace_id":"1-6750a000-ffffffffffffffffffffffff","status":200}' },
    ] }));
    const messages = async (filterPattern: string) =>
      (await client.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/fn', filterPattern }))).events?.map((event) => JSON.parse(event.message ?? '{}').message as string);
    expect(await messages(`"${TRACE}"`)).toEqual(['called', 'SSL Cert Exception']);
    expect(await messages('{ $.status >= 500 }')).toEqual(['SSL Cert Exception']);
    expect(await messages('{ $.level = "INFO" && $.status = 200 }')).toEqual(['called', 'other']);
    expect(await messages('?other ?SSL')).toEqual(['other', 'SSL Cert Exception']);
    await expect(client.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/fn', filterPattern: '{ $.status >' }))).rejects.toBeInstanceOf(InvalidParameterException);
    const pages: string[][] = [];
    for await (const page of paginateFilterLogEvents({ client }, { logGroupName: '/aws/lambda/fn', limit: 1 })) pages.push((page.events ?? []).map((event) => event.logStreamName ?? ''));
    expect(pages).toEqual([['a'], ['b'], ['a']]);
  });

  it('runs Logs Insights queries, and refuses malformed ones', async () => {
    const start = await client.send(new StartQueryCommand({
      logGroupName: '/aws/lambda/fn', startTime: Math.floor((NOW - HOUR) / 1000), endTime: Math.floor(NOW / 1000),
      queryString: 'fields @timestamp, message | filter message like "SSL Cert Exception" | stats count(*) as failures',
    }));
    const results = await client.send(new GetQueryResultsCommand({ queryId: start.queryId }));
    expect(results.status).toBe('Complete');
    expect(results.results).toEqual([[{ field: 'failures', value: '1' }]]);
    expect(results.statistics).toMatchObject({ recordsMatched: 1, recordsScanned: 3 });
    expect((await client.send(new StopQueryCommand({ queryId: start.queryId }))).success).toBe(false);
    await expect(client.send(new StartQueryCommand({ logGroupName: '/aws/lambda/fn', startTime: 0, endTime: 1, queryString: 'fields | nonsense' }))).rejects.toBeInstanceOf(MalformedQueryException);
    await expect(client.send(new StartQueryCommand({ logGroupName: '/nope', startTime: 0, endTime: 1, queryString: 'fields @message' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
