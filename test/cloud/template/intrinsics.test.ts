import { describe, expect, it } from 'vitest';
import type { CfnTemplate } from '../../../src/cloud/template/assembly.ts';
import { buildCloudModel } from '../../../src/cloud/template/model.ts';
import { ENDPOINT, model, stack } from './support.ts';

/** A small template: a queue and a topic to refer to, conditions, a mapping and parameters. */
const base: CfnTemplate = {
  Parameters: {
    Stage: { Type: 'String', Default: 'prod' },
    Zones: { Type: 'CommaDelimitedList', Default: 'a,b,c' },
  },
  Conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    ProdAndDev: { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'IsDev' }] },
    ProdOrDev: { 'Fn::Or': [{ Condition: 'IsDev' }, { Condition: 'IsProd' }] },
  },
  Mappings: { Sizes: { prod: { Memory: 512 } } },
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'named-queue' } },
    Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
    OnlyInDev: { Type: 'AWS::SQS::Queue', Condition: 'IsDev', Properties: {} },
  },
};

/** Resolves `value` as the property `Value` of a test resource in the base template. */
function resolve(value: unknown): { value: unknown; warnings: readonly string[] } {
  const built = model(stack('S', { ...base, Resources: { ...base.Resources, Probe: { Type: 'AWS::SQS::QueuePolicy', Properties: { Value: value } } } }));
  const probe = built.resources.find((resource) => resource.logicalId === 'Probe');
  return { value: probe?.properties['Value'], warnings: built.warnings };
}

describe('intrinsic functions', () => {
  it.each<[string, unknown, unknown]>([
    ['Ref of a resource', { Ref: 'Queue' }, `http://127.0.0.1:4566/000000000000/named-queue`],
    ['Ref of a parameter default', { Ref: 'Stage' }, 'prod'],
    ['Ref of a CommaDelimitedList parameter', { Ref: 'Zones' }, ['a', 'b', 'c']],
    ['AWS::Region', { Ref: 'AWS::Region' }, 'us-east-1'],
    ['AWS::AccountId', { Ref: 'AWS::AccountId' }, '000000000000'],
    ['AWS::Partition', { Ref: 'AWS::Partition' }, 'aws'],
    ['AWS::URLSuffix', { Ref: 'AWS::URLSuffix' }, 'amazonaws.com'],
    ['AWS::StackName', { Ref: 'AWS::StackName' }, 'S'],
    ['Fn::GetAtt list form', { 'Fn::GetAtt': ['Queue', 'Arn'] }, 'arn:aws:sqs:us-east-1:000000000000:named-queue'],
    ['Fn::GetAtt string form', { 'Fn::GetAtt': 'Queue.QueueName' }, 'named-queue'],
    ['Fn::Join', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs']] }, 'arn:aws:sqs'],
    ['Fn::Join of numbers', { 'Fn::Join': ['-', [1, 'x', true]] }, '1-x-true'],
    ['Fn::Sub string form', { 'Fn::Sub': 'cdk-${AWS::AccountId}-${AWS::Region}' }, 'cdk-000000000000-us-east-1'],
    ['Fn::Sub with attribute', { 'Fn::Sub': '${Queue.QueueName}/${Stage}' }, 'named-queue/prod'],
    ['Fn::Sub list form with variables', { 'Fn::Sub': ['${Name}@${AWS::Region}', { Name: { Ref: 'Stage' } }] }, 'prod@us-east-1'],
    ['Fn::Sub literal ${!...}', { 'Fn::Sub': '${!Literal}-${Stage}' }, '${Literal}-prod'],
    ['Fn::Select', { 'Fn::Select': ['1', ['a', 'b', 'c']] }, 'b'],
    ['Fn::Select of Fn::Split', { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Queue', 'Arn'] }] }] }, 'named-queue'],
    ['Fn::Split', { 'Fn::Split': [',', 'x,y'] }, ['x', 'y']],
    ['Fn::If true branch', { 'Fn::If': ['IsProd', 'big', 'small'] }, 'big'],
    ['Fn::If false branch', { 'Fn::If': ['IsDev', 'big', 'small'] }, 'small'],
    ['Fn::Equals', { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] }, false],
    ['Fn::Not', { 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] }, true],
    ['Fn::And', { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'IsDev' }] }, false],
    ['Fn::Or', { 'Fn::Or': [{ Condition: 'IsDev' }, { Condition: 'IsProd' }] }, true],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Memory'] }, 512],
    ['Fn::Base64', { 'Fn::Base64': 'hi' }, 'aGk='],
    ['Fn::GetAZs', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }, 'us-east-1a'],
    ['nested lists and objects', { list: [{ Ref: 'Stage' }, { k: { Ref: 'AWS::Region' } }] }, { list: ['prod', { k: 'us-east-1' }] }],
  ])('%s', (_name, value, expected) => {
    const { value: resolved, warnings } = resolve(value);
    expect(warnings).toEqual([]);
    expect(resolved).toEqual(expected);
  });

  it('AWS::NoValue removes an object key and a list element', () => {
    const { value } = resolve({
      Keep: 'x',
      Drop: { Ref: 'AWS::NoValue' },
      DropIf: { 'Fn::If': ['IsDev', 'y', { Ref: 'AWS::NoValue' }] },
      List: ['a', { 'Fn::If': ['IsProd', { Ref: 'AWS::NoValue' }, 'b'] }, 'c'],
    });
    expect(value).toEqual({ Keep: 'x', List: ['a', 'c'] });
  });

  it('an IAM statement Condition block is data, not an intrinsic', () => {
    const statement = { Effect: 'Deny', Action: 'sqs:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    expect(resolve({ Statement: [statement] }).value).toEqual({ Statement: [statement] });
  });

  it.each<[string, unknown, string]>([
    ['an unsupported intrinsic', { 'Fn::Cidr': ['10.0.0.0/16', 6, 5] }, 'Fn::Cidr at S/Probe.Properties.Value.Value: unsupported intrinsic function, value left out'],
    ['Ref of an unknown name', { Ref: 'Nope' }, 'Ref at S/Probe.Properties.Value.Value: no resource or parameter named Nope in stack S'],
    ['an unknown pseudo parameter', { Ref: 'AWS::Nope' }, 'unknown pseudo parameter AWS::Nope'],
    ['Fn::GetAtt of an unknown resource', { 'Fn::GetAtt': ['Nope', 'Arn'] }, 'Fn::GetAtt at S/Probe.Properties.Value.Value: no resource named Nope in stack S'],
    ['Fn::GetAtt of an unsupported attribute', { 'Fn::GetAtt': ['Queue', 'Colour'] }, 'attribute Colour of AWS::SQS::Queue S/Queue is not supported'],
    ['Fn::ImportValue of a missing export', { 'Fn::ImportValue': 'Other:Thing' }, 'Fn::ImportValue at S/Probe.Properties.Value.Value: no earlier stack exports Other:Thing'],
    ['Fn::Select out of range', { 'Fn::Select': [3, ['a']] }, 'index 3 is outside a list of 1'],
    ['a malformed Fn::Join', { 'Fn::Join': ['-'] }, 'Fn::Join at S/Probe.Properties.Value.Value: expected [delimiter, [values]]'],
    ['Fn::If of an undefined condition', { 'Fn::If': ['Missing', 'a', 'b'] }, 'condition Missing used at S/Probe.Properties.Value.Value is not defined in stack S'],
    ['Ref of a resource whose condition is false', { Ref: 'OnlyInDev' }, 'resource S/OnlyInDev is not created (its condition is false)'],
    ['Fn::FindInMap of a missing key', { 'Fn::FindInMap': ['Sizes', 'dev', 'Memory'] }, 'Sizes.dev.Memory is not in the template'],
  ])('%s is a warning naming it, and the value is left out', (_name, value, warning) => {
    const { value: resolved, warnings } = resolve({ Value: value, Other: 'kept' });
    expect(resolved).toEqual({ Other: 'kept' });
    expect(warnings.some((text) => text.includes(warning))).toBe(true);
  });

  it('a failure inside a function fails the whole function without a second warning', () => {
    const { value, warnings } = resolve({ 'Fn::Join': ['', ['x', { Ref: 'Nope' }]] });
    expect(value).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  it('resources whose condition is false are not created', () => {
    const built = model(stack('S', base));
    expect(built.resources.map((resource) => resource.logicalId).sort()).toEqual(['Queue', 'Topic']);
  });
});

describe('stacks and exports', () => {
  it('Fn::ImportValue reads an earlier stack\'s export', () => {
    const producer = stack('Producer', {
      Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'fan-out' } } },
      Outputs: { Arn: { Value: { Ref: 'Topic' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}:Arn' } } } },
    });
    const consumer = stack('Consumer', {
      Resources: { Sub: { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: { 'Fn::ImportValue': 'Producer:Arn' }, Protocol: 'sqs' } } },
    }, ['Producer']);
    const built = model(producer, consumer);
    expect(built.warnings).toEqual([]);
    expect(built.exports.get('Producer:Arn')).toBe('arn:aws:sns:us-east-1:000000000000:fan-out');
    expect(built.outputs['Producer']).toEqual({ Arn: 'arn:aws:sns:us-east-1:000000000000:fan-out' });
    const subscription = built.byType('AWS::SNS::Subscription')[0];
    expect(subscription?.properties['TopicArn']).toBe('arn:aws:sns:us-east-1:000000000000:fan-out');
    expect(subscription?.physicalId).toMatch(/^arn:aws:sns:us-east-1:000000000000:fan-out:[0-9a-f-]{36}$/);
  });

  it('names a template Transform and a parameter without a value as warnings', () => {
    const built = model(stack('S', { Transform: 'AWS::Serverless-2016-10-31', Parameters: { Needed: { Type: 'String' } }, Resources: {} }));
    expect(built.warnings).toEqual([
      'stack S uses Transform "AWS::Serverless-2016-10-31", which the local cloud does not expand',
      'parameter S/Needed has no default and no value was given',
    ]);
  });

  it('parameters can be given per stack', () => {
    const template: CfnTemplate = { Parameters: { Stage: { Type: 'String' } }, Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': 'q-${Stage}' } } } } };
    const built = buildCloudModel([stack('S', template)], { endpointUrl: ENDPOINT, parameters: { S: { Stage: 'beta' } } });
    expect(built.warnings).toEqual([]);
    expect(built.resources[0]?.physicalId).toBe(`${ENDPOINT}/000000000000/q-beta`);
  });
});
