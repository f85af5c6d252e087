/**
 * Documents as the X-Ray SDKs (Python, Node.js, Java, Go, .NET, Ruby), the OpenTelemetry
 * Collector's X-Ray exporter and the developer guide write them (fixtures/sdk-corpus; index.json
 * cites the source of each). Every one is accepted by PutTraceSegments through the AWS SDK's
 * XRayClient, stored in SQLite, and returned by BatchGetTraces byte for byte.
 */
import { BatchGetTracesCommand, GetTraceSummariesCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { validateDocument } from '../../../src/xray/segments/validate.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';

const FOLDER = fileURLToPath(new URL('./fixtures/sdk-corpus/', import.meta.url));
/** Just after the captured and written documents (December 2026). */
const NOW = 1_796_413_000;

interface IndexEntry {
  readonly file: string;
  readonly sdk: string;
  readonly how: string;
  readonly shows: string;
  readonly sources: ReadonlyArray<Readonly<Record<string, string>>>;
}

const index = (JSON.parse(readFileSync(path.join(FOLDER, 'index.json'), 'utf8')) as { documents: IndexEntry[] }).documents;
/** Each file is the exact text an SDK sent, plus a final newline. */
const corpus = index.map((entry) => {
  const text = readFileSync(path.join(FOLDER, entry.file), 'utf8').replace(/\n$/, '');
  const doc = JSON.parse(text) as { id: string; trace_id: string };
  return { ...entry, text, id: doc.id, traceId: doc.trace_id };
});

let dataDir: string;
let service: XrayService;
let client: XRayClient;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'xray-sdk-corpus-'));
  // The guide's examples date from 2016: keep them.
  service = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => NOW * 1000, consoleDir: false, retentionDays: 36_500 });
  client = new XRayClient({ endpoint: service.api.url, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 });
});

afterAll(async () => {
  client?.destroy();
  await service?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the SDK document corpus', () => {
  test('index.json lists every file, each with its source, from every SDK', () => {
    const files = readdirSync(FOLDER).filter((file) => file.endsWith('.json') && file !== 'index.json').sort();
    expect(corpus.map((entry) => entry.file).sort()).toEqual(files);
    for (const entry of corpus) expect(entry.sources.length, entry.file).toBeGreaterThan(0);
    const prefixes = new Set(corpus.map((entry) => entry.file.split('-')[0]));
    expect([...prefixes].sort()).toEqual(['dotnet', 'go', 'guide', 'java', 'node', 'otel', 'python', 'ruby']);
  });

  test.each(corpus.map((entry) => [entry.file, entry] as const))('%s is valid', (_file, { text }) => {
    const result = validateDocument(text);
    expect(result.ok ? 'accepted' : `${result.errorCode}: ${result.message}`).toBe('accepted');
  });

  test('PutTraceSegments accepts every document and BatchGetTraces returns each byte for byte', async () => {
    const put = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: corpus.map((entry) => entry.text) }));
    expect(put.UnprocessedTraceSegments).toEqual([]);
    const traceIds = [...new Set(corpus.map((entry) => entry.traceId))];
    const returned = new Map<string, string>();
    for (let at = 0; at < traceIds.length; at += 5) {
      const traces = await client.send(new BatchGetTracesCommand({ TraceIds: traceIds.slice(at, at + 5) }));
      expect(traces.UnprocessedTraceIds).toEqual([]);
      for (const segment of (traces.Traces ?? []).flatMap((trace) => trace.Segments ?? [])) returned.set(segment.Id ?? '', segment.Document ?? '');
    }
    for (const { file, id, text } of corpus) expect(returned.get(id), file).toBe(text);
  });

  test('the summaries read them: namespace "local" infers no service, a remote call does', async () => {
    const summaries = await client.send(new GetTraceSummariesCommand({ StartTime: new Date((NOW - 900) * 1000), EndTime: new Date(NOW * 1000) }));
    const byId = new Map((summaries.TraceSummaries ?? []).map((summary) => [summary.Id, summary]));
    const recent = corpus.filter((entry) => !entry.file.startsWith('guide-'));
    expect([...byId.keys()].sort()).toEqual([...new Set(recent.map((entry) => entry.traceId))].sort());

    const python = byId.get(corpus.find((entry) => entry.file === 'python-segment-local-subsegments.json')?.traceId);
    // The segment and the HTTP call's host; load_order, price_order and charge_card are local.
    expect(python?.ServiceIds?.map((service) => service.Name).sort()).toEqual(['127.0.0.1', 'python-orders']);
    expect(python).toMatchObject({ HasFault: false, HasError: false, Http: { HttpStatus: 200 }, Annotations: { customer: [{ AnnotationValue: { StringValue: 'alice' } }] } });

    const otel = byId.get(corpus.find((entry) => entry.file === 'otel-exporter-server-segment.json')?.traceId);
    expect(otel).toMatchObject({ Http: { HttpStatus: 201 }, Users: [{ UserName: 'alice' }] });
  });
});
