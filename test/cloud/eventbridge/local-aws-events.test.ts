/**
 * EventBridge wired into LocalAws from a template: a rule routes a traced PutEvents to a function
 * and to a queue whose event source mapping (with a filter) hands it to another function, all on the
 * caller's trace.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalAws } from '../../../src/cloud/endpoint/index.ts';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { capturingLogger, clientConfig } from '../endpoint/harness.ts';
import { cloudModel, functionArn, queueArn, queueResource, resource } from '../endpoint/model.ts';
import { eventually } from '../../support/eventually.ts';

const ROOT = '1-67891233-abcdef012345678912345678';
const CALLER = '53995c3f42cd8ad8';

const model = cloudModel([
  queueResource('Stack', 'Queue', 'orders', { VisibilityTimeout: 60 }),
  resource('Stack', 'Bus', 'AWS::Events::EventBus', { Name: 'shop' }, 'shop', 'arn:aws:events:us-east-1:000000000000:event-bus/shop'),
  resource('Stack', 'Rule', 'AWS::Events::Rule', {
    EventBusName: 'shop',
    EventPattern: { source: ['shop.orders'], 'detail-type': ['Order Placed'] },
    State: 'ENABLED',
    Targets: [{ Id: 'Target0', Arn: queueArn('orders') }, { Id: 'Target1', Arn: functionArn('auditor') }],
  }, 'shop|Stack-Rule-ABC', 'arn:aws:events:us-east-1:000000000000:rule/shop/Stack-Rule-ABC'),
  resource('Stack', 'Mapping', 'AWS::Lambda::EventSourceMapping', {
    EventSourceArn: queueArn('orders'),
    FunctionName: 'fulfiller',
    FilterCriteria: { Filters: [{ Pattern: '{"body": {"detail": {"total": [{"numeric": [">", 0]}]}}}' }] },
  }, 'm-1'),
]);

class Functions implements LambdaInvoker {
  readonly requests: InvokeRequest[] = [];
  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    this.requests.push(request);
    return { statusCode: request.invocationType === 'Event' ? 202 : 200 };
  }
}

describe('EventBridge in LocalAws', () => {
  let aws: LocalAws | undefined;

  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
  });

  it('routes a traced PutEvents through the template’s rule to a function and, through a queue, to another', async () => {
    const functions = new Functions();
    aws = new LocalAws({ model, lambda: functions, port: 0, logger: capturingLogger() });
    await aws.start();
    expect(aws.warnings).toEqual([]);
    const client = new EventBridgeClient(clientConfig(aws.endpoint));
    const result = await client.send(new PutEventsCommand({
      Entries: [
        { EventBusName: 'shop', Source: 'shop.orders', DetailType: 'Order Placed', Detail: '{"total": 30}', TraceHeader: `Root=${ROOT};Parent=${CALLER};Sampled=1` },
        { EventBusName: 'shop', Source: 'shop.orders', DetailType: 'Order Placed', Detail: '{"total": 0}' },
        { EventBusName: 'shop', Source: 'shop.orders', DetailType: 'Order Shipped', Detail: '{"total": 30}' },
      ],
    }));
    client.destroy();
    expect(result.FailedEntryCount).toBe(0);
    await eventually(() => functions.requests.some((request) => request.functionName === 'fulfiller') && functions.requests.filter((request) => request.functionName === functionArn('auditor')).length === 2);
    await aws.events.idle();

    const auditor = functions.requests.filter((request) => request.functionName === functionArn('auditor'));
    expect(auditor.map((request) => (request.payload as { detail: unknown }).detail)).toEqual([{ total: 30 }, { total: 0 }]);
    expect(auditor[0]?.trace).toEqual({ root: ROOT, parent: CALLER, sampled: true });

    const fulfiller = functions.requests.filter((request) => request.functionName === 'fulfiller');
    const bodies = fulfiller.flatMap((request) => (request.payload as SQSEvent).Records.map((record) => JSON.parse(record.body) as { detail: unknown }));
    // The event of total 0 reached the queue but not the function: the mapping's filter dropped it.
    expect(bodies.map((body) => body.detail)).toEqual([{ total: 30 }]);
    expect(fulfiller[0]?.trace).toEqual({ root: ROOT, parent: CALLER, sampled: true });
  });
});
