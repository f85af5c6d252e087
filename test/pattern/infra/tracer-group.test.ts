import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TracerGroup } from '../../../src/pattern/infra/tracer-group.ts';
import { testApp } from './support.ts';

describe('TracerGroup', () => {
  const group = (props: ConstructorParameters<typeof TracerGroup>[2]) => {
    const stack = new Stack(testApp(), 'Groups');
    return { group: new TracerGroup(stack, 'Group', props), stack };
  };

  it('creates an AWS::XRay::Group named with the prefix, Insights off', () => {
    const { stack, group: created } = group({ name: 'dynamo', filterExpression: 'annotation.path BEGINSWITH "/"' });
    expect(created.groupName).toBe('xray-tracer-dynamo');
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::Group', {
      GroupName: 'xray-tracer-dynamo',
      FilterExpression: 'annotation.path BEGINSWITH "/"',
      InsightsConfiguration: { InsightsEnabled: false, NotificationsEnabled: false },
    });
  });

  it('takes another prefix', () => {
    expect(group({ name: 'sqs', prefix: 'demo', filterExpression: 'fault = true' }).group.groupName).toBe('demo-sqs');
  });

  it('accepts 32 characters and refuses 33, naming the group', () => {
    expect(group({ name: 'a'.repeat(20), filterExpression: 'ok' }).group.groupName).toHaveLength(32);
    expect(() => group({ name: 'a'.repeat(21), filterExpression: 'ok' })).toThrow(
      `X-Ray group name "xray-tracer-${'a'.repeat(21)}" has 33 characters; X-Ray allows at most 32`,
    );
  });

  it('refuses characters outside letters, digits, "-" and "_"', () => {
    expect(() => group({ name: 'my group', filterExpression: 'ok' })).toThrow(
      'X-Ray group name "xray-tracer-my group" may contain only letters, digits, "-" and "_"',
    );
  });

  it('refuses an empty filter expression', () => {
    expect(() => group({ name: 'empty', filterExpression: '  ' })).toThrow('X-Ray group "xray-tracer-empty" needs a filter expression');
  });
});
