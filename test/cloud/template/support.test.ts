import { describe, expect, it } from 'vitest';
import { buildCloudModel } from '../../../src/cloud/template/model.ts';
import type { AssemblyStack, CfnTemplate } from '../../../src/cloud/template/assembly.ts';
import { describeNotRun, describeRunning, RESOURCE_SUPPORT, supportReport } from '../../../src/cloud/template/support.ts';

function resources(template: CfnTemplate) {
  const stack: AssemblyStack = { stackName: 'S', artifactId: 'S', template, dependencies: [], assemblyDir: '/' };
  return buildCloudModel([stack], { endpointUrl: 'http://127.0.0.1:4566' }).resources;
}

describe('supportReport', () => {
  const report = supportReport(resources({
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Layers: ['arn:aws:lambda:us-east-1:1:layer:x:1'] } },
      Work: { Type: 'AWS::SQS::Queue', Properties: {} },
      Ordered: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } },
      Hits: { Type: 'AWS::DynamoDB::Table', Properties: { StreamSpecification: { StreamViewType: 'NEW_IMAGE' }, TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } } },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
    },
  }));

  it('counts what runs (FIFO queues included), leaving out what is only read', () => {
    expect(describeRunning(report)).toBe('1 function, 2 queues, 1 table');
  });

  it('names every type, property and refused resource that does not run, by logical id', () => {
    expect(report.notRun.map(describeNotRun)).toEqual([
      'S/Fn (AWS::Lambda::Function) Layers: layers are not mounted: code that imports from a layer fails',
      'S/Hits (AWS::DynamoDB::Table) TimeToLiveSpecification: items do not expire',
      'S/Bucket (AWS::S3::Bucket): this resource type is not run locally: the resource is not created',
    ]);
  });

  it('gives every type that runs a noun to count it by', () => {
    for (const [type, support] of Object.entries(RESOURCE_SUPPORT)) {
      if (support.level === 'runs') expect(support.noun, type).toBeDefined();
    }
  });
});
