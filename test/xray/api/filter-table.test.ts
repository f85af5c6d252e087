/**
 * The filter table: every construct of the language, each with the traces of filter-corpus.ts it
 * must match (worked out by hand from the facts listed there), asked through the X-Ray API with
 * XRayClient, page by page, against the in-memory store and the SQLite store behind the writer
 * thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateGroupCommand, paginateGetTraceSummaries, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { filterCorpus, TRACE_KEYS, type TraceKey } from './filter-corpus.ts';

const NOW = 1_750_000_000;
const FAULTS_ARN = 'arn:aws:xray:us-east-1:000000000000:group/faults/FAULTS';

const ALL = TRACE_KEYS;
const except = (...keys: TraceKey[]): readonly TraceKey[] => ALL.filter((k) => !keys.includes(k));

export const TABLE: ReadonlyArray<readonly [string, readonly TraceKey[]]> = [
  // ---- boolean keywords ----
  ['ok', except('C', 'D', 'E')],
  ['!ok', ['C', 'D', 'E']],
  ['error', ['C', 'D']],
  ['Error = TRUE', ['C', 'D']],
  ['throttle', ['D', 'F']],
  ['fault = true', ['E']],
  ['fault != false', ['E']],
  ['partial', ['G']],
  ['inferred', ['A', 'B', 'E', 'F']],
  ['NOT inferred', ['C', 'D', 'G', 'H', 'I', 'J']],
  // ---- number keywords ----
  ['responsetime > 3', ['F', 'H']],
  ['responsetime <= 0.08', ['A', 'C', 'D', 'I']],
  ['duration >= 1 AND duration < 6', ['B', 'F']],
  ['duration = 0', ['G']],
  ['http.status = 200', ['A', 'B', 'F', 'I']],
  ['http.status != 200', ['C', 'D', 'E', 'J']],
  ['http.status >= 400 AND http.status < 500', ['C', 'D']],
  ['http.status >= 5e2', ['E']],
  ['!http.status', ['G', 'H']],
  ['responsetime', except('G')],
  // ---- string keywords ----
  ['http.url CONTAINS "/prod/dynamo"', ['A', 'D', 'F']],
  ['http.url ENDSWITH "/prod/dynamo"', ['A', 'D']],
  ['http.url BEGINSWITH "https://api.example.com/prod/"', except('H')],
  ['http.url CONTAINS "café"', ['I']],
  ['http.url CONTAINS "%25b?q=_"', ['J']],
  ['http.url CONTAINS "%"', ['J']],
  ['http.method = "POST"', ['C']],
  ['http.method != "GET"', ['C']],
  ['http.method = "get"', []],
  ['http.useragent BEGINSWITH "aws-sdk"', ['C', 'D']],
  ['http.clientip = "198.51.100.7"', ['C', 'D']],
  ['http.clientip CONTAINS ":"', ['I']],
  ['user = "alice"', ['A', 'E', 'F']],
  ['user != "alice"', ['B', 'D', 'I', 'J']],
  ['user CONTAINS ""', ['A', 'B', 'D', 'E', 'F', 'I', 'J']],
  ['!user', ['C', 'G', 'H']],
  ['user = "dave" user = "alice"', ['F']],
  ['user = "zoë 🚀"', ['I']],
  ['user = "%"', ['J']],
  ['user BEGINSWITH "A"', []],
  ['availabilityzone = "us-east-1b"', ['H']],
  ['instance.id BEGINSWITH "i-0abc"', ['H']],
  ['resource.arn ENDSWITH ":function:dynamo-fn"', ['A', 'F']],
  // ---- annotations ----
  ['annotation.path = "/prod/http"', ['B']],
  ['annotation.path BEGINSWITH "/prod/dynamo"', ['A', 'F']],
  ['annotation.retries > 2', ['D', 'F']],
  ['annotation.retries >= 2', ['B', 'D', 'F', 'G']],
  ['annotation.retries != 3', ['A', 'B', 'D', 'G']],
  ['annotation.retries = "3"', ['F']],
  ['annotation.retries', ['A', 'B', 'D', 'F', 'G']],
  ['annotation.cold', ['A', 'H']],
  ['!annotation.cold', except('A', 'H')],
  ['annotation.cold = false', ['D']],
  ['annotation.note CONTAINS "%_"', ['E', 'J']],
  ['annotation.note = "\'; DROP TABLE traces; --"', ['I']],
  ['annotation.path = "C:\\\\temp"', ['J']],
  ['annotation.path ENDSWITH "é"', ['I']],
  ['annotation.missing', []],
  ['annotation.job = "nightly-report" OR annotation.path = "/prod/x"', ['C', 'H']],
  // ---- service ----
  ['service("http-fn")', ['B']],
  ['service("http-fn") { fault }', ['B']],
  ['service("dynamo-fn") { fault }', []],
  ['service(id(name: "Hits", type: "AWS::DynamoDB::Table")) { throttle }', ['F']],
  ['service("Hits") { responsetime > 1 }', ['F']],
  ['!service("fan-out")', ['C', 'D', 'G', 'H', 'I', 'J']],
  ['service() { fault }', ['B', 'E']],
  ['service() { fault AND type = "remote" }', ['B']],
  ['service() { root AND error }', ['C', 'D']],
  ['service(id(type: "AWS::EC2::Instance"))', ['H']],
  ['service() { inferred AND name BEGINSWITH "fan" }', ['A', 'B', 'E', 'F']],
  ['service("api/prod") { !ok }', ['C', 'D', 'E', 'G']],
  ['service() { responsetime > 4.7 }', ['F', 'H']],
  // ---- edge ----
  ['edge("http-fn", "jsonplaceholder.typicode.com") { fault }', ['B']],
  ['edge("api/prod", "fan-out") { fault }', ['E']],
  ['edge("fan-out", id(type: "AWS::Lambda"))', ['A', 'B', 'F']],
  ['edge(id(type: "AWS::Lambda::Function"), "Hits") { throttle OR responsetime > 3 }', ['F']],
  // ---- root causes ----
  ['rootcause.fault.service { name = "jsonplaceholder.typicode.com" }', ['B']],
  ['rootcause.fault.exception { message = "SSL Cert Exception" }', ['B']],
  ['rootcause.fault.service { name = "fan-out" AND last }', ['E']],
  ['rootcause.error.service { name = "Hits" }', ['F']],
  ['rootcause.error.service', ['C', 'D', 'F']],
  ['rootcause.responsetime.service { name = "report-worker" }', ['H']],
  ['rootcause.responsetime.entity { coverage > 0.99 }', ['F', 'H']],
  // ---- groups ----
  ['group.name = "faults"', ['B', 'E']],
  ['group.name != "faults"', except('B', 'E')],
  ['group.name = "alice"', ['A', 'E', 'F']],
  [`group.arn = "${FAULTS_ARN}"`, ['B', 'E']],
  ['group.name = "Default"', ALL],
  ['group.name = "nope"', []],
  // ---- combinations ----
  ['fault OR error AND throttle', ['D', 'E']],
  ['(fault OR error) AND user = "alice"', ['E']],
  ['ok !partial duration < 1', ['A', 'I', 'J']],
  ['NOT (service("fan-out") OR partial)', ['C', 'D', 'H', 'I', 'J']],
];

describe.each(['memory', 'sqlite'] as const)('the filter table through the API (%s store)', (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xray-filter-table-'));
  let service: XrayService;
  let client: XRayClient;
  const idOf = new Map<string, TraceKey>();

  beforeAll(async () => {
    service = await startXrayService({
      ...(kind === 'memory' ? { store: new MemoryTraceStore({ nowSeconds: () => NOW }) } : { dataDir }),
      daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => NOW * 1000, summariesPageSize: 3, newGroupId: () => 'FAULTS',
    });
    client = new XRayClient({ endpoint: service.api.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 });
    const documents: string[] = [];
    for (const [key, docs] of filterCorpus(NOW)) {
      idOf.set(docs[0]!['trace_id'] as string, key);
      documents.push(...docs.map((doc) => JSON.stringify(doc)));
    }
    const put = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: documents }));
    expect(put.UnprocessedTraceSegments).toEqual([]);
    await client.send(new CreateGroupCommand({ GroupName: 'faults', FilterExpression: 'fault OR service() { fault }' }));
    await client.send(new CreateGroupCommand({ GroupName: 'alice', FilterExpression: 'user = "alice"' }));
  });

  afterAll(async () => {
    client.destroy();
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test(`the table has ${TABLE.length} filters`, () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
  });

  test.each(TABLE)('%s', async (filter, expected) => {
    const keys: Array<TraceKey | undefined> = [];
    let processed = 0;
    const request = { StartTime: new Date((NOW - 3600) * 1000), EndTime: new Date(NOW * 1000), FilterExpression: filter };
    for await (const page of paginateGetTraceSummaries({ client }, request)) {
      keys.push(...(page.TraceSummaries ?? []).map((s) => idOf.get(s.Id ?? '')));
      processed += page.TracesProcessedCount ?? 0;
    }
    // Newest first: the corpus's traces are in reverse key order by time.
    expect(keys).toEqual([...expected].reverse());
    expect(processed).toBe(ALL.length);
  });
});
