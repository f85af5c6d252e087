import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import { CentralizedSampler } from '../../../src/cloud/sampling/centralized-sampler.ts';
import type { Sampler, SamplingRequest } from '../../../src/cloud/sampling/sampler.ts';
import { HttpSamplingApi } from '../../../src/cloud/sampling/sampling-api.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import type { SegmentSink } from '../../../src/cloud/core/types.ts';
import { defaultRule, FakeXrayApi } from '../sampling/fake-xray-api.ts';
import { FakeAwsEndpoint, patternLikeModel } from './support.ts';

/** Segments as the gateway hands them over: in order, at once, nothing lost. */
class RecordingSink implements SegmentSink {
  readonly documents: Array<Record<string, unknown>> = [];
  send(document: Record<string, unknown>): void {
    this.documents.push(document);
  }
  traces(): unknown[] {
    return this.documents.map((document) => document['trace_id']);
  }
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const backend = new FakeAwsEndpoint();
const xrayApi = new FakeXrayApi([
  defaultRule(1, 1),
  { RuleName: 'health-checks', Priority: 10, URLPath: '/prod/health*', FixedRate: 0, ReservoirSize: 0 },
]);
let sink: RecordingSink;
let sampler: CentralizedSampler;
let gateway: ApiGateway;

async function startGateway(chosen: Sampler): Promise<void> {
  gateway = new ApiGateway({
    model: patternLikeModel(), awsEndpointUrl: backend.url, port: 0, segmentSink: sink, sampler: chosen, random: seededRandom(11), logger: quiet,
  });
  await gateway.start();
}

beforeAll(async () => {
  await backend.start();
  await xrayApi.start();
});

afterAll(async () => {
  await xrayApi.stop();
  await backend.stop();
});

beforeEach(() => {
  sink = new RecordingSink();
  backend.requests.length = 0;
  sampler = new CentralizedSampler({ api: new HttpSamplingApi({ url: xrayApi.url }), random: seededRandom(3), logger: quiet });
});

afterEach(async () => {
  await gateway.stop();
  await sampler.stop();
});

function traceHeader(response: Response): { root: string; sampled: string } {
  const header = response.headers.get('x-amzn-trace-id') ?? '';
  return { root: /Root=([^;]+)/.exec(header)?.[1] ?? '', sampled: /Sampled=(\d)/.exec(header)?.[1] ?? '' };
}

describe('API Gateway with centralized sampling rules', () => {
  it('answers /prod/health unsampled and sends no segment for it, while /prod/other is sampled by the default rule', async () => {
    await sampler.start();
    await startGateway(sampler);
    const health: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${gateway.url}/prod/health`);
      expect(response.status).toBe(200);
      const { root, sampled } = traceHeader(response);
      expect(root).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(sampled).toBe('0');
      health.push(root);
    }
    const other: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${gateway.url}/prod/other`);
      expect(response.status).toBe(200);
      expect(traceHeader(response).sampled).toBe('1');
      other.push(traceHeader(response).root);
    }
    expect(sink.traces()).toEqual(other);
    expect(sink.documents.map((document) => document['name'])).toEqual(Array(5).fill('Test API/prod'));
    // The integration is told too, so that nothing downstream records the health checks.
    const toBackend = backend.requests.map((request) => String(request.headers['x-amzn-trace-id']));
    expect(toBackend.slice(0, 5)).toEqual(health.map((root) => `Root=${root};Sampled=0`));
    for (const [i, header] of toBackend.slice(5).entries()) expect(header).toMatch(new RegExp(`^Root=${other[i]};Parent=[0-9a-f]{16};Sampled=1$`));
  });

  it('honours the caller\'s decision over the rules', async () => {
    await sampler.start();
    await startGateway(sampler);
    const root = '1-6a000000-0123456789abcdef01234567';
    const forced = await fetch(`${gateway.url}/prod/health`, { headers: { 'X-Amzn-Trace-Id': `Root=${root};Sampled=1` } });
    expect(traceHeader(forced)).toEqual({ root, sampled: '1' });
    const refused = await fetch(`${gateway.url}/prod/other`, { headers: { 'X-Amzn-Trace-Id': 'Root=1-6a000000-76543210fedcba9876543210;Sampled=0' } });
    expect(traceHeader(refused).sampled).toBe('0');
    expect(sink.traces()).toEqual([root]);
  });

  it('asks the sampler with the stage\'s name, type and ARN and the request\'s host, method and path', async () => {
    const asked: SamplingRequest[] = [];
    await startGateway({ shouldSample: (request) => (asked.push(request), false) });
    const response = await fetch(`${gateway.url}/prod/items/7?x=1`, { headers: { 'X-Amzn-Trace-Id': 'Root=1-6a000000-0123456789abcdef01234567' } });
    expect(response.status).toBe(200);
    expect(traceHeader(response).sampled).toBe('0');
    expect(asked).toEqual([{
      serviceName: 'Test API/prod',
      serviceType: 'AWS::ApiGateway::Stage',
      host: new URL(gateway.url).host,
      httpMethod: 'GET',
      urlPath: '/prod/items/7',
      resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/api1/stages/prod',
    }]);
    expect(sink.documents).toEqual([]);
  });

  it('samples every request when the X-Ray API cannot be reached', async () => {
    const gone = new FakeXrayApi();
    await gone.start();
    await gone.stop();
    const unreachable = new CentralizedSampler({ api: new HttpSamplingApi({ url: gone.url }), logger: quiet });
    await unreachable.start();
    await startGateway(unreachable);
    const response = await fetch(`${gateway.url}/prod/health`);
    expect(response.status).toBe(200);
    expect(traceHeader(response).sampled).toBe('1');
    expect(sink.documents).toHaveLength(1);
    await unreachable.stop();
  });
});
