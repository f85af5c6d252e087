import { describe, expect, it } from 'vitest';
import { IntegrationUriError, parseAwsIntegrationUri } from '../../../src/cloud/gateway/aws-uri.ts';
import { shapeServiceCall } from '../../../src/cloud/gateway/service-call.ts';

// URI forms: https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html (uri)
describe('parseAwsIntegrationUri', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['arn:aws:apigateway:us-east-1:sqs:path/000000000000/work', { service: 'sqs', form: 'path', action: undefined, region: 'us-east-1', path: '/000000000000/work', query: {} }],
    ['arn:aws:apigateway:eu-west-1:sqs:action/SendMessage', { service: 'sqs', form: 'action', action: 'SendMessage', region: 'eu-west-1', path: '/', query: { Action: 'SendMessage' } }],
    ['arn:aws:apigateway:us-east-1:dynamodb:action/PutItem', { service: 'dynamodb', form: 'action', action: 'PutItem', path: '/' }],
    ['arn:aws:apigateway:us-east-1:sns:action/Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A0%3At', { service: 'sns', action: 'Publish', query: { Action: 'Publish', TopicArn: 'arn:aws:sns:us-east-1:0:t' } }],
    ['arn:aws:apigateway:us-east-1:sns:path//', { service: 'sns', form: 'path', path: '/' }],
    ['arn:aws:apigateway:us-east-1:my-bucket.s3:path/{key}', { service: 's3', form: 'path', path: '/a%2Fb' }],
    ['arn:aws:apigateway::sqs:action/ReceiveMessage', { service: 'sqs', region: undefined }],
    ['arn:aws-cn:apigateway:cn-north-1:kinesis:action/PutRecord', { service: 'kinesis', action: 'PutRecord' }],
  ];
  it.each(cases)('%s', (uri, expected) => {
    expect(parseAwsIntegrationUri(uri, { key: 'a/b' })).toMatchObject(expected);
  });

  it.each(['arn:aws:apigateway:us-east-1:sqs:action/', 'arn:aws:lambda:us-east-1:0:function:f', 'arn:aws:apigateway:us-east-1:sqs:other/x', 'arn:aws:apigateway:us-east-1:s3:path/{key}'])(
    'refuses %s',
    (uri) => {
      expect(() => parseAwsIntegrationUri(uri)).toThrow(IntegrationUriError);
    },
  );
});

describe('shapeServiceCall', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  it.each([
    ['SQS action, form body: the Query protocol, JSON asked for', 'arn:aws:apigateway:us-east-1:sqs:action/SendMessage', form,
      { query: { Action: 'SendMessage' }, headers: { ...form, accept: 'application/json' } }],
    ['SQS action, JSON 1.0 body: the JSON protocol', 'arn:aws:apigateway:us-east-1:sqs:action/SendMessage', { 'content-type': 'application/x-amz-json-1.0' },
      { query: {}, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' } }],
    ['DynamoDB action, the template\'s application/json: JSON 1.0 with the target', 'arn:aws:apigateway:us-east-1:dynamodb:action/Query', { 'content-type': 'application/json' },
      { query: {}, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Query' } }],
    ['SNS path: the form as it is', 'arn:aws:apigateway:us-east-1:sns:path//', { ...form, accept: 'text/xml' },
      { query: {}, headers: { ...form, accept: 'text/xml' } }],
  ])('%s', (_name, uri, headers, expected) => {
    const target = parseAwsIntegrationUri(uri);
    expect(shapeServiceCall(target, headers, target.query)).toEqual(expected);
  });
});
