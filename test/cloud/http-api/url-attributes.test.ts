// Fn::GetAtt ApiEndpoint and FunctionUrl resolve to the local listeners' URLs when the local cloud
// serves them (so environment variables built on them work), else to AWS's shapes
// (https://<api-id>.execute-api.<region>.amazonaws.com, https://<url-id>.lambda-url.<region>.on.aws/).
import { describe, expect, it } from 'vitest';
import type { CfnTemplate } from '../../../src/cloud/template/assembly.ts';
import { buildCloudModel } from '../../../src/cloud/template/model.ts';
import { declaredHttpEndpoints } from '../../../src/cloud/http-api/bind.ts';
import { ENDPOINT, stack } from '../template/support.ts';

const template: CfnTemplate = {
  Resources: {
    Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'fn' } },
    FnUrl: { Type: 'AWS::Lambda::Url', Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'A', ProtocolType: 'HTTP' } },
    Socket: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'W', ProtocolType: 'WEBSOCKET' } },
    Caller: {
      Type: 'AWS::Lambda::Function',
      Properties: { Environment: { Variables: { URL: { 'Fn::GetAtt': ['FnUrl', 'FunctionUrl'] }, API: { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] }, API_ID: { Ref: 'Api' } } } },
    },
  },
};

function variables(localUrls?: Map<string, string>): Record<string, unknown> {
  const built = buildCloudModel([stack('S', template)], { endpointUrl: ENDPOINT, ...(localUrls ? { localUrls } : {}) });
  expect(built.warnings).toEqual([]);
  const caller = built.resources.find((resource) => resource.logicalId === 'Caller');
  return (caller?.properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
}

describe('HTTP API and function URL attributes', () => {
  it('are the local URLs when served', () => {
    const served = variables(new Map([['S/FnUrl', 'http://127.0.0.1:3002/'], ['S/Api', 'http://127.0.0.1:3001']]));
    expect(served).toMatchObject({ URL: 'http://127.0.0.1:3002/', API: 'http://127.0.0.1:3001' });
    expect(served['API_ID']).toMatch(/^[a-z0-9]{10}$/);
  });

  it('have AWS\'s shapes otherwise', () => {
    const plain = variables();
    expect(plain['URL']).toMatch(/^https:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws\/$/);
    expect(plain['API']).toBe(`https://${String(plain['API_ID'])}.execute-api.us-east-1.amazonaws.com`);
  });

  it('get a port each for HTTP APIs, then function URLs; WebSocket APIs get none', () => {
    expect(declaredHttpEndpoints([stack('S', template)])).toEqual([
      { stack: 'S', logicalId: 'Api', kind: 'http-api' },
      { stack: 'S', logicalId: 'FnUrl', kind: 'function-url' },
    ]);
  });
});
