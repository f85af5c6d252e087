// REST API resource policies for anonymous callers, as "Controlling access to a REST API with API
// Gateway resource policies" describes them (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies.html):
// an explicit Deny wins, an Allow must match, `execute-api:/stage/VERB/path` is the API's own ARN.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import type { Logger } from '../../../src/cloud/core/runtime.ts';
import { cloudModel } from './support.ts';

const logger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const started: ApiGateway[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((gateway) => gateway.stop()));
});

async function serve(policy: unknown): Promise<ApiGateway> {
  const mock = { Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 200}' }, IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': '{"ok": true}' } }] };
  const model = cloudModel([
    { logicalId: 'Api', type: 'AWS::ApiGateway::RestApi', physicalId: 'api1', properties: { Name: 'A', Policy: policy } },
    { logicalId: 'Proxy', type: 'AWS::ApiGateway::Resource', physicalId: 'res-proxy', properties: { RestApiId: 'api1', ParentId: 'api1-root-id', PathPart: '{proxy+}' } },
    { logicalId: 'Any', type: 'AWS::ApiGateway::Method', physicalId: 'm1', properties: { RestApiId: 'api1', ResourceId: 'res-proxy', HttpMethod: 'ANY', AuthorizationType: 'NONE', Integration: mock } },
    { logicalId: 'Stage', type: 'AWS::ApiGateway::Stage', physicalId: 'prod', properties: { RestApiId: 'api1', StageName: 'prod' } },
  ]);
  const gateway = new ApiGateway({ model, awsEndpointUrl: 'http://127.0.0.1:9', port: 0, logger });
  await gateway.start();
  started.push(gateway);
  return gateway;
}

const allowAll = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' };

describe('resource policies', () => {
  it('lets through what an Allow covers and refuses an explicit Deny on a path, with AWS\'s message', async () => {
    const gateway = await serve({ Version: '2012-10-17', Statement: [allowAll, { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/prod/DELETE/*' }] });
    expect((await fetch(`${gateway.url}/prod/items/1`)).status).toBe(200);
    const denied = await fetch(`${gateway.url}/prod/items/1`, { method: 'DELETE' });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ Message: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:api1/prod/DELETE/items/1 with an explicit deny' });
  });

  it('refuses what no Allow covers, and reads aws:SourceIp conditions', async () => {
    const gateway = await serve({ Statement: [{ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } } }] });
    const response = await fetch(`${gateway.url}/prod/items/1`);
    expect(response.status).toBe(403);
    expect((await response.json() as { Message: string }).Message).toContain('because no resource-based policy allows the execute-api:Invoke action');
    const local = await serve({ Statement: [{ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8'] } } }] });
    expect((await fetch(`${local.url}/prod/items/1`)).status).toBe(200);
  });

  it('names a policy it cannot evaluate at start and answers 500', async () => {
    const gateway = await serve({ Statement: [{ ...allowAll, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }] });
    expect(gateway.warnings).toEqual(['TestStack/Api: RestApi Policy (resource policy): Condition key aws:PrincipalOrgID is not read; requests to the API answer 500']);
    expect((await fetch(`${gateway.url}/prod/items/1`)).status).toBe(500);
  });
});
