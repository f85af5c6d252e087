import { describe, expect, it } from 'vitest';
import { generatedName } from '../../../src/cloud/template/physical-ids.ts';
import type { NamingContext } from '../../../src/cloud/template/physical-ids.ts';
import { ENDPOINT, model, stack } from './support.ts';

function context(stackName: string, logicalId: string): NamingContext {
  return { stack: stackName, logicalId, region: 'us-east-1', accountId: '000000000000', partition: 'aws', endpointUrl: ENDPOINT, prop: () => undefined };
}

describe('generated names', () => {
  it('follow CloudFormation\'s <stack>-<logicalId>-<SUFFIX> and are stable across runs', () => {
    const name = generatedName(context('TheDynamoFlowStack', 'HitsFF5AF8CD'), 255);
    expect(name).toMatch(/^TheDynamoFlowStack-HitsFF5AF8CD-[A-Z0-9]{12}$/);
    expect(generatedName(context('TheDynamoFlowStack', 'HitsFF5AF8CD'), 255)).toBe(name);
    expect(generatedName(context('TheDynamoFlowStack', 'Other'), 255)).not.toBe(name.replace('HitsFF5AF8CD', 'Other'));
  });

  it('shorten the stack and logical id to fit the type\'s limit', () => {
    const name = generatedName(context('A'.repeat(60), 'B'.repeat(60)), 64);
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^A+-B+-[A-Z0-9]{12}$/);
  });
});

describe('physical ids, ARNs and attributes by type', () => {
  const built = model(stack('S', {
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
      Fifo: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'fan-out' } },
      Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'my-fn' } },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'Hits', StreamSpecification: { StreamViewType: 'NEW_IMAGE' } } },
      Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'r', Path: '/service/' } },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/lambda/my-fn' } },
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { StageName: 'prod' } },
      Group: { Type: 'AWS::XRay::Group', Properties: { GroupName: 'faults' } },
      Rule: { Type: 'AWS::XRay::SamplingRule', Properties: { SamplingRule: { RuleName: 'health-checks', Priority: 10 } } },
      UnnamedRule: { Type: 'AWS::XRay::SamplingRule', Properties: { SamplingRule: { Priority: 10 } } },
      Mapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: {} },
      Probe: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          QueueName: { 'Fn::GetAtt': ['Queue', 'QueueName'] },
          QueueUrl: { 'Fn::GetAtt': ['Queue', 'QueueUrl'] },
          TopicName: { 'Fn::GetAtt': ['Topic', 'TopicName'] },
          StreamArn: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
          RootResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
          RoleId: { 'Fn::GetAtt': ['Role', 'RoleId'] },
          MappingId: { 'Fn::GetAtt': ['Mapping', 'Id'] },
          RuleARN: { 'Fn::GetAtt': ['Rule', 'RuleARN'] },
        },
      },
    },
  }));
  const byId = (id: string) => built.resources.find((resource) => resource.logicalId === id);

  it('has no warnings for these types', () => {
    expect(built.warnings).toEqual([]);
  });

  it.each<[string, string | RegExp, string | undefined]>([
    ['Queue', /^http:\/\/127\.0\.0\.1:4566\/000000000000\/S-Queue-[A-Z0-9]{12}$/, undefined],
    ['Fifo', /^http:\/\/127\.0\.0\.1:4566\/000000000000\/S-Fifo-[A-Z0-9]{12}\.fifo$/, undefined],
    ['Topic', 'arn:aws:sns:us-east-1:000000000000:fan-out', 'arn:aws:sns:us-east-1:000000000000:fan-out'],
    ['Fn', 'my-fn', 'arn:aws:lambda:us-east-1:000000000000:function:my-fn'],
    ['Table', 'Hits', 'arn:aws:dynamodb:us-east-1:000000000000:table/Hits'],
    ['Role', 'r', 'arn:aws:iam::000000000000:role/service/r'],
    ['Logs', '/aws/lambda/my-fn', 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/my-fn:*'],
    ['Api', /^[a-z0-9]{10}$/, undefined],
    ['Stage', 'prod', undefined],
    ['Group', /^arn:aws:xray:us-east-1:000000000000:group\/faults\/[A-Z0-9]{26}$/, undefined],
    ['Rule', 'arn:aws:xray:us-east-1:000000000000:sampling-rule/health-checks', 'arn:aws:xray:us-east-1:000000000000:sampling-rule/health-checks'],
    // X-Ray's rule names are at most 32 characters.
    ['UnnamedRule', /^arn:aws:xray:us-east-1:000000000000:sampling-rule\/S-UnnamedRule-[A-Z0-9]{12}$/, undefined],
    ['Mapping', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/, undefined],
  ])('%s', (logicalId, physicalId, arn) => {
    const resource = byId(logicalId);
    if (typeof physicalId === 'string') expect(resource?.physicalId).toBe(physicalId);
    else expect(resource?.physicalId).toMatch(physicalId);
    if (arn !== undefined) expect(resource?.arn).toBe(arn);
  });

  it('queue ARNs are built from the queue name', () => {
    const queue = byId('Queue');
    const name = queue?.physicalId.split('/').at(-1);
    expect(queue?.arn).toBe(`arn:aws:sqs:us-east-1:000000000000:${name}`);
  });

  it('Fn::GetAtt gives the type\'s other attributes', () => {
    const probe = byId('Probe')?.properties ?? {};
    const queue = byId('Queue');
    expect(probe['QueueName']).toBe(queue?.physicalId.split('/').at(-1));
    expect(probe['QueueUrl']).toBe(queue?.physicalId);
    expect(probe['TopicName']).toBe('fan-out');
    expect(probe['StreamArn']).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/Hits\/stream\//);
    expect(probe['RootResourceId']).toMatch(/^[a-z0-9]{10}$/);
    expect(probe['RootResourceId']).not.toBe(byId('Api')?.physicalId);
    expect(probe['RoleId']).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(probe['MappingId']).toBe(byId('Mapping')?.physicalId);
    expect(probe['RuleARN']).toBe(byId('Rule')?.arn);
  });

  it('find() looks a resource up by ARN or physical id', () => {
    expect(built.find('arn:aws:lambda:us-east-1:000000000000:function:my-fn')?.logicalId).toBe('Fn');
    expect(built.find('my-fn')?.logicalId).toBe('Fn');
    expect(built.find(byId('Queue')?.physicalId ?? '')?.logicalId).toBe('Queue');
    expect(built.find('nothing')).toBeUndefined();
  });

  it('an unsupported resource type still gets an id (the support table reports it, see support.test.ts)', () => {
    const other = model(stack('S', { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: {} } } }));
    expect(other.resources[0]?.physicalId).toMatch(/^S-Bucket-[A-Z0-9]{12}$/);
  });
});
