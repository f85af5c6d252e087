import { describe, expect, it } from 'vitest';
import { PolicyAuthorizer } from '../../../src/cloud/iam/authorizer.ts';
import { RoleCredentials } from '../../../src/cloud/iam/credentials.ts';
import { buildCloudModel } from '../../../src/cloud/template/model.ts';
import type { AssemblyStack, CfnTemplate } from '../../../src/cloud/template/assembly.ts';

const ACCOUNT = '000000000000';
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:work`;
const OTHER_QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:other`;
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Hits`;

const assume = { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] };

const template: CfnTemplate = {
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'work' } },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'Hits' } },
    Worker: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'worker',
        AssumeRolePolicyDocument: assume,
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }],
        Policies: [{ PolicyName: 'inline', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:*Item', Resource: { 'Fn::GetAtt': ['Table', 'Arn'] } }] } }],
      },
    },
    WorkerPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'attached',
        Roles: [{ Ref: 'Worker' }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:Get*'], Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
            { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' },
            { Effect: 'Allow', NotAction: ['iam:*', 'sts:*', 'dynamodb:*', 'sqs:*', 'logs:*'], Resource: '*' },
          ],
        },
      },
    },
    Reader: {
      Type: 'AWS::IAM::Role',
      Properties: { RoleName: 'reader', AssumeRolePolicyDocument: assume, ManagedPolicyArns: [{ Ref: 'ReaderManaged' }, 'arn:aws:iam::aws:policy/SomethingUnknown'] },
    },
    ReaderManaged: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', NotResource: OTHER_QUEUE_ARN }] } },
    },
  },
};

const credentials = new RoleCredentials(Buffer.alloc(32, 7));
const accessKeyForRole = (roleArn: string): string => credentials.forRole(roleArn).accessKeyId;

function authorizer(): PolicyAuthorizer {
  const stack: AssemblyStack = { stackName: 'S', artifactId: 'S', template, dependencies: [], assemblyDir: '/' };
  return PolicyAuthorizer.fromModel(buildCloudModel([stack], { endpointUrl: 'http://127.0.0.1:4566' }), credentials);
}

const worker = { accessKeyId: accessKeyForRole(`arn:aws:iam::${ACCOUNT}:role/worker`) };
const reader = { accessKeyId: accessKeyForRole(`arn:aws:iam::${ACCOUNT}:role/reader`) };

describe('PolicyAuthorizer', () => {
  it.each<[string, { accessKeyId: string }, string, string, boolean]>([
    ['attached policy allows', worker, 'sqs:SendMessage', QUEUE_ARN, true],
    ['action wildcard', worker, 'sqs:GetQueueAttributes', QUEUE_ARN, true],
    ['actions compare case-insensitively', worker, 'SQS:sendmessage', QUEUE_ARN, true],
    ['resources compare exactly', worker, 'sqs:SendMessage', QUEUE_ARN.toUpperCase(), false],
    ['other resource', worker, 'sqs:SendMessage', OTHER_QUEUE_ARN, false],
    ['action not listed', worker, 'sqs:DeleteMessage', QUEUE_ARN, false],
    ['inline policy with wildcard in the middle', worker, 'dynamodb:UpdateItem', TABLE_ARN, true],
    ['inline wildcard does not cover others', worker, 'dynamodb:Query', TABLE_ARN, false],
    ['explicit deny wins over allow', worker, 'dynamodb:DeleteItem', TABLE_ARN, false],
    ['AWS managed policy by its documented actions', worker, 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:000000000000:log-group:x:*', true],
    ['NotAction allows what it does not name', worker, 'sns:Publish', 'arn:aws:sns:us-east-1:000000000000:t', true],
    ['NotAction does not allow what it names', worker, 'iam:CreateUser', '*', false],
    ['customer managed policy from ManagedPolicyArns', reader, 'sqs:ReceiveMessage', QUEUE_ARN, true],
    ['NotResource excludes', reader, 'sqs:ReceiveMessage', OTHER_QUEUE_ARN, false],
    ['default deny', reader, 'sqs:SendMessage', QUEUE_ARN, false],
  ])('%s', (_name, principal, action, resource, allowed) => {
    expect(authorizer().authorize(principal, action, resource).allowed).toBe(allowed);
  });

  it('a denial names the role, action and resource, as IAM does', () => {
    expect(authorizer().authorize(reader, 'sqs:SendMessage', QUEUE_ARN)).toEqual({
      allowed: false,
      reason: `User: arn:aws:iam::${ACCOUNT}:role/reader is not authorized to perform: sqs:SendMessage on resource: ${QUEUE_ARN} because no identity-based policy allows the sqs:SendMessage action`,
    });
    const denied = authorizer().authorize(worker, 'dynamodb:DeleteItem', TABLE_ARN);
    expect(denied.allowed).toBe(false);
    expect(!denied.allowed && denied.reason).toContain('with an explicit deny in an identity-based policy (S/WorkerPolicy)');
  });

  it('a role key of no role of the templates is denied; one this install never issued too', () => {
    const unknownRole = authorizer().authorize({ accessKeyId: accessKeyForRole(`arn:aws:iam::${ACCOUNT}:role/ghost`) }, 'sqs:SendMessage', QUEUE_ARN);
    expect(unknownRole).toEqual({ allowed: false, reason: expect.stringContaining('belongs to no role of the templates') });
    const otherInstall = RoleCredentials.ephemeral().forRole(`arn:aws:iam::${ACCOUNT}:role/worker`).accessKeyId;
    expect(authorizer().authorize({ accessKeyId: otherInstall }, 'sqs:SendMessage', QUEUE_ARN).allowed).toBe(false);
  });

  it('an outside key (the user\'s own CLI or SDK) is an administrator', () => {
    expect(authorizer().authorize({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, 'dynamodb:DeleteItem', TABLE_ARN)).toEqual({ allowed: true });
  });

  it('an unknown managed policy is a warning and allows nothing', () => {
    expect(authorizer().warnings).toEqual(['S/Reader: managed policy arn:aws:iam::aws:policy/SomethingUnknown is unknown to the local cloud, so it allows nothing']);
  });

  it('skips a statement naming a resource the local cloud does not run, and keeps the rest of the role\'s policy', () => {
    const withBucket: CfnTemplate = {
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'work' } },
        Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
        Worker: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'worker', AssumeRolePolicyDocument: assume } },
        WorkerPolicy: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyName: 'attached',
            Roles: [{ Ref: 'Worker' }],
            PolicyDocument: {
              Statement: [
                { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
                { Effect: 'Allow', Action: ['s3:GetObject*', 's3:List*'], Resource: [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }] },
                { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::GetAtt': ['Bucket', 'Arn'] } },
                { Effect: 'Allow', Action: 'sqs:GetQueueUrl', Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
              ],
            },
          },
        },
      },
    };
    const stack: AssemblyStack = { stackName: 'S', artifactId: 'S', template: withBucket, dependencies: [], assemblyDir: '/' };
    const model = buildCloudModel([stack], { endpointUrl: 'http://127.0.0.1:4566' });
    const decider = PolicyAuthorizer.fromModel(model, credentials);
    expect(decider.authorize(worker, 'sqs:SendMessage', QUEUE_ARN)).toEqual({ allowed: true });
    expect(decider.authorize(worker, 'sqs:GetQueueUrl', QUEUE_ARN)).toEqual({ allowed: true });
    expect(decider.authorize(worker, 's3:PutObject', 'arn:aws:s3:::bucket').allowed).toBe(false);
    // The list lost its one element, the single value its key: both skipped alone, each named.
    expect(decider.warnings).toEqual([
      expect.stringMatching(/^S\/WorkerPolicy Statement\[1\] \(Allow s3:GetObject\*, s3:List\*\) has no Resource .* this statement is skipped, the policy's other statements apply$/),
      expect.stringMatching(/^S\/WorkerPolicy Statement\[2\] \(Allow s3:PutObject\) has no Resource .* this statement is skipped/),
    ]);
    expect(model.warnings.some((warning) => warning.includes('AWS::S3::Bucket'))).toBe(true);
  });
});
