/**
 * Every listener of the X-Ray service (API and console, the daemon's TCP side, OTLP) refuses what a
 * hostile web page can send (a rebinding Host, another Origin, cross-site fetch metadata, text/plain
 * where JSON is read) while the real clients keep working.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { CreateGroupCommand, GetGroupsCommand, XRayClient } from '@aws-sdk/client-xray';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '../../src/xray/log/logger.ts';
import { startXrayService } from '../../src/xray/service.ts';
import type { XrayService } from '../../src/xray/service.ts';
import { MemoryTraceStore } from '../../src/xray/store/index.ts';
import { sendPlain, type PlainAnswer } from '../support/plain-request.ts';

/** A request to the listener on 127.0.0.1:`port`, with exactly the headers given. */
function send(port: number, method: string, path: string, headers: OutgoingHttpHeaders, body = ''): Promise<PlainAnswer> {
  return sendPlain(`http://127.0.0.1:${port}${path}`, method, headers, body);
}

const warnings: string[] = [];
const logger: Logger = { info: () => {}, warn: (line) => warnings.push(line), error: (line) => warnings.push(line) };
let service: XrayService;
let client: XRayClient;
let apiPort: number;
let daemonPort: number;
let otlpPort: number;

beforeAll(async () => {
  service = await startXrayService({ store: new MemoryTraceStore(), daemonPort: 0, apiPort: 0, otlpPort: 0, logger, allowedHosts: ['devbox.lan'] });
  client = new XRayClient({ endpoint: service.api.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });
  apiPort = service.api.address.port;
  daemonPort = service.daemon.tcp.port;
  otlpPort = service.otlp?.address.port ?? 0;
});

afterAll(async () => {
  client.destroy();
  await service.stop();
});

async function groupNames(): Promise<string[]> {
  return ((await client.send(new GetGroupsCommand({}))).Groups ?? []).map((group) => group.GroupName ?? '');
}

/** What a cross-site page can make a browser send, and a rebinding page's Host. */
function hostileVariants(port: number): Array<{ name: string; headers: OutgoingHttpHeaders }> {
  const own = `127.0.0.1:${port}`;
  return [
    { name: 'a rebinding Host', headers: { host: `evil.test:${port}`, 'content-type': 'application/json' } },
    { name: 'another origin', headers: { host: own, origin: 'http://127.0.0.1:8080', 'content-type': 'application/json' } },
    { name: 'Origin null', headers: { host: own, origin: 'null', 'content-type': 'application/json' } },
    { name: 'Sec-Fetch-Site cross-site', headers: { host: own, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' } },
    { name: 'Sec-Fetch-Site same-site', headers: { host: own, 'sec-fetch-site': 'same-site', 'content-type': 'application/json' } },
  ];
}

describe('X-Ray API and console', () => {
  test.each(['a rebinding Host', 'another origin', 'Origin null', 'Sec-Fetch-Site cross-site', 'Sec-Fetch-Site same-site'])(
    'CreateGroup with %s is refused with 403 AccessDeniedException and creates nothing',
    async (name) => {
      const variant = hostileVariants(apiPort).find((candidate) => candidate.name === name);
      const answer = await send(apiPort, 'POST', '/CreateGroup', variant?.headers ?? {}, JSON.stringify({ GroupName: `g-${name.replace(/\W/g, '')}` }));
      expect(answer.status).toBe(403);
      expect(answer.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(await groupNames()).toEqual(['Default']);
    },
  );

  test('a refused request with a large body still gets its answer, not a reset connection', async () => {
    const body = JSON.stringify({ TraceSegmentDocuments: ['x'.repeat(4 * 1024 * 1024)] });
    const answer = await send(apiPort, 'POST', '/TraceSegments', { host: `evil.test:${apiPort}`, 'content-type': 'application/json' }, body);
    expect(answer.status).toBe(403);
    expect(answer.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  });

  test('a text/plain or form body is refused with 415 and writes nothing', async () => {
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await send(apiPort, 'POST', '/CreateGroup', { 'content-type': type }, JSON.stringify({ GroupName: 'plain' }));
      expect(answer.status).toBe(415);
    }
    expect(await groupNames()).toEqual(['Default']);
  });

  test('a rebinding page cannot read traces or the console', async () => {
    const summaries = await send(apiPort, 'POST', '/TraceSummaries', { host: `evil.test:${apiPort}`, 'content-type': 'application/json' }, '{"StartTime":0,"EndTime":1}');
    expect(summaries.status).toBe(403);
    expect(summaries.body).not.toContain('TraceSummaries');
    const page = await send(apiPort, 'GET', '/', { host: `evil.test:${apiPort}` });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('<html');
  });

  test('a CORS preflight is refused and allows nothing', async () => {
    const answer = await send(apiPort, 'OPTIONS', '/CreateGroup', { origin: 'https://evil.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    expect(answer.status).toBe(403);
    expect(Object.keys(answer.headers).filter((header) => header.startsWith('access-control-'))).toEqual([]);
  });

  test('the console page loads from its own origin, from a link on another site and from an allowed name', async () => {
    for (const headers of [
      { host: `127.0.0.1:${apiPort}`, 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
      { host: `localhost:${apiPort}`, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
      { host: `devbox.lan:${apiPort}` },
    ]) {
      const page = await send(apiPort, 'GET', '/', headers);
      expect(page.status, JSON.stringify(headers)).not.toBe(403);
    }
  });

  test('the console\'s own calls (same origin, application/json) and XRayClient work; JSON answers carry nosniff', async () => {
    const own = await send(apiPort, 'POST', '/Groups', { origin: `http://127.0.0.1:${apiPort}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, '{}');
    expect(own.status).toBe(200);
    expect(own.headers['x-content-type-options']).toBe('nosniff');
    await client.send(new CreateGroupCommand({ GroupName: 'sdk', FilterExpression: 'fault' }));
    expect(await groupNames()).toContain('sdk');
  });

  test('a refusal is logged once per kind, naming the flag', () => {
    const hostLines = warnings.filter((line) => line.startsWith('xray api: refused') && line.includes('Host'));
    expect(hostLines).toHaveLength(1);
    expect(hostLines[0]).toContain('--allowed-host');
  });
});

describe('daemon TCP sampling endpoints', () => {
  test.each(['a rebinding Host', 'another origin', 'Sec-Fetch-Site cross-site'])('GetSamplingRules with %s is refused', async (name) => {
    const variant = hostileVariants(daemonPort).find((candidate) => candidate.name === name);
    const answer = await send(daemonPort, 'POST', '/GetSamplingRules', variant?.headers ?? {}, '{}');
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('SamplingRuleRecords');
  });

  test('a text/plain SamplingTargets is refused with 415', async () => {
    const answer = await send(daemonPort, 'POST', '/SamplingTargets', { 'content-type': 'text/plain' }, '{"SamplingStatisticsDocuments":[]}');
    expect(answer.status).toBe(415);
  });

  test('aws-xray-sdk-core\'s own sampling request gets the rules', async () => {
    const require = createRequire(import.meta.url);
    const daemonConfig = require('aws-xray-sdk-core/dist/lib/daemon_config.js') as { setDaemonAddress(address: string): void };
    const connector = require('aws-xray-sdk-core/dist/lib/middleware/sampling/service_connector.js') as {
      fetchSamplingRules(callback: (error: Error | null, rules?: unknown[]) => void): void;
    };
    daemonConfig.setDaemonAddress(`127.0.0.1:${daemonPort}`);
    const rules = await new Promise<unknown[]>((resolve, reject) => connector.fetchSamplingRules((error, found) => (error ? reject(error) : resolve(found ?? []))));
    expect(rules.length).toBeGreaterThan(0);
  });
});

describe('OTLP receiver', () => {
  const spanJson = '{"resourceSpans":[]}';

  test.each(['a rebinding Host', 'another origin', 'Sec-Fetch-Site cross-site'])('an export with %s is refused as an OTLP Status', async (name) => {
    const variant = hostileVariants(otlpPort).find((candidate) => candidate.name === name);
    const answer = await send(otlpPort, 'POST', '/v1/traces', variant?.headers ?? {}, spanJson);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 7 });
  });

  test('text/plain is refused with 415', async () => {
    expect((await send(otlpPort, 'POST', '/v1/traces', { 'content-type': 'text/plain' }, spanJson)).status).toBe(415);
  });

  test('the OpenTelemetry OTLP/HTTP exporter still exports', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    const span = provider.getTracer('guard').startSpan('GET /x', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    span.end();
    const exporter = new OTLPTraceExporter({ url: service.otlp?.tracesUrl });
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(memory.getFinishedSpans(), resolve));
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0);
    expect(service.stats().otlp?.acceptedSpans).toBe(1);
  });
});
