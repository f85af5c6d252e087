/**
 * Every EventBridge operation with members of every wrong type: each call is answered (a result or
 * an AwsError of status 4xx), never a crash or an internal error.
 */
import { describe, expect, it } from 'vitest';
import { EventBridgeService, EventsApi } from '../../../src/cloud/eventbridge/index.ts';
import { AwsError } from '../../../src/cloud/protocol/errors.ts';
import type { EndpointRequest } from '../../../src/cloud/protocol/service.ts';
import { SqliteMessageStore, SqsService } from '../../../src/cloud/sqs/index.ts';

const OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  PutEvents: ['Entries'],
  CreateEventBus: ['Name', 'Description'],
  DeleteEventBus: ['Name'],
  DescribeEventBus: ['Name'],
  ListEventBuses: ['NamePrefix', 'Limit', 'NextToken'],
  PutRule: ['Name', 'EventBusName', 'EventPattern', 'ScheduleExpression', 'State', 'Description', 'RoleArn'],
  DescribeRule: ['Name', 'EventBusName'],
  ListRules: ['EventBusName', 'NamePrefix', 'Limit', 'NextToken'],
  DeleteRule: ['Name', 'EventBusName'],
  EnableRule: ['Name', 'EventBusName'],
  DisableRule: ['Name', 'EventBusName'],
  PutTargets: ['Rule', 'EventBusName', 'Targets'],
  RemoveTargets: ['Rule', 'EventBusName', 'Ids'],
  ListTargetsByRule: ['Rule', 'EventBusName', 'Limit', 'NextToken'],
  ListRuleNamesByTarget: ['TargetArn', 'EventBusName', 'Limit', 'NextToken'],
  TestEventPattern: ['EventPattern', 'Event'],
};

const VALID: Readonly<Record<string, unknown>> = {
  Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }],
  Name: 'r',
  Rule: 'r',
  EventPattern: '{"source": ["s"]}',
  Event: '{"id":"1","account":"1","source":"s","time":"t","region":"r","resources":[],"detail-type":"d"}',
  Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }],
  Ids: ['t'],
  TargetArn: 'arn:aws:sqs:us-east-1:000000000000:q',
};

const HOSTILE: readonly unknown[] = [
  null, 0, -1, 1.5, 1e300, true, '', ' ', 'x'.repeat(5000), '{', '[]', 'null', '{"a": [', [], [null], [1], [''], [{}], [[]], {}, { a: 1 }, { constructor: 1 },
  [{ Id: {}, Arn: 1, InputTransformer: 'x', RetryPolicy: { MaximumRetryAttempts: 'x' }, DeadLetterConfig: [] }],
  [{ Source: 1, DetailType: [], Detail: {}, Resources: 'x', Time: 'soon', TraceHeader: 5 }],
];

function request(operation: string, body: Record<string, unknown>): EndpointRequest {
  return {
    method: 'POST', target: '/', path: '/', query: new URLSearchParams(), headers: { 'x-amz-target': `AWSEvents.${operation}` },
    body: Buffer.from(JSON.stringify(body)), requestId: 'r', caller: undefined, trace: undefined,
  };
}

describe('EventBridge with hostile members', () => {
  it('answers every operation with a result or a 4xx error', async () => {
    const sqs = new SqsService({ store: new SqliteMessageStore(':memory:') });
    const events = new EventBridgeService({ lambda: { invoke: async () => ({ statusCode: 202 }) }, queues: sqs, scheduleIntervalMs: 0 });
    const api = new EventsApi(events);
    const failures: string[] = [];
    for (const [operation, members] of Object.entries(OPERATIONS)) {
      for (const member of members) {
        for (const value of HOSTILE) {
          const body = { ...Object.fromEntries(members.filter((name) => VALID[name] !== undefined).map((name) => [name, VALID[name]])), [member]: value };
          try {
            const reply = await api.parse(request(operation, body)).run();
            if (reply.status !== 200) failures.push(`${operation} ${member}=${JSON.stringify(value).slice(0, 40)}: status ${reply.status}`);
          } catch (error) {
            if (!(error instanceof AwsError) || error.status >= 500) failures.push(`${operation} ${member}=${JSON.stringify(value).slice(0, 40)}: ${String(error)}`);
          }
        }
      }
    }
    await events.idle();
    await sqs.stop();
    expect(failures).toEqual([]);
  });
});
