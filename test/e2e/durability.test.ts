import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatchGetTracesCommand, CreateGroupCommand, CreateSamplingRuleCommand, GetGroupCommand, GetSamplingRulesCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { afterAll, describe, expect, test } from 'vitest';
import { ExportTraceServiceRequest } from '../../src/xray/otlp/schema.ts';
import { datagram, newTraceId, segment } from '../xray/support/documents.ts';
import { startServiceProcess } from './support/service-process.ts';
import type { ServiceProcess } from './support/service-process.ts';

const dataDirs: string[] = [];
const running: ServiceProcess[] = [];
afterAll(() => {
  for (const service of running) service.kill('SIGKILL');
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<ServiceProcess> {
  const service = await startServiceProcess(dataDir);
  running.push(service);
  return service;
}

function clientFor(service: ServiceProcess): XRayClient {
  return new XRayClient({ endpoint: service.apiUrl, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });
}

/** Segment ids stored for these traces, five trace ids a call as the API allows. */
async function storedIds(client: XRayClient, traceIds: string[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let i = 0; i < traceIds.length; i += 5) {
    const result = await client.send(new BatchGetTracesCommand({ TraceIds: traceIds.slice(i, i + 5) }));
    for (const trace of result.Traces ?? []) for (const s of trace.Segments ?? []) ids.add(s.Id ?? '');
  }
  return ids;
}

describe('durability of the service process', () => {
  test('segments acknowledged by PutTraceSegments survive a SIGKILL right after the last response', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-durability-'));
    dataDirs.push(dataDir);
    const first = await start(dataDir);
    const client = clientFor(first);
    const now = Date.now() / 1000;
    const traceIds: string[] = [];
    const segmentIds: string[] = [];
    // 60 segments in 20 calls of 3 documents, over 12 traces.
    for (let call = 0; call < 20; call++) {
      if (call % 5 === 0 || traceIds.length === 0) traceIds.push(newTraceId(now));
      const traceId = traceIds.at(-1) as string;
      const documents = Array.from({ length: 3 }, (_, i) => segment(traceId, now + call + i / 10));
      const result = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: documents.map((d) => JSON.stringify(d)) }));
      expect(result.UnprocessedTraceSegments).toEqual([]);
      segmentIds.push(...documents.map((d) => d.id as string));
    }
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    client.destroy();

    const second = await start(dataDir);
    const reader = clientFor(second);
    const stored = await storedIds(reader, traceIds);
    expect(segmentIds.filter((id) => !stored.has(id))).toEqual([]);
    expect(stored.size).toBe(60);
    reader.destroy();
    second.kill('SIGKILL');
  });

  test('spans acknowledged by OTLP/HTTP, protobuf and JSON, survive a SIGKILL right after the last 200', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-durability-'));
    dataDirs.push(dataDir);
    const first = await start(dataDir);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const traceIds: string[] = [];
    const spanIds: string[] = [];
    // 20 exports of 4 root spans (one segment each), alternating encodings, one trace an export.
    for (let call = 0; call < 20; call++) {
      const otelTraceId = `${nowSeconds.toString(16).padStart(8, '0')}${(0xd0ab0000 + call).toString(16)}${'0'.repeat(16)}`;
      traceIds.push(`1-${otelTraceId.slice(0, 8)}-${otelTraceId.slice(8)}`);
      const spans = Array.from({ length: 4 }, (_, i) => {
        const spanId = `${(0x5a000000 + call * 4 + i).toString(16)}${'0'.repeat(7)}1`;
        spanIds.push(spanId);
        const startNs = BigInt(nowSeconds) * 1_000_000_000n + BigInt(call * 4 + i) * 1_000_000n;
        return { otelTraceId, spanId, startNs: startNs.toString(), endNs: (startNs + 500_000n).toString() };
      });
      const protobuf = call % 2 === 0;
      const response = await fetch(first.otlpTracesUrl, {
        method: 'POST',
        headers: { 'content-type': protobuf ? 'application/x-protobuf' : 'application/json' },
        body: protobuf ? new Uint8Array(otlpProtobuf(spans)) : otlpJson(spans),
      });
      expect(response.status).toBe(200);
      // No partialSuccess: every span was taken.
      expect(response.headers.get('content-length')).toBe(protobuf ? '0' : '2');
    }
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await start(dataDir);
    const reader = clientFor(second);
    const stored = await storedIds(reader, traceIds);
    expect(spanIds.filter((id) => !stored.has(id))).toEqual([]);
    expect(stored.size).toBe(80);
    reader.destroy();
    second.kill('SIGKILL');
  });

  test('a group and a sampling rule answered by CreateGroup and CreateSamplingRule survive a SIGKILL right after', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-durability-'));
    dataDirs.push(dataDir);
    const first = await start(dataDir);
    const client = clientFor(first);
    await client.send(new CreateGroupCommand({ GroupName: 'kept', FilterExpression: 'responsetime > 1' }));
    await client.send(new CreateSamplingRuleCommand({
      SamplingRule: {
        RuleName: 'kept-rule', Priority: 5, FixedRate: 0.5, ReservoirSize: 2, ServiceName: '*', ServiceType: '*',
        Host: '*', HTTPMethod: '*', URLPath: '/kept*', ResourceARN: '*', Version: 1,
      },
    }));
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    client.destroy();

    const second = await start(dataDir);
    const reader = clientFor(second);
    const group = await reader.send(new GetGroupCommand({ GroupName: 'kept' }));
    expect(group.Group?.FilterExpression).toBe('responsetime > 1');
    const rules = await reader.send(new GetSamplingRulesCommand({}));
    expect(rules.SamplingRuleRecords?.map((record) => record.SamplingRule?.RuleName)).toContain('kept-rule');
    reader.destroy();
    second.kill('SIGKILL');
  });

  test('UDP datagrams accepted before a SIGTERM are stored; the service reports them as it stops', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-durability-'));
    dataDirs.push(dataDir);
    const first = await start(dataDir);
    const now = Date.now() / 1000;
    const traceIds = Array.from({ length: 40 }, () => newTraceId(now));
    const documents = traceIds.flatMap((traceId, t) => Array.from({ length: 5 }, (_, i) => segment(traceId, now + t / 100 + i / 1000)));
    const socket = createSocket('udp4');
    await Promise.all(
      documents.map(
        (document) =>
          new Promise<void>((resolve, reject) =>
            socket.send(datagram(document), first.daemonPort, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
          ),
      ),
    );
    socket.close();
    first.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('stopped: 200 datagrams received, 200 accepted, 0 rejected; OTLP: 0 spans accepted, 0 rejected; 200 documents stored, 0 lost');

    const second = await start(dataDir);
    const reader = clientFor(second);
    const stored = await storedIds(reader, traceIds);
    expect(documents.filter((d) => !stored.has(d.id as string)).map((d) => d.id)).toEqual([]);
    reader.destroy();
    second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  test('bad settings stop the command with a message naming the setting', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-durability-'));
    dataDirs.push(dataDir);
    await expect(startServiceProcess(dataDir, ['--retention-days', 'forever'])).rejects.toThrow(
      '--retention-days must be a number of days greater than 0, got "forever"',
    );
  });
});

interface TestSpan {
  readonly otelTraceId: string;
  readonly spanId: string;
  readonly startNs: string;
  readonly endNs: string;
}

/** Root server spans of one service, as an OTel SDK exports them. */
function otlpJson(spans: readonly TestSpan[]): string {
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'durable-otel' } }] },
      scopeSpans: [{ spans: spans.map((span) => ({ traceId: span.otelTraceId, spanId: span.spanId, name: 'GET /', kind: 2, startTimeUnixNano: span.startNs, endTimeUnixNano: span.endNs })) }],
    }],
  });
}

function otlpProtobuf(spans: readonly TestSpan[]): Uint8Array {
  const message = ExportTraceServiceRequest.fromObject({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'durable-otel' } }] },
      scopeSpans: [{
        spans: spans.map((span) => ({
          traceId: Buffer.from(span.otelTraceId, 'hex'), spanId: Buffer.from(span.spanId, 'hex'), name: 'GET /', kind: 2,
          startTimeUnixNano: span.startNs, endTimeUnixNano: span.endNs,
        })),
      }],
    }],
  });
  return ExportTraceServiceRequest.encode(message).finish();
}
