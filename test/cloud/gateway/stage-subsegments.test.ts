// The stage segment's subsegments per integration type, as API Gateway traces them
// (https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html): a MOCK integration
// calls nothing, so its stage segment has no subsegment; calls to Lambda, AWS services and HTTP
// endpoints are covered beside each integration's tests.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import type { Logger } from '../../../src/cloud/core/runtime.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { patternLikeModel } from './support.ts';

const logger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const started: ApiGateway[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((gateway) => gateway.stop()));
});

describe('stage segments of MOCK integrations', () => {
  it('have no subsegment: nothing is called', async () => {
    const segments: Array<Record<string, unknown>> = [];
    const integration = { Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 200}' }, IntegrationResponses: [{ StatusCode: '200' }] };
    const gateway = new ApiGateway({
      model: patternLikeModel({ integration }), awsEndpointUrl: 'http://127.0.0.1:9', port: 0, random: seededRandom(4), logger,
      segmentSink: { send: (document) => segments.push(document) },
    });
    await gateway.start();
    started.push(gateway);
    const response = await fetch(`${gateway.url}/prod/x`);
    expect(response.status).toBe(200);
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatchObject({ name: 'Test API/prod', origin: 'AWS::ApiGateway::Stage' });
    expect(segments[0]).not.toHaveProperty('subsegments');
  });
});
