/**
 * Input, InputPath and InputTransformer, with the examples of the EventBridge user guide's "Amazon
 * EventBridge input transformation" and the API reference's InputTransformer.
 */
import { describe, expect, it } from 'vitest';
import type { BusEvent, Target } from '../../../src/cloud/eventbridge/model.ts';
import { DEFAULT_RETRY_POLICY } from '../../../src/cloud/eventbridge/model.ts';
import { targetInput } from '../../../src/cloud/eventbridge/target-input.ts';

const EVENT: BusEvent = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING', count: 3, tags: { env: 'prod' } },
};
const RULE = { name: 'my-rule', arn: 'arn:aws:events:us-east-1:123456789012:rule/my-rule' };
const INGESTED = Date.parse('2015-11-11T21:29:55Z');

function target(fields: Partial<Target>): Target {
  return { id: 't', arn: 'arn:aws:sqs:us-east-1:123456789012:q', roleArn: undefined, input: undefined, inputPath: undefined, inputTransformer: undefined, retryPolicy: DEFAULT_RETRY_POLICY, deadLetterArn: undefined, messageGroupId: undefined, ...fields };
}

const transformed = (inputTemplate: string, inputPathsMap: Record<string, string> = { instance: '$.detail.instance-id', state: '$.detail.state' }) =>
  targetInput(target({ inputTransformer: { inputPathsMap, inputTemplate } }), EVENT, RULE, INGESTED);

describe('target input', () => {
  it('is the event itself by default', () => {
    expect(targetInput(target({}), EVENT, RULE, INGESTED)).toEqual({ text: JSON.stringify(EVENT), json: EVENT });
  });

  it('is the constant Input as given', () => {
    expect(targetInput(target({ input: '{"fixed": true}' }), EVENT, RULE, INGESTED)).toEqual({ text: '{"fixed": true}', json: { fixed: true } });
  });

  it('is the selected part with InputPath', () => {
    expect(targetInput(target({ inputPath: '$.detail' }), EVENT, RULE, INGESTED).json).toEqual(EVENT.detail);
    expect(targetInput(target({ inputPath: '$.detail.state' }), EVENT, RULE, INGESTED).text).toBe('"RUNNING"');
  });

  it('fills a text template with the values’ text', () => {
    expect(transformed('<instance> is in state <state>').text).toBe('i-0123456789 is in state RUNNING');
  });

  it('fills a JSON string template, escaping quotes (API reference example)', () => {
    const out = transformed('"<instance> is in state \\"<state>\\""');
    expect(out.json).toBe('i-0123456789 is in state "RUNNING"');
  });

  it('fills a JSON template: values as JSON outside quotes, as text inside (API reference example)', () => {
    const out = transformed('{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<state>\\""}');
    expect(out.json).toEqual({ myInstance: 'i-0123456789', myStatus: 'i-0123456789 is in state "RUNNING"' });
  });

  it('inserts numbers, objects and missing values as JSON', () => {
    const out = transformed('{"count": <count>, "tags": <tags>, "missing": <missing>, "text": "<tags>"}', { count: '$.detail.count', tags: '$.detail.tags', missing: '$.detail.nothing' });
    expect(out.json).toEqual({ count: 3, tags: { env: 'prod' }, missing: null, text: '{"env":"prod"}' });
  });

  it('offers the predefined variables', () => {
    const out = transformed('{"rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>", "at": <aws.events.event.ingestion-time>, "event": <aws.events.event.json>}', {});
    expect(out.json).toEqual({ rule: 'my-rule', arn: RULE.arn, at: '2015-11-11T21:29:55.000Z', event: EVENT });
  });
});
