// Declarations the local gateway does not run are named at start, and a method whose answers would
// differ answers an AWS-shaped 500 naming the property, never a 200.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import type { Logger } from '../../../src/cloud/core/runtime.ts';
import { cloudModel } from './support.ts';

const logger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const started: ApiGateway[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((gateway) => gateway.stop()));
});

describe('what the local gateway does not run', () => {
  it('refuses a method whose integration converts content, and names stage caches and OpenAPI bodies at start', async () => {
    const model = cloudModel([
      { logicalId: 'Api', type: 'AWS::ApiGateway::RestApi', physicalId: 'api1', properties: { Name: 'A', Body: { openapi: '3.0.1', paths: {} } } },
      {
        logicalId: 'Get', type: 'AWS::ApiGateway::Method', physicalId: 'm1',
        properties: { RestApiId: 'api1', ResourceId: 'api1-root-id', HttpMethod: 'GET', AuthorizationType: 'NONE', Integration: { Type: 'MOCK', ContentHandling: 'CONVERT_TO_BINARY', RequestTemplates: { 'application/json': '{"statusCode": 200}' }, IntegrationResponses: [{ StatusCode: '200' }] } },
      },
      { logicalId: 'Stage', type: 'AWS::ApiGateway::Stage', physicalId: 'prod', properties: { RestApiId: 'api1', StageName: 'prod', CacheClusterEnabled: true } },
    ]);
    const gateway = new ApiGateway({ model, awsEndpointUrl: 'http://127.0.0.1:9', port: 0, logger });
    await gateway.start();
    started.push(gateway);
    expect(gateway.warnings).toEqual([
      'TestStack/Get (GET /): Get: Integration.ContentHandling CONVERT_TO_BINARY is not supported by the local API Gateway; answers 500',
      'TestStack/Api: RestApi Body (an OpenAPI definition, as SpecRestApi writes) is not read: only AWS::ApiGateway::Resource and Method resources are served; its other paths answer 403 Missing Authentication Token',
      'TestStack/Stage: CacheClusterEnabled: responses are not cached locally; every request reaches the integration',
    ]);
    const response = await fetch(`${gateway.url}/prod/`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error: Get: Integration.ContentHandling CONVERT_TO_BINARY is not supported by the local API Gateway' });
  });

  it('answers 403 Forbidden for an API whose execute-api endpoint is disabled, naming it at start', async () => {
    const model = cloudModel([
      { logicalId: 'Api', type: 'AWS::ApiGateway::RestApi', physicalId: 'api1', properties: { Name: 'A', DisableExecuteApiEndpoint: true } },
      { logicalId: 'Get', type: 'AWS::ApiGateway::Method', physicalId: 'm1', properties: { RestApiId: 'api1', ResourceId: 'api1-root-id', HttpMethod: 'GET', AuthorizationType: 'NONE', Integration: { Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 200}' }, IntegrationResponses: [{ StatusCode: '200' }] } } },
      { logicalId: 'Stage', type: 'AWS::ApiGateway::Stage', physicalId: 'prod', properties: { RestApiId: 'api1', StageName: 'prod' } },
    ]);
    const gateway = new ApiGateway({ model, awsEndpointUrl: 'http://127.0.0.1:9', port: 0, logger });
    await gateway.start();
    started.push(gateway);
    expect(gateway.warnings.join('\n')).toContain('TestStack/Api: RestApi DisableExecuteApiEndpoint is true');
    const response = await fetch(`${gateway.url}/prod/`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
  });
});
