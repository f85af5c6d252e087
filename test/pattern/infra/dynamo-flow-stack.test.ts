import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DYNAMO_TROUBLE_FILTER } from '../../../src/pattern/infra/pattern-groups.ts';
import {
  arnOf,
  expectGroup,
  expectQueuesSecured,
  expectTracedFunction,
  importedFanOutTopic,
  patternApp,
  permissions,
  ref,
} from './support.ts';

describe('TheDynamoFlowStack', () => {
  const pattern = patternApp();
  const stack = pattern.dynamo;
  const template = Template.fromStack(stack);

  it('keeps the hits in an on-demand table keyed by path, with point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'path', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'path', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      // CloudFormation names the table; the handler reads the name from TABLE_NAME.
      TableName: Match.absent(),
    });
  });

  it('runs the dynamo handler on every fan-out message, allowed only to UpdateItem on the table', () => {
    expectTracedFunction(template, stack.function, {
      handler: 'dynamo',
      environment: { TABLE_NAME: ref(stack.table) },
      handlerPermissions: permissions([['dynamodb:UpdateItem'], arnOf(stack.table)]),
      subscribedTo: importedFanOutTopic(pattern),
    });
  });

  it('groups the traces that carry the path annotation', () => {
    expectGroup(template, 'xray-tracer-dynamo', { 'Fn::Sub': [DYNAMO_TROUBLE_FILTER, { TableName: ref(stack.table) }] });
  });

  it('encrypts its dead-letter queue and enforces TLS on it', () => {
    expectQueuesSecured(template);
    expect(stack.function.deadLetterQueue).toBeDefined();
  });
});
