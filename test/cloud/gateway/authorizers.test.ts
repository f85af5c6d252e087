// Lambda authorizers (TOKEN and REQUEST) with a stand-in for the Lambda service. Event and output
// shapes as "Input to an API Gateway Lambda authorizer" and "Output from an API Gateway Lambda
// authorizer" document them:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
import { describe, expect, it } from 'vitest';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import type { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { cloudModel, gatewaysStoppedAfterEach } from './support.ts';

const lambdaUri = (name: string): string => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${name}/invocations`;
const ARN_PREFIX = 'arn:aws:execute-api:us-east-1:000000000000:api1';

function model(authorizer: Record<string, unknown>, method: Record<string, unknown> = {}): ReturnType<typeof cloudModel> {
  return cloudModel([
    { logicalId: 'Api', type: 'AWS::ApiGateway::RestApi', physicalId: 'api1', properties: { Name: 'Auth API' } },
    { logicalId: 'Pets', type: 'AWS::ApiGateway::Resource', physicalId: 'res-pets', properties: { RestApiId: 'api1', ParentId: 'api1-root-id', PathPart: 'pets' } },
    { logicalId: 'Pet', type: 'AWS::ApiGateway::Resource', physicalId: 'res-pet', properties: { RestApiId: 'api1', ParentId: 'res-pets', PathPart: '{id}' } },
    { logicalId: 'Authorizer', type: 'AWS::ApiGateway::Authorizer', physicalId: 'auth1', properties: { RestApiId: 'api1', Name: 'Checker', AuthorizerUri: lambdaUri('checker'), ...authorizer } },
    {
      logicalId: 'PetGet', type: 'AWS::ApiGateway::Method', physicalId: 'm1',
      properties: { RestApiId: 'api1', ResourceId: 'res-pet', HttpMethod: 'ANY', AuthorizationType: 'CUSTOM', AuthorizerId: 'auth1', Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: lambdaUri('pets') }, ...method },
    },
    { logicalId: 'Stage', type: 'AWS::ApiGateway::Stage', physicalId: 'prod', properties: { RestApiId: 'api1', StageName: 'prod', TracingEnabled: true } },
  ]);
}

/** What CDK's TokenAuthorizer writes (its default cache time is five minutes). */
const TOKEN = { Type: 'TOKEN', IdentitySource: 'method.request.header.Authorization', AuthorizerResultTtlInSeconds: 300 };

function policy(effect: 'Allow' | 'Deny', resource: string | string[], context: Record<string, unknown> = { user: 'u1', level: 3, admin: false }): InvokeResult {
  return {
    statusCode: 200,
    payload: { principalId: 'user|1', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] }, context },
  };
}

const { logged, logger, start } = gatewaysStoppedAfterEach();

function lambdas(checker: (request: InvokeRequest) => InvokeResult): LambdaInvoker & { calls: InvokeRequest[] } {
  const calls: InvokeRequest[] = [];
  return {
    calls,
    invoke: (request) => {
      calls.push(request);
      if (request.functionName.endsWith(':checker')) return Promise.resolve(checker(request));
      return Promise.resolve({ statusCode: 200, payload: { statusCode: 200, body: JSON.stringify((request.payload as { requestContext: unknown }).requestContext) } });
    },
  };
}

async function serve(m: ReturnType<typeof cloudModel>, lambda: LambdaInvoker, options: { clock?: () => number; segments?: Array<Record<string, unknown>> } = {}): Promise<ApiGateway> {
  const segments = options.segments ?? [];
  return start({
    model: m, awsEndpointUrl: 'http://127.0.0.1:9', port: 0, random: seededRandom(9), logger, lambda,
    ...(options.clock ? { clock: options.clock } : {}), segmentSink: { send: (document) => segments.push(document) },
  });
}

const authorizerCalls = (lambda: { calls: InvokeRequest[] }): InvokeRequest[] => lambda.calls.filter((call) => call.functionName.endsWith(':checker'));

describe('TOKEN authorizers', () => {
  it('invokes the authorizer with the token and method ARN, and passes principal and context to the integration', async () => {
    const lambda = lambdas(() => policy('Allow', `${ARN_PREFIX}/prod/*/pets/*`));
    const gateway = await serve(model(TOKEN), lambda);
    const response = await fetch(`${gateway.url}/prod/pets/7`, { headers: { authorization: 'Bearer good' } });
    expect(response.status).toBe(200);
    expect(authorizerCalls(lambda)[0]?.payload).toEqual({ type: 'TOKEN', authorizationToken: 'Bearer good', methodArn: `${ARN_PREFIX}/prod/GET/pets/7` });
    // REST APIs hand the context to a proxy integration as strings.
    expect((await response.json() as Record<string, unknown>).authorizer).toEqual({ principalId: 'user|1', user: 'u1', level: '3', admin: 'false', integrationLatency: 0 });
  });

  it('answers 401 Unauthorized without a call when the token is missing or fails the IdentityValidationExpression', async () => {
    const lambda = lambdas(() => policy('Allow', '*'));
    const gateway = await serve(model({ ...TOKEN, IdentityValidationExpression: '^Bearer [-0-9a-zA-Z._]+$' }), lambda);
    const missing = await fetch(`${gateway.url}/prod/pets/7`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ message: 'Unauthorized' });
    expect(missing.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
    const malformed = await fetch(`${gateway.url}/prod/pets/7`, { headers: { authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);
    expect(authorizerCalls(lambda)).toHaveLength(0);
  });

  it('answers 403 for an explicit Deny and for a policy that allows other resources only', async () => {
    const denied = await serve(model(TOKEN), lambdas(() => policy('Deny', `${ARN_PREFIX}/*`)));
    const deny = await fetch(`${denied.url}/prod/pets/7`, { headers: { authorization: 't' } });
    expect(deny.status).toBe(403);
    expect(await deny.json()).toEqual({ Message: 'User is not authorized to access this resource with an explicit deny' });

    const elsewhere = await serve(model(TOKEN), lambdas(() => policy('Allow', `${ARN_PREFIX}/prod/GET/cats/*`)));
    const implicit = await fetch(`${elsewhere.url}/prod/pets/7`, { headers: { authorization: 't' } });
    expect(implicit.status).toBe(403);
    expect(await implicit.json()).toEqual({ Message: 'User is not authorized to access this resource' });
  });

  it('answers 401 when the authorizer fails with "Unauthorized", and 500 AuthorizerConfigurationException for any other failure or output', async () => {
    const fail = (message: string): InvokeResult => ({ statusCode: 200, functionError: 'Unhandled', errorMessage: message, payload: { errorType: 'Error', errorMessage: message, trace: [] } });
    const refusing = await serve(model(TOKEN), lambdas(() => fail('Unauthorized')));
    expect((await fetch(`${refusing.url}/prod/pets/7`, { headers: { authorization: 't' } })).status).toBe(401);

    const broken = await serve(model(TOKEN), lambdas(() => fail('boom')));
    const response = await fetch(`${broken.url}/prod/pets/7`, { headers: { authorization: 't' } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: null });
    expect(response.headers.get('x-amzn-errortype')).toBe('AuthorizerConfigurationException');

    const nested = await serve(model(TOKEN), lambdas(() => policy('Allow', '*', { claims: { a: 1 } })));
    expect((await fetch(`${nested.url}/prod/pets/7`, { headers: { authorization: 't' } })).status).toBe(500);
    expect(logged.join('\n')).toContain('context.claims is not a string, number or boolean');
  });

  it('caches the policy per token for AuthorizerResultTtlInSeconds and evaluates it against each method ARN', async () => {
    let nowMs = 1_700_000_000_000;
    const lambda = lambdas(() => policy('Allow', `${ARN_PREFIX}/prod/GET/pets/7`));
    const gateway = await serve(model(TOKEN), lambda, { clock: () => nowMs });
    const get = (path: string, token = 'a'): Promise<Response> => fetch(`${gateway.url}/prod/${path}`, { headers: { authorization: token } });
    expect((await get('pets/7')).status).toBe(200);
    expect((await get('pets/7')).status).toBe(200);
    // The cached policy does not cover another pet: 403 without a new call, as on AWS.
    expect((await get('pets/8')).status).toBe(403);
    expect(authorizerCalls(lambda)).toHaveLength(1);
    expect((await get('pets/7', 'b')).status).toBe(200);
    expect(authorizerCalls(lambda)).toHaveLength(2);
    nowMs += 301_000;
    expect((await get('pets/7')).status).toBe(200);
    expect(authorizerCalls(lambda)).toHaveLength(3);
  });

  it('calls the authorizer on every request when the TTL is 0', async () => {
    const lambda = lambdas(() => policy('Allow', '*'));
    const gateway = await serve(model({ ...TOKEN, AuthorizerResultTtlInSeconds: 0 }), lambda);
    for (let i = 0; i < 3; i += 1) await fetch(`${gateway.url}/prod/pets/7`, { headers: { authorization: 'same' } });
    expect(authorizerCalls(lambda)).toHaveLength(3);
  });

  it('records the authorizer call as a Lambda subsegment before the integration\'s', async () => {
    const segments: Array<Record<string, unknown>> = [];
    const lambda = lambdas(() => policy('Allow', '*'));
    const gateway = await serve(model(TOKEN), lambda, { segments });
    await fetch(`${gateway.url}/prod/pets/7`, { headers: { authorization: 't' } });
    const subsegments = segments[0]?.['subsegments'] as Array<Record<string, unknown>>;
    expect(subsegments.map((s) => [s['name'], (s['aws'] as Record<string, unknown>)['function_name']])).toEqual([['Lambda', 'checker'], ['Lambda', 'pets']]);
    expect(lambda.calls[0]?.trace?.parent).toBe(subsegments[0]?.['id']);
  });
});

describe('REQUEST authorizers', () => {
  const REQUEST = { Type: 'REQUEST', IdentitySource: 'method.request.header.X-User, method.request.querystring.tenant', AuthorizerResultTtlInSeconds: 300 };

  it('gets the request event with the identity sources, and its context reaches $context.authorizer in templates', async () => {
    const lambda = lambdas(() => policy('Allow', '*', { tier: 'gold' }));
    const mock = {
      Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 200}' },
      IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': '{"p": "$context.authorizer.principalId", "tier": "$context.authorizer.tier"}' } }],
    };
    const gateway = await serve(model(REQUEST, { Integration: mock }), lambda);
    const response = await fetch(`${gateway.url}/prod/pets/7?tenant=t1`, { headers: { 'x-user': 'ann' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ p: 'user|1', tier: 'gold' });
    expect(authorizerCalls(lambda)[0]?.payload).toMatchObject({
      type: 'REQUEST', methodArn: `${ARN_PREFIX}/prod/GET/pets/7`, resource: '/pets/{id}', path: '/pets/7', httpMethod: 'GET',
      headers: { 'x-user': 'ann' }, queryStringParameters: { tenant: 't1' }, pathParameters: { id: '7' }, requestContext: { stage: 'prod' },
    });
    expect(authorizerCalls(lambda)[0]?.payload).not.toHaveProperty('body');
  });

  it('answers 401 without a call when an identity source is missing while caching is on, and calls without it when caching is off', async () => {
    const cached = lambdas(() => policy('Allow', '*'));
    const gateway = await serve(model(REQUEST), cached);
    expect((await fetch(`${gateway.url}/prod/pets/7`, { headers: { 'x-user': 'ann' } })).status).toBe(401);
    expect(authorizerCalls(cached)).toHaveLength(0);

    const uncached = lambdas(() => policy('Allow', '*'));
    const open = await serve(model({ ...REQUEST, AuthorizerResultTtlInSeconds: 0 }), uncached);
    expect((await fetch(`${open.url}/prod/pets/7`)).status).toBe(200);
    expect(authorizerCalls(uncached)).toHaveLength(1);
  });
});

describe('authorization the local gateway does not run', () => {
  it('names a Cognito authorizer at start and answers its requests 500, naming it', async () => {
    const lambda = lambdas(() => policy('Allow', '*'));
    const gateway = await serve(model({ Type: 'COGNITO_USER_POOLS', ProviderARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_x'] }, { AuthorizationType: 'COGNITO_USER_POOLS' }), lambda);
    expect(gateway.warnings).toContain('Auth API: ANY /pets/{id} (PetGet): Cognito user pool authorizer Authorizer (AuthorizationType COGNITO_USER_POOLS) is not supported by the local API Gateway; requests to it answer 500');
    const response = await fetch(`${gateway.url}/prod/pets/7`, { headers: { authorization: 'jwt' } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error: Cognito user pool authorizer Authorizer (AuthorizationType COGNITO_USER_POOLS) is not supported by the local API Gateway' });
    expect(lambda.calls).toHaveLength(0);
  });
});
