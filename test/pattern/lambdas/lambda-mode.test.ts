/**
 * The handlers as the Lambda runtime runs them, with tracing on: the X-Ray SDK streams each subsegment
 * over UDP to a daemon socket of the test, and the AWS SDK calls go over HTTP to a local endpoint.
 * The X-Ray SDK and Powertools read their settings when first loaded, so this file sets the
 * environment before importing anything that loads them; it runs in a process of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as DynamoModule from '../../../src/pattern/lambdas/dynamo.ts';
import type * as SnsPublishModule from '../../../src/pattern/lambdas/sns-publish.ts';
import type * as SnsSubscribeModule from '../../../src/pattern/lambdas/sns-subscribe.ts';
import type * as SqsPublishModule from '../../../src/pattern/lambdas/sqs-publish.ts';
import type * as SqsSubscribeModule from '../../../src/pattern/lambdas/sqs-subscribe.ts';
import { setEnv } from './support/env.ts';
import { startFakeAws } from './support/fake-aws.ts';
import type { FakeAws } from './support/fake-aws.ts';
import { lambdaContext, snsEvent, sqsEvent, sqsRecord } from './support/fixtures.ts';
import { expectClosedTree, lambdaModeEnv, metadataKeys, named, traceHeader } from './support/lambda-mode.ts';
import { captureStdout } from './support/stdout.ts';
import { startXrayDaemon } from './support/xray-daemon.ts';
import type { XrayDaemon, XrayDocument } from './support/xray-daemon.ts';

const HANDLER = '## index.handler';
const QUEUE_PATH = '/123456789012/xray-tracer-queue';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:second-topic';

let daemon: XrayDaemon;
let aws: FakeAws;
let restoreEnv: () => void;
let dynamo: typeof DynamoModule;
let snsPublish: typeof SnsPublishModule;
let snsSubscribe: typeof SnsSubscribeModule;
let sqsPublish: typeof SqsPublishModule;
let sqsSubscribe: typeof SqsSubscribeModule;
let invocations = 0;

beforeAll(async () => {
  daemon = await startXrayDaemon();
  aws = await startFakeAws();
  restoreEnv = setEnv({
    ...lambdaModeEnv(daemon.address),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
    AWS_ENDPOINT_URL_DYNAMODB: aws.url,
    AWS_ENDPOINT_URL_SNS: aws.url,
    AWS_ENDPOINT_URL_SQS: aws.url,
    TABLE_NAME: 'Hits',
    TOPIC_ARN,
    QUEUE_URL: `${aws.url}${QUEUE_PATH}`,
  });
  dynamo = await import('../../../src/pattern/lambdas/dynamo.ts');
  snsPublish = await import('../../../src/pattern/lambdas/sns-publish.ts');
  snsSubscribe = await import('../../../src/pattern/lambdas/sns-subscribe.ts');
  sqsPublish = await import('../../../src/pattern/lambdas/sqs-publish.ts');
  sqsSubscribe = await import('../../../src/pattern/lambdas/sqs-subscribe.ts');
});

afterAll(async () => {
  restoreEnv();
  await aws.close();
  await daemon.close();
});

/**
 * Runs one invocation on a trace of its own, as the Lambda runtime does, and returns its documents
 * once the handler's subsegment (closed last) has arrived.
 */
async function invoke<T>(run: () => Promise<T>) {
  const trace = traceHeader(++invocations);
  process.env._X_AMZN_TRACE_ID = trace.header;
  aws.calls.length = 0;
  const { outcome, lines } = await captureStdout(run);
  const docs = await daemon.waitForTrace(trace.root, (found) => found.some((doc) => doc.name === HANDLER));
  expectClosedTree(docs, trace.root, trace.parent);
  expect(daemon.rejected).toEqual([]);
  return { outcome, lines, docs, trace };
}

function names(docs: readonly XrayDocument[]): string[] {
  return docs.map((doc) => doc.name).sort();
}

describe('in Lambda mode', () => {
  it('dynamo: DynamoDB Query with annotation path and metadata event, UpdateItem as an aws subsegment', async () => {
    const event = snsEvent('/prod/foo');
    const { outcome, lines, docs, trace } = await invoke(() => dynamo.handler(event, lambdaContext()));

    expect(outcome.status).toBe('fulfilled');
    expect(names(docs)).toEqual([HANDLER, 'DynamoDB', 'DynamoDB Query']);
    const handler = named(docs, HANDLER);
    expect(handler.annotations).toEqual({ ColdStart: true, Service: 'xray-tracer-dynamo' });
    const query = named(docs, 'DynamoDB Query');
    expect(query.parent_id).toBe(handler.id);
    expect(query.annotations).toEqual({ path: '/prod/foo' });
    expect(metadataKeys(query)).toEqual(['event']);
    expect(query.metadata?.default?.event).toEqual(event);
    const call = named(docs, 'DynamoDB');
    expect(call.parent_id).toBe(query.id);
    expect(call.namespace).toBe('aws');
    expect(call.aws).toMatchObject({ operation: 'UpdateItem', table_name: 'Hits', region: 'us-east-1' });
    expect(call.http?.response?.status).toBe(200);

    // The call went out on the wire carrying the trace, parented to its aws subsegment.
    expect(aws.calls.map((c) => c.operation)).toEqual(['DynamoDB_20120810.UpdateItem']);
    expect(aws.calls[0]?.headers['x-amzn-trace-id']).toBe(`Root=${trace.root};Parent=${call.id};Sampled=1`);
    // Logs carry the trace id.
    expect(lines).toContainEqual(expect.objectContaining({ message: 'hit counted', xray_trace_id: trace.root }));
  });

  it('dynamo: a failed update leaves DynamoDB Query closed, with the error recorded', async () => {
    aws.failNext({
      status: 400,
      contentType: 'application/x-amz-json-1.0',
      body: JSON.stringify({
        __type: 'com.amazon.coral.validate#ValidationException',
        message: 'One or more parameter values were invalid',
      }),
    });
    const { outcome, docs } = await invoke(() => dynamo.handler(snsEvent('/prod/foo'), lambdaContext()));

    expect(outcome.status).toBe('rejected');
    expect(names(docs)).toEqual([HANDLER, 'DynamoDB', 'DynamoDB Query']);
    expect(named(docs, HANDLER).annotations).toEqual({ ColdStart: false, Service: 'xray-tracer-dynamo' });
    const query = named(docs, 'DynamoDB Query');
    expect(query.fault).toBe(true);
    expect(query.cause?.exceptions?.[0]?.message).toBe('One or more parameter values were invalid');
    expect(named(docs, 'DynamoDB').error).toBe(true);
    expect(named(docs, HANDLER).fault).toBe(true);
  });

  it('sns-publish: SNS Publish Logic with annotation message, metadata params and response', async () => {
    const { outcome, docs } = await invoke(() => snsPublish.handler(snsEvent('/prod/foo'), lambdaContext()));

    expect(outcome).toEqual({ status: 'fulfilled', value: '5fea7756-0ea4-451a-a703-a558b933e274' });
    expect(names(docs)).toEqual([HANDLER, 'SNS', 'SNS Publish Logic']);
    const logic = named(docs, 'SNS Publish Logic');
    expect(logic.annotations).toEqual({ message: 'Simulated Message' });
    expect(metadataKeys(logic)).toEqual(['params', 'response']);
    expect(logic.metadata?.default?.params).toEqual({ TopicArn: TOPIC_ARN, Message: 'Simulated Message' });
    const call = named(docs, 'SNS');
    expect(call.parent_id).toBe(logic.id);
    expect(call.namespace).toBe('aws');
    expect(call.aws).toMatchObject({ operation: 'Publish', topic_arn: TOPIC_ARN });
    expect(aws.calls.map((c) => c.operation)).toEqual(['SNS.Publish']);
  });

  it('sns-subscribe: process_message with annotation message_content', async () => {
    const { outcome, docs } = await invoke(() =>
      snsSubscribe.handler(snsEvent('Simulated Message', 'second-topic'), lambdaContext()),
    );

    expect(outcome.status).toBe('fulfilled');
    expect(names(docs)).toEqual([HANDLER, 'process_message']);
    const processing = named(docs, 'process_message');
    expect(processing.parent_id).toBe(named(docs, HANDLER).id);
    expect(processing.annotations).toEqual({ message_content: 'Simulated Message' });
  });

  it('sqs-publish: SQS Logic with annotation message and metadata params, one SendMessage', async () => {
    const { outcome, docs, trace } = await invoke(() => sqsPublish.handler(snsEvent('/prod/foo'), lambdaContext()));

    expect(outcome.status).toBe('fulfilled');
    expect(names(docs)).toEqual([HANDLER, 'SQS', 'SQS Logic']);
    const logic = named(docs, 'SQS Logic');
    expect(logic.annotations).toEqual({ message: 'hello from /prod/foo' });
    expect(metadataKeys(logic)).toEqual(['params']);
    expect(logic.metadata?.default?.params).toMatchObject({ MessageBody: 'hello from /prod/foo', DelaySeconds: 1 });
    const call = named(docs, 'SQS');
    expect(call.parent_id).toBe(logic.id);
    expect(call.namespace).toBe('aws');
    expect(call.aws).toMatchObject({ operation: 'SendMessage', queue_url: `${aws.url}${QUEUE_PATH}` });

    // Exactly one message on the wire, carrying the header SQS turns into the consumer's AWSTraceHeader.
    expect(aws.calls.map((c) => c.operation)).toEqual(['AmazonSQS.SendMessage']);
    expect(JSON.parse(aws.calls[0]?.body ?? '{}')).toMatchObject({
      MessageBody: 'hello from /prod/foo',
      DelaySeconds: 1,
    });
    expect(aws.calls[0]?.headers['x-amzn-trace-id']).toBe(`Root=${trace.root};Parent=${call.id};Sampled=1`);
  });

  it('sqs-subscribe: metadata message per record, the failed record reported and its error recorded', async () => {
    const event = sqsEvent([sqsRecord('msg-1', 'hello from /prod/foo'), sqsRecord('msg-2', 'not a greeting')]);
    const { outcome, docs } = await invoke(() => sqsSubscribe.handler(event, lambdaContext()));

    expect(outcome).toEqual({ status: 'fulfilled', value: { batchItemFailures: [{ itemIdentifier: 'msg-2' }] } });
    const handlerId = named(docs, HANDLER).id;
    const records = docs.filter((doc) => doc.name !== HANDLER);
    expect(records.map((doc) => doc.name)).toEqual(['Logging SQS Message', 'Logging SQS Message']);
    expect(records.map((doc) => doc.parent_id)).toEqual([handlerId, handlerId]);
    expect(records.map((doc) => metadataKeys(doc))).toEqual([['message'], ['message']]);
    expect(records.map((doc) => doc.metadata?.default?.message)).toEqual(['hello from /prod/foo', 'not a greeting']);
    expect(records.map((doc) => doc.fault ?? false)).toEqual([false, true]);
    expect(records[1]?.cause?.exceptions?.[0]?.message).toContain('SQS message msg-2 is not "hello from <path>"');
  });
});
