// The local cloud's sampling parts together: a template's AWS::XRay::SamplingRule is created in the
// X-Ray API at start, and API Gateway decides by it from the first request.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalCloud } from '../../../src/cloud/index.ts';
import type { LocalCloud } from '../../../src/cloud/index.ts';
import { UdpCapture } from '../gateway/support.ts';
import { defaultRule, FakeXrayApi } from './fake-xray-api.ts';

const root = mkdtempSync(join(tmpdir(), 'cloud-sampling-'));
const assemblyDir = join(root, 'cdk.out');

/** A REST API whose every GET answers 200 from a MOCK integration, and a rule leaving out health checks. */
function writeAssembly(): void {
  const mock = {
    Type: 'MOCK',
    RequestTemplates: { 'application/json': '{"statusCode": 200}' },
    IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': '{"ok":true}' } }],
  };
  const template = {
    Resources: {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'Sampled API' } },
      Proxy: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: '{proxy+}' } },
      ProxyGet: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: { Ref: 'Api' }, ResourceId: { Ref: 'Proxy' }, HttpMethod: 'GET', AuthorizationType: 'NONE', Integration: mock } },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', TracingEnabled: true } },
      HealthChecks: {
        Type: 'AWS::XRay::SamplingRule',
        Properties: {
          SamplingRule: {
            RuleName: 'health-checks', Priority: 10, FixedRate: 0, ReservoirSize: 0, Version: 1,
            ServiceName: 'Sampled API/*', ServiceType: 'AWS::ApiGateway::Stage', Host: '*', HTTPMethod: 'GET', URLPath: '/prod/health*', ResourceARN: '*',
          },
        },
      },
    },
  };
  mkdirSync(assemblyDir, { recursive: true });
  writeFileSync(join(assemblyDir, 'Api.template.json'), JSON.stringify(template));
  writeFileSync(join(assemblyDir, 'manifest.json'), JSON.stringify({
    version: '55.0.0',
    artifacts: { Api: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Api.template.json' } } },
  }));
}

const xrayApi = new FakeXrayApi([defaultRule(1, 1)]);
// As `up --watch` passes on every restart.
const samplingClientId = 'feedfacecafe0123456789ab';
const daemon = new UdpCapture();
const lines: string[] = [];
let cloud: LocalCloud;

beforeAll(async () => {
  writeAssembly();
  await xrayApi.start();
  await daemon.start();
  cloud = await startLocalCloud({
    assemblyDir,
    dataDir: join(root, 'data'),
    daemonAddress: daemon.address,
    xrayApiUrl: xrayApi.url,
    samplingClientId,
    gatewayPort: 0,
    endpointPort: 0,
    logger: { info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) },
  });
}, 60_000);

afterAll(async () => {
  await cloud?.stop();
  await daemon.stop();
  await xrayApi.stop();
  rmSync(root, { recursive: true, force: true });
});

function traceHeader(response: Response): { root: string; sampled: string } {
  const header = response.headers.get('x-amzn-trace-id') ?? '';
  return { root: /Root=([^;]+)/.exec(header)?.[1] ?? '', sampled: /Sampled=(\d)/.exec(header)?.[1] ?? '' };
}

describe('sampling rules in the local cloud', () => {
  it('creates the template\'s rule in the X-Ray API before the gateway reads the rules', () => {
    expect(cloud.warnings).toEqual([]);
    expect(xrayApi.callsTo('/CreateSamplingRule').map((call) => (call.body['SamplingRule'] as Record<string, unknown>)['RuleName'])).toEqual(['health-checks']);
    expect(lines).toContain('sampling: rule health-checks created from Api/HealthChecks');
    // The AWS SDK reads the rules too, to update a rule kept from an earlier run instead of creating it.
    const created = xrayApi.calls.findIndex((call) => call.path === '/CreateSamplingRule');
    const samplerRead = xrayApi.calls.findIndex((call) => call.path === '/GetSamplingRules' && !call.userAgent.startsWith('aws-sdk-js/'));
    expect(created).toBeGreaterThanOrEqual(0);
    expect(samplerRead).toBeGreaterThan(created);
  });

  it('answers health checks unsampled with no segment, and traces the rest', async () => {
    const health = await fetch(`${cloud.stageUrls[0]}health`);
    expect(health.status).toBe(200);
    expect(traceHeader(health).sampled).toBe('0');
    const other = await fetch(`${cloud.stageUrls[0]}other`);
    expect(other.status).toBe(200);
    expect(traceHeader(other).sampled).toBe('1');
    const [segment] = await daemon.waitForTrace(traceHeader(other).root);
    expect(segment).toMatchObject({ name: 'Sampled API/prod', origin: 'AWS::ApiGateway::Stage' });
    expect(daemon.documents.filter((document) => document['trace_id'] === traceHeader(health).root)).toEqual([]);
  });

  it('reports the statistics of those requests with the ClientID it was given', async () => {
    const documents = (): Array<Record<string, unknown>> =>
      xrayApi.callsTo('/SamplingTargets').flatMap((call) => call.body['SamplingStatisticsDocuments'] as Array<Record<string, unknown>>);
    // Reports go every 10 s from start; both rules have counts from the requests above.
    await vi.waitFor(() => expect(new Set(documents().map((document) => document['RuleName']))).toEqual(new Set(['Default', 'health-checks'])),
      { timeout: 30_000, interval: 200 });
    expect(new Set(documents().map((document) => document['ClientID']))).toEqual(new Set([samplingClientId]));
  }, 40_000);
});
