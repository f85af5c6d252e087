import { describe, expect, test } from 'vitest';
import type { EntityFields, SegmentDocument } from '../../../src/xray/model/segment-document.ts';
import { inferredService, segmentService, toServiceId } from '../../../src/xray/traces/services.ts';
import { serviceIdJson } from '../../../src/xray/api/trace-summary-json.ts';

const sub = (fields: Record<string, unknown>): EntityFields =>
  ({ id: '0000000000000001', name: 'DynamoDB', start_time: 1, end_time: 2, ...fields }) as EntityFields;

describe('services', () => {
  test.each([
    ['a DynamoDB table', { namespace: 'aws', aws: { table_name: 'Hits', account_id: '123456789012' } }, { name: 'Hits', type: 'AWS::DynamoDB::Table', accountId: '123456789012' }],
    ['an SQS queue by its URL', { namespace: 'aws', name: 'SQS', aws: { queue_url: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders' } }, { name: 'orders', type: 'AWS::SQS::Queue' }],
    ['an S3 bucket', { namespace: 'aws', name: 'S3', aws: { bucket_name: 'photos' } }, { name: 'photos', type: 'AWS::S3::Bucket' }],
    ['a Lambda function by its ARN', { namespace: 'aws', name: 'Lambda', aws: { function_name: 'arn:aws:lambda:us-east-1:123456789012:function:resize' } }, { name: 'resize', type: 'AWS::Lambda' }],
    ['an SNS topic by its name, as on the service map', { namespace: 'aws', name: 'SNS', aws: { topic_arn: 'arn:aws:sns:us-east-1:123456789012:fan-out' } }, { name: 'fan-out', type: 'AWS::SNS' }],
    ['an AWS call without a resource by its service', { namespace: 'aws', name: 'Step Functions', aws: { operation: 'StartExecution' } }, { name: 'Step Functions', type: 'AWS::StepFunctions' }],
    ['a remote call by its host', { namespace: 'remote', name: 'call', http: { request: { url: 'https://api.example.com:8443/v1?q=1' } } }, { name: 'api.example.com', type: 'remote' }],
    ['a remote call without a URL by its name', { namespace: 'remote', name: 'legacy-soap' }, { name: 'legacy-soap', type: 'remote' }],
  ])('infers %s', (_what, fields, expected) => {
    expect(inferredService(sub(fields))).toEqual({ accountId: undefined, inferred: true, ...expected });
  });

  test.each([
    ['a traced remote call (the callee sends its own segment)', { namespace: 'remote', http: { request: { url: 'https://b.example.com', traced: true } } }],
    ['a local subsegment', {}],
  ])('infers nothing for %s', (_what, fields) => {
    expect(inferredService(sub(fields))).toBeUndefined();
  });

  test('a call nested inside another namespaced call describes that call and infers nothing', () => {
    expect(inferredService(sub({ namespace: 'remote', http: { request: { url: 'https://dynamodb.us-east-1.amazonaws.com/' } } }), true)).toBeUndefined();
  });

  test('a segment is its own service, typed by its origin', () => {
    const doc = { id: '0000000000000002', trace_id: '1-6553f300-00000000000000000000abcd', name: 'orders', start_time: 1, end_time: 2, origin: 'AWS::EC2::Instance', aws: { account_id: '210987654321' } } as SegmentDocument;
    expect(serviceIdJson(toServiceId(segmentService(doc)))).toEqual({ Name: 'orders', Names: ['orders'], Type: 'AWS::EC2::Instance', AccountId: '210987654321' });
  });
});
