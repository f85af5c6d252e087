import { describe, expect, it } from 'vitest';
import { Authorizers } from '../../../src/cloud/gateway/authorizers.ts';
import { readRestApis } from '../../../src/cloud/gateway/api-model.ts';
import { Router } from '../../../src/cloud/gateway/router.ts';
import { cloudModel, patternLikeModel, snsIntegration } from './support.ts';

const mock = { Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 200}' }, IntegrationResponses: [{ StatusCode: '200' }] };

function method(logicalId: string, resourceId: string, httpMethod: string): Parameters<typeof cloudModel>[0][number] {
  return { logicalId, type: 'AWS::ApiGateway::Method', physicalId: logicalId, properties: { RestApiId: 'shop', ResourceId: resourceId, HttpMethod: httpMethod, AuthorizationType: 'NONE', Integration: mock } };
}

function resource(id: string, parentId: string, pathPart: string): Parameters<typeof cloudModel>[0][number] {
  return { logicalId: id, type: 'AWS::ApiGateway::Resource', physicalId: id, properties: { RestApiId: 'shop', ParentId: parentId, PathPart: pathPart } };
}

// Children listed before their parents on purpose: templates do not order resources.
const shop = cloudModel([
  { logicalId: 'Shop', type: 'AWS::ApiGateway::RestApi', physicalId: 'shop', properties: { Name: 'Shop' } },
  resource('itemId', 'items', '{id}'),
  resource('itemsSpecial', 'items', 'special'),
  resource('items', 'shop-root', 'items'),
  resource('files', 'shop-root', 'files'),
  resource('filePath', 'files', '{path+}'),
  method('GetItems', 'items', 'GET'),
  method('GetItem', 'itemId', 'GET'),
  method('AnySpecial', 'itemsSpecial', 'ANY'),
  method('GetFile', 'filePath', 'GET'),
  method('RootGet', 'shop-root', 'GET'),
  { logicalId: 'Dev', type: 'AWS::ApiGateway::Stage', physicalId: 'dev', properties: { RestApiId: 'shop', StageName: 'dev' } },
  { logicalId: 'Deployment', type: 'AWS::ApiGateway::Deployment', physicalId: 'd1', properties: { RestApiId: 'shop', StageName: 'v1', StageDescription: { TracingEnabled: true, Variables: { color: 'blue' } } } },
]);

describe('routes from the templates', () => {
  const { apis, warnings } = readRestApis(shop);
  const router = new Router(apis);
  const route = (httpMethod: string, path: string) => {
    const found = router.match(httpMethod, path);
    return found && { method: found.method.logicalId, resource: found.resource.path, stage: found.stage.name, params: found.pathParameters };
  };

  it('builds the resource tree whatever the order of the resources', () => {
    expect(warnings).toEqual([]);
    const paths = (node: (typeof apis)[number]['root']): string[] => [node.path, ...node.children.flatMap(paths)];
    expect(paths(apis[0]!.root).sort()).toEqual(['/', '/files', '/files/{path+}', '/items', '/items/special', '/items/{id}']);
  });

  it('serves under the stage prefix only, the root at /<stage> and /<stage>/', () => {
    expect(route('GET', '/dev')).toEqual({ method: 'RootGet', resource: '/', stage: 'dev', params: {} });
    expect(route('GET', '/dev/')).toMatchObject({ method: 'RootGet' });
    expect(route('GET', '/items')).toBeUndefined();
    expect(route('GET', '/')).toBeUndefined();
    expect(route('GET', '/prod/items')).toBeUndefined();
  });

  it('prefers a literal path part to a parameter, and a parameter to a greedy one', () => {
    expect(route('GET', '/dev/items')).toMatchObject({ method: 'GetItems', resource: '/items' });
    expect(route('GET', '/dev/items/')).toMatchObject({ method: 'GetItems' });
    expect(route('GET', '/dev/items/42')).toEqual({ method: 'GetItem', resource: '/items/{id}', stage: 'dev', params: { id: '42' } });
    expect(route('GET', '/dev/items/special')).toMatchObject({ method: 'AnySpecial', params: {} });
    expect(route('GET', '/dev/items/a%20b')).toMatchObject({ params: { id: 'a b' } });
    expect(route('GET', '/dev/items/42/more')).toBeUndefined();
  });

  it('lets a greedy parameter take one segment or more, never none', () => {
    expect(route('GET', '/dev/files/a/b/c.txt')).toMatchObject({ method: 'GetFile', params: { path: 'a/b/c.txt' } });
    expect(route('GET', '/dev/files/x')).toMatchObject({ params: { path: 'x' } });
    expect(route('GET', '/dev/files')).toBeUndefined();
  });

  it('matches the method or else ANY', () => {
    expect(route('DELETE', '/dev/items/special')).toMatchObject({ method: 'AnySpecial' });
    expect(route('POST', '/dev/items')).toBeUndefined();
    expect(route('get', '/dev/items')).toMatchObject({ method: 'GetItems' });
  });

  it("reads a Deployment's inline stage with its tracing and variables", () => {
    const v1 = apis[0]!.stages.find((stage) => stage.name === 'v1');
    expect(v1).toMatchObject({ tracingEnabled: true, variables: { color: 'blue' } });
    expect(apis[0]!.stages.find((stage) => stage.name === 'dev')?.tracingEnabled).toBe(false);
    expect(route('GET', '/v1/items')).toMatchObject({ stage: 'v1' });
  });
});

describe('what the model reader reports', () => {
  it('warns, naming the method, about integrations and authorization it does not serve', () => {
    const model = cloudModel([
      { logicalId: 'Api', type: 'AWS::ApiGateway::RestApi', physicalId: 'a', properties: { Name: 'A' } },
      { logicalId: 'Proxy', type: 'AWS::ApiGateway::Method', physicalId: 'm1', properties: { RestApiId: 'a', ResourceId: 'root', HttpMethod: 'POST', AuthorizationType: 'AWS_IAM', Integration: { Type: 'AWS_PROXY', Uri: 'x' } } },
      { logicalId: 'Bare', type: 'AWS::ApiGateway::Method', physicalId: 'm2', properties: { RestApiId: 'a', ResourceId: 'root', HttpMethod: 'GET' } },
      { logicalId: 'Orphan', type: 'AWS::ApiGateway::Resource', physicalId: 'r1', properties: { RestApiId: 'a', ParentId: 'r1', PathPart: 'loop' } },
    ]);
    const { apis, warnings } = readRestApis(model);
    expect(Authorizers.warnings(apis[0]!)).toEqual(['A: POST / (Proxy): AuthorizationType AWS_IAM (SigV4 callers) is not supported by the local API Gateway; requests to it answer 500']);
    expect(warnings).toEqual([
      "TestStack/Orphan: resource's parent r1 is not in API TestStack/Api; not served",
      'TestStack/Proxy (POST /): AWS_PROXY integration whose Uri names no Lambda function (x); answers 500',
      'TestStack/Bare (GET /): has no Integration; answers 500',
      'TestStack/Api: API "A" has no stage; not served',
    ]);
  });

  it("reads the stage's throttling from MethodSettings, a method's own before the stage-wide one", () => {
    const model = patternLikeModel({
      integration: snsIntegration(),
      stage: {
        MethodSettings: [
          { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
          { ResourcePath: '/~1{proxy+}', HttpMethod: 'GET', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        ],
      },
    });
    const stage = readRestApis(model).apis[0]!.stages[0]!;
    expect(stage.throttlingFor('/{proxy+}', 'GET')).toEqual({ rateLimit: 5, burstLimit: 10 });
    expect(stage.throttlingFor('/', 'GET')).toEqual({ rateLimit: 100, burstLimit: 200 });
    expect(readRestApis(patternLikeModel()).apis[0]!.stages[0]!.throttlingFor('/', 'GET')).toBeUndefined();
  });

  it("reads the stage's detailed metrics from MethodSettings MetricsEnabled, a method's own before the stage-wide one", () => {
    const model = patternLikeModel({
      integration: snsIntegration(),
      stage: {
        MethodSettings: [
          { ResourcePath: '/*', HttpMethod: '*', MetricsEnabled: true },
          { ResourcePath: '/~1{proxy+}', HttpMethod: 'GET', MetricsEnabled: false },
        ],
      },
    });
    const stage = readRestApis(model).apis[0]!.stages[0]!;
    expect(stage.metricsEnabledFor('/', 'GET')).toBe(true);
    expect(stage.metricsEnabledFor('/{proxy+}', 'GET')).toBe(false);
    expect(readRestApis(patternLikeModel()).apis[0]!.stages[0]!.metricsEnabledFor('/', 'GET')).toBe(false);
  });
});
