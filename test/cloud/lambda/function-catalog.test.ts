import { describe, expect, it } from 'vitest';
import { FunctionCatalog, foundOrThrow } from '../../../src/cloud/lambda/function-catalog.ts';
import { lambdaFunctionsFromModel } from '../../../src/cloud/lambda/functions.ts';
import { buildCloudModel } from '../../../src/cloud/template/model.ts';
import type { CfnTemplate } from '../../../src/cloud/template/assembly.ts';

/** What CDK writes for `fn.currentVersion` and `new Alias(this, 'Live', { aliasName: 'live', version })`. */
const template: CfnTemplate = {
  Resources: {
    Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'fn', Runtime: 'nodejs22.x' }, Metadata: { 'aws:asset:path': 'asset.fn' } },
    FnCurrentVersion4E0A7B1F: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
    FnLive: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: { 'Fn::GetAtt': ['FnCurrentVersion4E0A7B1F', 'Version'] }, Name: 'live' } },
    ByRef: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: { Ref: 'FnCurrentVersion4E0A7B1F' }, Name: 'by-ref' } },
    Latest: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] }, FunctionVersion: '$LATEST', Name: 'latest' } },
    Dangling: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: '9', Name: 'dangling' } },
  },
  Outputs: {},
};

describe('FunctionCatalog from the templates', () => {
  const model = buildCloudModel([{ stackName: 'S', artifactId: 'S', template, dependencies: [], assemblyDir: '/assembly' }], { endpointUrl: 'http://127.0.0.1:4566' });
  const { functions } = lambdaFunctionsFromModel(model);
  const { catalog, warnings } = FunctionCatalog.fromModel(model, functions, 'us-east-1', '000000000000');
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:fn';

  it('gives versions and aliases the ARNs CloudFormation gives them, with no unsupported-type warning', () => {
    expect(model.warnings).toEqual([]);
    expect(model.byType('AWS::Lambda::Version')[0]?.physicalId).toBe(`${arn}:1`);
    expect(model.byType('AWS::Lambda::Alias').map((alias) => alias.physicalId)).toEqual([`${arn}:live`, `${arn}:by-ref`, `${arn}:latest`, `${arn}:dangling`]);
  });

  it('resolves each qualifier to the version it runs, and says what it cannot create', () => {
    expect(['live', 'by-ref', 'latest', '1', '$LATEST'].map((qualifier) => foundOrThrow(catalog.locate('fn', qualifier)).executedVersion)).toEqual(['1', '1', '$LATEST', '1', '$LATEST']);
    expect(catalog.locate('fn', 'dangling').missing?.code).toBe('ResourceNotFoundException');
    expect(warnings).toEqual(['alias S/Dangling points to version 9 of fn, which the templates do not publish; it is not created']);
  });
});
