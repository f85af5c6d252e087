import { describe, expect, it } from 'vitest';
import { parsePolicyDocument, PolicyDocumentError, readPolicyDocument } from '../../../src/cloud/iam/policy-document.ts';
import { wildcardMatch } from '../../../src/cloud/iam/wildcard.ts';

describe('parsePolicyDocument', () => {
  it('accepts a single statement object and string or list fields', () => {
    expect(parsePolicyDocument({ Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: ['a', 'b'], Sid: 'One' } }, 'P')).toEqual([
      { effect: 'Allow', actions: ['s3:GetObject'], resources: ['a', 'b'], hasCondition: false, sid: 'One', source: 'P' },
    ]);
  });

  it.each<[unknown, string]>([
    [{ Statement: [{ Effect: 'Maybe', Action: 'x', Resource: '*' }] }, 'P Statement[0]: Effect must be Allow or Deny, got "Maybe"'],
    [{ Statement: [{ Effect: 'Allow', Resource: '*' }] }, 'P Statement[0]: needs exactly one of Action and NotAction'],
    [{ Statement: [{ Effect: 'Allow', Action: 'x', NotAction: 'y', Resource: '*' }] }, 'needs exactly one of Action and NotAction'],
    [{ Statement: [{ Effect: 'Allow', Action: 'x' }] }, 'P Statement[0] (Allow x) has no Resource or NotResource the local cloud could resolve'],
    [{ Statement: [{ Effect: 'Allow', Action: 'x', Resource: '*', NotResource: 'y' }] }, 'P Statement[0]: needs exactly one of Resource and NotResource'],
    [{ Statement: [{ Effect: 'Allow', Action: [1], Resource: '*' }] }, 'P Statement[0]: Action must be a string or a list of strings, got [1]'],
    ['text', 'P: policy document is not an object'],
  ])('rejects %j', (document, message) => {
    expect(() => parsePolicyDocument(document, 'P')).toThrow(PolicyDocumentError);
    expect(() => parsePolicyDocument(document, 'P')).toThrow(message);
  });
});

describe('readPolicyDocument', () => {
  it('skips a statement that cannot apply on its own and keeps the others', () => {
    const read = readPolicyDocument({
      Statement: [
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:000000000000:q' },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'] },
        { Effect: 'Deny', Action: 'sqs:DeleteQueue' },
        { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
      ],
    }, 'P');
    expect(read.statements.map((statement) => statement.actions ?? statement.notActions)).toEqual([['sqs:SendMessage'], ['iam:*']]);
    expect(read.skipped).toEqual([
      'P Statement[1] (Allow s3:GetObject, s3:PutObject) has no Resource or NotResource the local cloud could resolve (an unsupported resource\'s ARN or an intrinsic it cannot resolve: see the template warning naming it); this statement is skipped, the policy\'s other statements apply',
      'P Statement[2] (Deny sqs:DeleteQueue) has no Resource or NotResource the local cloud could resolve (an unsupported resource\'s ARN or an intrinsic it cannot resolve: see the template warning naming it); this statement is skipped, what it would deny is allowed wherever another statement allows it',
    ]);
  });

  it('still refuses a document that is not one', () => {
    expect(() => readPolicyDocument('text', 'P')).toThrow('P: policy document is not an object');
  });
});

describe('wildcardMatch', () => {
  it.each<[string, string, boolean, boolean]>([
    ['*', 'anything', false, true],
    ['sqs:*', 'sqs:SendMessage', true, true],
    ['sqs:Get*', 'sqs:GetQueueUrl', true, true],
    ['sqs:Get*', 'sqs:SendMessage', true, false],
    ['dynamodb:?etItem', 'dynamodb:GetItem', true, true],
    ['arn:aws:sqs:*:*:q', 'arn:aws:sqs:us-east-1:1:q', false, true],
    ['arn:aws:sqs:*:*:q', 'arn:aws:sqs:us-east-1:1:q2', false, false],
    ['a.b', 'axb', false, false],
    ['SQS:SEND*', 'sqs:sendmessage', true, true],
    ['Q', 'q', false, false],
  ])('%s ~ %s (ignore case %s) is %s', (pattern, value, ignoreCase, expected) => {
    expect(wildcardMatch(pattern, value, ignoreCase)).toBe(expected);
  });
});
