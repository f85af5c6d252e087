import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetTracesCommand, GetServiceGraphCommand, XRayClient } from '@aws-sdk/client-xray';
import type { Trace } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalCloud } from '../../src/cloud/index.ts';
import { buildApp } from '../../src/pattern/infra/build-app.ts';
import type { Instrumentation } from '../../src/pattern/infra/traced-function.ts';
import { startXrayService } from '../../src/xray/service.ts';
import { waitFor } from './support/local-cloud.ts';

/**
 * `npm start` and `npm start -- --instrumentation opentelemetry`, each followed by 20 requests (as
 * `xray-tracer load -n 20` sends them): the two flavours draw the same service map, and a trace of the
 * OpenTelemetry flavour holds the six functions with the X-Ray flavour's annotations, metadata and
 * subsegments, made by the OpenTelemetry SDK.
 */
const root = mkdtempSync(join(tmpdir(), 'e2e-otel-'));
const REQUESTS = 20;

interface Doc {
  id?: string;
  name?: string;
  origin?: string;
  namespace?: string;
  annotations?: Record<string, unknown>;
  metadata?: Record<string, Record<string, unknown>>;
  aws?: { xray?: { sdk?: string; sdk_version?: string } };
  subsegments?: Doc[];
}

interface FlavourRun {
  readonly nodes: string[];
  readonly edges: string[];
  readonly traces: Trace[];
  readonly functions: readonly string[];
}

const runs = new Map<Instrumentation, FlavourRun>();

function flatten(doc: Doc): Doc[] {
  return [doc, ...(doc.subsegments ?? []).flatMap(flatten)];
}

function documents(trace: Trace): Doc[] {
  return (trace.Segments ?? []).map((segment) => JSON.parse(segment.Document ?? '{}') as Doc);
}

/**
 * Every request went through every flow (the SQS consumer, a second later, handled all 20 messages)
 * and every platform function segment has the handler's `## ...` subsegment under it: the handlers'
 * spans all arrived.
 */
function complete(traces: Trace[]): boolean {
  const docs = traces.flatMap(documents);
  const functionSegments = docs.filter((doc) => doc.origin === 'AWS::Lambda::Function');
  const consumed = docs.flatMap(flatten).filter((doc) => doc.name === 'Logging SQS Message').length;
  return functionSegments.length >= REQUESTS * 5 && consumed >= REQUESTS &&
    functionSegments.every((doc) => flatten(doc).some((sub) => sub.name?.startsWith('## ')));
}

async function runFlavour(instrumentation: Instrumentation): Promise<FlavourRun> {
  const dir = join(root, instrumentation);
  const assemblyDir = join(dir, 'cdk.out');
  buildApp({ outdir: assemblyDir, env: {}, cloudFormationValidation: false, instrumentation }).app.synth();
  const xray = await startXrayService({ daemonPort: 0, apiPort: 0, otlpPort: 0, dataDir: join(dir, 'xray') });
  const lines: string[] = [];
  const cloud = await startLocalCloud({
    assemblyDir,
    dataDir: join(dir, 'cloud'),
    daemonAddress: xray.daemon.address,
    xrayApiUrl: xray.api.url,
    ...(xray.otlp !== undefined ? { otlpTracesUrl: xray.otlp.tracesUrl } : {}),
    gatewayPort: 0,
    endpointPort: 0,
    logger: { info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) },
  });
  const client = new XRayClient({ endpoint: xray.api.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const startTime = new Date(Date.now() - 60_000);
    const traceIds: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const response = await fetch(`${cloud.stageUrls[0]}${i % 2 === 0 ? 'alpha' : 'beta'}`);
      expect(response.status).toBe(200);
      traceIds.push(/Root=([^;]+)/.exec(response.headers.get('x-amzn-trace-id') ?? '')?.[1] ?? '');
    }
    let traces: Trace[] = [];
    await waitFor(`every function's handler spans of the ${instrumentation} flavour`, 90_000, async () => {
      traces = [];
      for (let i = 0; i < traceIds.length; i += 5) {
        const page = await client.send(new BatchGetTracesCommand({ TraceIds: traceIds.slice(i, i + 5) }));
        traces.push(...(page.Traces ?? []));
      }
      return complete(traces);
    });
    const graph = await client.send(new GetServiceGraphCommand({ StartTime: startTime, EndTime: new Date(Date.now() + 60_000) }));
    const services = graph.Services ?? [];
    const label = new Map(services.map((service) => [service.ReferenceId, `${service.Type ?? ''} ${service.Name ?? ''}`]));
    return {
      nodes: services.map((service) => `${service.Type ?? ''} ${service.Name ?? ''}`).sort(),
      edges: services
        .flatMap((service) => (service.Edges ?? []).map((edge) => `${label.get(service.ReferenceId) ?? '?'} -> ${label.get(edge.ReferenceId) ?? '?'}`))
        .sort(),
      traces,
      functions: cloud.started.functions,
    };
  } finally {
    client.destroy();
    await cloud.stop();
    await xray.stop();
  }
}

beforeAll(async () => {
  runs.set('xray', await runFlavour('xray'));
  runs.set('opentelemetry', await runFlavour('opentelemetry'));
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(instrumentation: Instrumentation): FlavourRun {
  const found = runs.get(instrumentation);
  if (found === undefined) throw new Error(`the ${instrumentation} flavour did not run`);
  return found;
}

describe('the OpenTelemetry flavour on the local cloud', () => {
  test('draws the same service map as the X-Ray flavour: the same nodes and the same edges', () => {
    const xray = run('xray');
    const otel = run('opentelemetry');
    // The functions have the same names in both runs (the templates name them alike).
    expect(otel.functions).toEqual(xray.functions);
    expect(otel.nodes).toEqual(xray.nodes);
    expect(otel.edges).toEqual(xray.edges);
    expect(otel.nodes.filter((node) => node.startsWith('AWS::Lambda::Function '))).toHaveLength(6);
    expect(otel.nodes).toEqual(expect.arrayContaining([expect.stringMatching(/^AWS::DynamoDB::Table /), expect.stringMatching(/^AWS::SQS::Queue /), 'remote 127.0.0.1']));
  });

  test('a trace holds the six functions, each with the handler subsegment and the custom subsegments, annotations and metadata', () => {
    const { traces } = run('opentelemetry');
    const withConsumer = traces.find((trace) => documents(trace).filter((doc) => doc.origin === 'AWS::Lambda::Function').length === 6);
    expect(withConsumer, 'a trace whose SQS consumer ran on it').toBeDefined();
    const docs = documents(withConsumer as Trace).flatMap(flatten);
    const named = (name: string): Doc => {
      const doc = docs.find((candidate) => candidate.name === name);
      if (doc === undefined) throw new Error(`no ${name} in ${docs.map((d) => d.name).join(', ')}`);
      return doc;
    };
    expect(docs.filter((doc) => doc.name?.startsWith('## ')).length).toBe(6);
    for (const handler of docs.filter((doc) => doc.name?.startsWith('## '))) {
      expect(handler.annotations).toMatchObject({ ColdStart: expect.any(Boolean), Service: expect.stringMatching(/^xray-tracer-/) });
      expect(handler.aws?.xray).toMatchObject({ sdk: 'opentelemetry for nodejs', sdk_version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    }
    expect(named('DynamoDB Query').annotations).toEqual({ path: expect.stringMatching(/^\/prod\//) });
    expect(named('DynamoDB Query').metadata?.default).toHaveProperty('event.Records');
    expect(named('SNS Publish Logic').annotations).toEqual({ message: 'Simulated Message' });
    expect(Object.keys(named('SNS Publish Logic').metadata?.default ?? {}).sort()).toEqual(['params', 'response']);
    expect(named('SQS Logic').annotations).toEqual({ message: expect.stringMatching(/^hello from \/prod\//) });
    expect(named('SQS Logic').metadata?.default).toHaveProperty('params.DelaySeconds', 1);
    expect(named('process_message').annotations).toEqual({ message_content: 'Simulated Message' });
    expect(named('Logging SQS Message').metadata?.default).toHaveProperty('message', expect.stringMatching(/^hello from /));
    for (const call of ['DynamoDB', 'SNS', 'SQS']) expect(named(call).namespace).toBe('aws');
  });

  test('the HTTP flow fails about 40% of the time, recorded as a fault with its cause, and otherwise GETs the target in external HTTP Request', () => {
    const { traces } = run('opentelemetry');
    const httpRuns = traces.flatMap(documents).filter((doc) => doc.origin === 'AWS::Lambda::Function' && /Http/.test(doc.name ?? ''));
    // Lambda retries a failed asynchronous invocation (twice at most), so a request may have up to three runs.
    expect(httpRuns.length).toBeGreaterThanOrEqual(REQUESTS);
    expect(httpRuns.length).toBeLessThanOrEqual(REQUESTS * 3);
    const handlerOf = (doc: Doc): (Doc & { fault?: boolean; cause?: { exceptions?: { message?: string }[] } }) | undefined =>
      flatten(doc).find((sub) => sub.name?.startsWith('## '));
    const failed = httpRuns.filter((doc) => handlerOf(doc)?.fault === true);
    const succeeded = httpRuns.filter((doc) => flatten(doc).some((sub) => sub.name === 'external HTTP Request'));
    expect(failed.length + succeeded.length).toBe(httpRuns.length);
    for (const doc of failed) expect(handlerOf(doc)?.cause?.exceptions?.[0]?.message).toBe('SSL Cert Exception');
    // 20 first draws at 40 %: no failure at all, or no success at all, has odds under 1 in 27,000.
    expect(failed.length).toBeGreaterThan(0);
    expect(succeeded.length).toBeGreaterThan(0);
  });
});
