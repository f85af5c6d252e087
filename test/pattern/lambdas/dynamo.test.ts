import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as DynamoModule from '../../../src/pattern/lambdas/dynamo.ts';
import type * as ObservabilityModule from '../../../src/pattern/lambdas/shared/observability.ts';
import { setEnv } from './support/env.ts';
import { lambdaContext, snsEvent } from './support/fixtures.ts';
import { captureStdout, metricValue } from './support/stdout.ts';

const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
const dynamodbMock = mockClient(dynamodb);
let restoreEnv: () => void;
let dynamo: typeof DynamoModule;
let handler: ReturnType<typeof DynamoModule.createDynamoHandler>;

beforeAll(async () => {
  // The module builds its default handler on load, so its settings must be in place first.
  restoreEnv = setEnv({
    TABLE_NAME: 'Hits',
    POWERTOOLS_METRICS_NAMESPACE: 'XrayTracerTest',
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    AWS_REGION: 'us-east-1',
  });
  dynamo = await import('../../../src/pattern/lambdas/dynamo.ts');
  const { createObservability }: typeof ObservabilityModule = await import(
    '../../../src/pattern/lambdas/shared/observability.ts'
  );
  const observability = createObservability('dynamo-test');
  handler = dynamo.createDynamoHandler({ observability, dynamodb, tableName: 'Hits' });
});
afterAll(() => restoreEnv());
beforeEach(() => dynamodbMock.reset());

describe('dynamo handler', () => {
  it('adds one hit to the item of the request path, atomically', async () => {
    dynamodbMock.on(UpdateItemCommand).resolves({});
    const { outcome, lines } = await captureStdout(() => handler(snsEvent('/prod/foo'), lambdaContext()));

    expect(outcome.status).toBe('fulfilled');
    const calls = dynamodbMock.commandCalls(UpdateItemCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      TableName: 'Hits',
      Key: { path: { S: '/prod/foo' } },
      UpdateExpression: 'ADD hits :incr',
      ExpressionAttributeValues: { ':incr': { N: '1' } },
    });
    expect(metricValue(lines, 'hits')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'hit counted', path: '/prod/foo' }));
  });

  it('logs the event at debug level', async () => {
    dynamodbMock.on(UpdateItemCommand).resolves({});
    const event = snsEvent('/prod/bar');
    const { lines } = await captureStdout(() => handler(event, lambdaContext()));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'DEBUG', message: 'event received', event }));
  });

  it('rejects an event without an SNS message and touches no table', async () => {
    const { outcome } = await captureStdout(() => handler({ Records: [] }, lambdaContext()));
    expect(outcome.status).toBe('rejected');
    expect((outcome as PromiseRejectedResult).reason).toEqual(
      new Error('expected an SNS event with at least one record in Records'),
    );
    expect(dynamodbMock.calls()).toHaveLength(0);
  });

  it('fails the invocation when the update fails, without counting a hit', async () => {
    dynamodbMock.on(UpdateItemCommand).rejects(new Error('table Hits not found'));
    const { outcome, lines } = await captureStdout(() => handler(snsEvent('/prod/foo'), lambdaContext()));
    expect(outcome.status).toBe('rejected');
    expect(String((outcome as PromiseRejectedResult).reason)).toContain('table Hits not found');
    expect(metricValue(lines, 'hits')).toBeUndefined();
    expect(metricValue(lines, 'hitFailures')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
  });

  it('exports a default handler built from the environment', () => {
    expect(typeof dynamo.handler).toBe('function');
  });
});
