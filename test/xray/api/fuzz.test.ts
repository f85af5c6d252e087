/**
 * Every POST route of the X-Ray API under seeded malformed requests. The standard: bad input gets
 * an AWS-shaped 4xx whose message names what was wrong, never a 5xx or a hang, and nothing accepted
 * before (or during) the run is lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '../../../src/xray/log/logger.ts';
import { MAX_FILTER_TERMS, MAX_NESTING_DEPTH } from '../../../src/xray/query/index.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import {
  badJsonBody, extremeValue, Fuzz, hostileValue, jsonText, pathsOf, preview, Raw, send, sendRawText, showPath, withMember,
  type BadBody, type FuzzValue, type Path, type RawResponse,
} from '../../support/fuzz.ts';
import { MAX_TRACE_DOCUMENT_BYTES } from '../../../src/xray/model/trace.ts';
import { inMemoryApiRouter } from '../support/api-router.ts';
import { FUZZ_POLICY, FUZZ_SAMPLING_RULE, xrayApiBodies } from '../../support/xray-api-bodies.ts';
import { newId, newTraceId, segment, subsegment } from '../support/documents.ts';
import { hostileDocuments } from '../support/hostile-documents.ts';

const NOW = 1_750_000_000;
const BODY_LIMIT = 512 * 1024;
const CASES_PER_ROUTE = 14;
const DOCUMENT_CASES = 40;
const MAX_MESSAGE_LENGTH = 600;
const RULE = FUZZ_SAMPLING_RULE;

interface Route {
  /** A valid body for case `i`. */
  readonly body: (i: number) => FuzzValue;
  /** Makes case `i`'s valid body valid (what it deletes exists). */
  readonly before?: (i: number) => Promise<void>;
  /** Undoes what a body that went through created, so limits are not reached. */
  readonly after?: (i: number) => Promise<void>;
}

const BODIES = xrayApiBodies({
  nowSeconds: NOW, traceId: newTraceId, document: (traceId, start) => JSON.stringify(segment(traceId, start)), retrievalToken: () => retrievalToken,
});
const SETUP: Readonly<Record<string, Omit<Route, 'body'>>> = {
  '/CreateGroup': { after: async (i) => void (await call('/DeleteGroup', { GroupName: `fuzz-${i}` })) },
  '/DeleteGroup': { before: async (i) => void (await call('/CreateGroup', { GroupName: `doomed-${i}` })) },
  '/CreateSamplingRule': { after: async (i) => void (await call('/DeleteSamplingRule', { RuleName: `fuzz-${i}` })) },
  '/DeleteSamplingRule': {
    before: async (i) => void (await call('/CreateSamplingRule', { SamplingRule: { ...RULE, RuleName: `doomed-${i}` } })),
    after: async (i) => void (await call('/DeleteSamplingRule', { RuleName: `doomed-${i}` })),
  },
  '/PutResourcePolicy': { after: async (i) => void (await call('/DeleteResourcePolicy', { PolicyName: `fuzz-${i}` })) },
  '/DeleteResourcePolicy': {
    before: async (i) => void (await call('/PutResourcePolicy', { PolicyName: `doomed-${i}`, PolicyDocument: FUZZ_POLICY })),
    after: async (i) => void (await call('/DeleteResourcePolicy', { PolicyName: `doomed-${i}` })),
  },
};
let retrievalToken = '';
const ROUTES: Readonly<Record<string, Route>> = Object.fromEntries(Object.entries(BODIES).map(([route, body]) => [route, { body, ...SETUP[route] }]));

const logged: string[] = [];
const logger: Logger = { info: () => {}, warn: () => {}, error: (message) => logged.push(message) };
const dirs: string[] = [];
let service: XrayService;
/** Documents the service accepted, each to be returned whole by BatchGetTraces at the end. */
const accepted: Array<{ traceId: string; id: string; document: string }> = [];

async function call(route: string, body: FuzzValue): Promise<RawResponse> {
  return send(service.api.url, { path: route, headers: { 'content-type': 'application/json' }, body: jsonText(body) });
}

function json(response: RawResponse): Record<string, unknown> {
  return JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
}

/** The AWS rest-json error shape; returns the message. */
function expectAwsError(response: RawResponse, label: string): string {
  const text = response.body.toString('utf8');
  expect(response.status, `${label}: ${text}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${label}: ${text}`).toBeLessThan(500);
  const type = response.headers['x-amzn-errortype'];
  expect(type, `${label}: x-amzn-ErrorType`).toMatch(/^[A-Za-z]+Exception$/);
  expect(response.headers['content-type'], label).toBe('application/json');
  const body = JSON.parse(text) as { __type?: unknown; message?: unknown };
  expect(body.__type, label).toBe(type);
  expect(typeof body.message === 'string' && body.message.length > 0, `${label}: a message`).toBe(true);
  // A message quotes what was wrong, not the whole of a huge value.
  expect((body.message as string).length, `${label}: ${String(body.message).slice(0, 300)}`).toBeLessThan(MAX_MESSAGE_LENGTH);
  return body.message as string;
}

/** What the message of a refusal of `bad` must mention. */
function expectNamesProblem(bad: BadBody, message: string, label: string): void {
  // A deep or long value can take a body past the limit: refused for that, whatever else is wrong.
  if (/^request body is larger than the limit of \d+ bytes$/.test(message)) return;
  if (bad.kind === 'not-json') expect(message, label).toMatch(/not valid JSON/);
  else if (bad.kind === 'not-object') expect(message, label).toMatch(/must be a JSON object/);
  else if (bad.kind === 'invalid-utf8') expect(message, label).toMatch(/not valid UTF-8/);
  else if (bad.path !== undefined) expectNamesMember(bad.path, bad.value, message, label);
}

/** Names the member (or, for a list item or map entry, the member holding it), or quotes the bad value. */
function expectNamesMember(path: Path, value: FuzzValue | undefined, message: string, label: string): void {
  const names = path.filter((key): key is string => typeof key === 'string');
  const text = value instanceof Raw && value.text.startsWith('"') ? (JSON.parse(value.text) as string) : value;
  const quoted = typeof text === 'string' && text.length > 0 && message.includes(JSON.stringify(text.slice(0, 40)).slice(0, -1));
  expect(quoted || names.some((name) => message.includes(name)), `${label}: the message names one of ${names.join(', ')}: ${message}`).toBe(true);
}

/** Notes the documents of an answered PutTraceSegments that were not returned as unprocessed. */
function remember(documents: readonly unknown[], response: RawResponse): void {
  const unprocessed = new Set((json(response).UnprocessedTraceSegments as Array<{ Id?: string }>).map((item) => item.Id));
  for (const document of documents) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(document));
    } catch {
      continue;
    }
    const { trace_id: traceId, id } = (parsed ?? {}) as { trace_id?: unknown; id?: unknown };
    if (typeof traceId === 'string' && typeof id === 'string' && !unprocessed.has(id)) accepted.push({ traceId, id, document: String(document) });
  }
}

type Entity = Record<string, unknown> & { subsegments?: Entity[] };

/** Every entity of a trace's returned documents by id, folded ones included, and each top document's text. */
function indexTrace(segments: ReadonlyArray<{ Id: string; Document: string }>): { entities: Map<string, Entity>; texts: Map<string, string> } {
  const entities = new Map<string, Entity>();
  for (const { Document } of segments) {
    const pending: Entity[] = [JSON.parse(Document) as Entity];
    for (let entity = pending.pop(); entity !== undefined; entity = pending.pop()) {
      if (typeof entity.id === 'string' && !entities.has(entity.id)) entities.set(entity.id, entity);
      pending.push(...(entity.subsegments ?? []));
    }
  }
  return { entities, texts: new Map(segments.map((s) => [s.Id, s.Document])) };
}

/**
 * Whether a trace holds the document: as sent, or (when standalone subsegments were folded into it,
 * or it into its parent) as an entity with the same members and at least its own subsegments.
 */
function returned(trace: ReturnType<typeof indexTrace>, id: string, text: string): boolean {
  if (trace.texts.get(id) === text) return true;
  const found = trace.entities.get(id);
  if (found === undefined) return false;
  const sent = JSON.parse(text) as Entity;
  const keys = (entity: Entity): string[] => Object.keys(entity).filter((key) => key !== 'subsegments').sort();
  const own = new Set((found.subsegments ?? []).map((child) => child.id));
  return sameJson(keys(found), keys(sent))
    && keys(sent).every((key) => sameJson(found[key], sent[key]))
    && (sent.subsegments ?? []).every((child) => own.has(child.id));
}

/** Deep equality without recursion: documents may nest values thousands of levels deep. */
function sameJson(a: unknown, b: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[a, b]];
  for (let pair = pending.pop(); pair !== undefined; pair = pending.pop()) {
    const [x, y] = pair;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || Array.isArray(x) !== Array.isArray(y)) return false;
    const xKeys = Object.keys(x);
    if (xKeys.length !== Object.keys(y).length) return false;
    for (const key of xKeys) {
      if (!Object.hasOwn(y, key)) return false;
      pending.push([(x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]]);
    }
  }
  return true;
}

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-api-fuzz-'));
  dirs.push(dataDir);
  service = await startXrayService({
    dataDir, daemonPort: 0, apiPort: 0, logger, nowMs: () => NOW * 1000, maxBodyBytes: BODY_LIMIT, consoleDir: false,
  });
  const documents: string[] = [];
  for (let i = 0; i < 10; i++) {
    const traceId = newTraceId(NOW - 120 + i);
    const root = segment(traceId, NOW - 120 + i);
    documents.push(JSON.stringify(root), JSON.stringify(subsegment(traceId, root.id as string, NOW - 119.9 + i)));
  }
  const put = await call('/TraceSegments', { TraceSegmentDocuments: documents });
  expect(json(put).UnprocessedTraceSegments).toEqual([]);
  remember(documents, put);
  expect((await call('/CreateGroup', { GroupName: 'fuzz', FilterExpression: 'service("orders-api")' })).status).toBe(200);
  expect((await call('/CreateSamplingRule', { SamplingRule: { ...RULE, RuleName: 'fuzz' } })).status).toBe(200);
  expect((await call('/UpdateTraceSegmentDestination', { Destination: 'CloudWatchLogs' })).status).toBe(200);
  const retrieval = await call('/StartTraceRetrieval', { TraceIds: [newTraceId(NOW - 60)], StartTime: NOW - 3600, EndTime: NOW });
  retrievalToken = json(retrieval).RetrievalToken as string;
});

afterAll(async () => {
  await service?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('X-Ray API under malformed requests', () => {
  test('the fuzz templates cover every POST route', () => {
    const router = inMemoryApiRouter(NOW);
    const routes = router.list();
    expect(routes.every((route) => route.method === 'POST')).toBe(true);
    // The insight routes answer only refusals while no insight exists, and the console's log routes
    // while no log source is given (the X-Ray service alone), so they are not fuzzed for acceptance.
    const refusingOnly = ['/Insight', '/InsightEvents', '/InsightImpactGraph', '/local/TraceLogLines', '/local/LogGroups', '/local/SearchLogs'];
    expect(routes.map((route) => route.path).filter((p) => !refusingOnly.includes(p)).sort()).toEqual(Object.keys(ROUTES).sort());
  });

  test('malformed bodies on every route: an AWS-shaped 4xx naming the problem, never a 5xx', async () => {
    for (const [index, [route, { body, before, after }]] of Object.entries(ROUTES).entries()) {
      const fuzz = new Fuzz(1000 + index);
      for (let i = 0; i < CASES_PER_ROUTE; i++) {
        await before?.(i);
        const bad = badJsonBody(fuzz, body(i));
        const label = `seed ${1000 + index} case ${i}: POST ${route} ${bad.label}`;
        const response = await send(service.api.url, { path: route, headers: bad.contentType === '' ? {} : { 'content-type': bad.contentType }, body: bad.body });
        expect(response.status, `${label}: ${response.body.toString("utf8").slice(0, 300)} ${logged.join(" ").slice(0, 1500)}`).toBeLessThan(500);
        if (response.status >= 400) expectNamesProblem(bad, expectAwsError(response, label), label);
        else {
          // Only what the service can take as it is may be accepted.
          expect(['not-json', 'not-object', 'invalid-utf8'], label).not.toContain(bad.kind);
          if (route === '/TraceSegments') remember((JSON.parse(bad.body.toString('utf8')) as { TraceSegmentDocuments: unknown[] }).TraceSegmentDocuments, response);
        }
        await after?.(i);
      }
    }
    expect(logged).toEqual([]);
  });

  test('malformed segment documents: each refused with a reason naming its field, or stored', async () => {
    const fuzz = new Fuzz(7);
    for (let i = 0; i < DOCUMENT_CASES; i++) {
      const traceId = newTraceId(NOW - 30);
      const valid = segment(traceId, NOW - 30, { subsegments: [subsegment(traceId, newId(), NOW - 29.9)] }) as FuzzValue;
      const paths = pathsOf(valid);
      const member: Path = fuzz.pick(paths);
      const removed = fuzz.chance(0.3);
      const value = hostileValue(fuzz);
      const document = jsonText(withMember(valid, member, removed ? undefined : value));
      const label = `seed 7 case ${i}: ${removed ? 'without' : 'with'} ${showPath(member)}${removed ? '' : ` = ${preview(value)}`}`;
      const response = await call('/TraceSegments', { TraceSegmentDocuments: [document] });
      expect(response.status, `${label}: ${response.body.toString('utf8').slice(0, 300)}`).toBe(200);
      const [unprocessed] = json(response).UnprocessedTraceSegments as Array<{ ErrorCode: string; Message: string }>;
      if (unprocessed === undefined) {
        accepted.push({ traceId, id: (JSON.parse(document) as { id: string }).id, document });
        continue;
      }
      expect(unprocessed.ErrorCode, label).toMatch(/^[A-Za-z]+$/);
      expect(unprocessed.Message.length, `${label}: ${unprocessed.Message.slice(0, 300)}`).toBeLessThan(MAX_MESSAGE_LENGTH);
      if (unprocessed.ErrorCode !== 'DocumentTooLarge') expectNamesMember(member, removed ? undefined : value, unprocessed.Message, label);
    }
  });

  test('every member nested thousands deep or holding an extreme number: refused naming the member, or stored', async () => {
    const documents = hostileDocuments(NOW - 40);
    expect(documents.length).toBeGreaterThan(500);
    let refused = 0;
    for (let at = 0; at < documents.length; at += 20) {
      const batch = documents.slice(at, at + 20);
      const response = await call('/TraceSegments', { TraceSegmentDocuments: batch.map((document) => document.text) });
      expect(response.status, `documents ${at}+: ${response.body.toString('utf8').slice(0, 300)}`).toBe(200);
      const refusals = json(response).UnprocessedTraceSegments as Array<{ Id?: string; ErrorCode: string; Message: string }>;
      const byId = new Map(refusals.map((refusal) => [refusal.Id, refusal]));
      const withoutId = refusals.filter((refusal) => refusal.Id === undefined);
      for (const { label, path, value, text, traceId, id } of batch) {
        const refusal = id === undefined ? withoutId.shift() : byId.get(id);
        if (refusal === undefined) {
          expect(id, `${label} was refused`).toBeDefined();
          if (id !== undefined) accepted.push({ traceId, id, document: text });
          continue;
        }
        refused++;
        expect(refusal.ErrorCode, label).toMatch(/^(InvalidField|MissingField)$/);
        expect(refusal.Message.length, `${label}: ${refusal.Message.slice(0, 300)}`).toBeLessThan(MAX_MESSAGE_LENGTH);
        expectNamesMember(path, value, refusal.Message, label);
      }
    }
    // Deep values are refused wherever they are; so are times and finite-only numbers out of range.
    expect(refused).toBeGreaterThan(documents.length / 4);
    for (const [route, body] of [
      ['/TraceSummaries', { StartTime: NOW - 3600, EndTime: NOW }],
      ['/TraceSummaries', { StartTime: NOW - 3600, EndTime: NOW, FilterExpression: 'annotation.total > 1e307 OR http.status >= 500' }],
      ['/ServiceGraph', { StartTime: NOW - 3600, EndTime: NOW }],
      ['/TimeSeriesServiceStatistics', { StartTime: NOW - 3600, EndTime: NOW, Period: 60 }],
    ] as Array<[string, FuzzValue]>) {
      const response = await call(route, body);
      expect(response.status, `${route}: ${response.body.toString('utf8').slice(0, 300)}`).toBe(200);
    }
  });

  test('bodies over the limit are a 413, declared or streamed', async () => {
    const big = Buffer.from(jsonText({ TraceIds: ['x'.repeat(BODY_LIMIT)] }));
    for (const route of ['/TraceSegments', '/TraceSummaries', '/CreateSamplingRule']) {
      for (const chunked of [false, true]) {
        const label = `POST ${route} ${big.length} bytes${chunked ? ' chunked' : ''}`;
        const response = await send(service.api.url, { path: route, headers: { 'content-type': 'application/json' }, body: big, chunked });
        expect(response.status, label).toBe(413);
        expect(expectAwsError(response, label), label).toMatch(/larger than the limit of \d+ bytes/);
      }
    }
  });

  test('other methods on the API paths are a 405, unknown paths a 404, both in the AWS shape', async () => {
    for (const route of Object.keys(ROUTES)) {
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
        const label = `${method} ${route}`;
        const response = await send(service.api.url, { method, path: route, body: method === 'GET' ? undefined : '{}' });
        expect(response.status, label).toBe(405);
        expect(response.headers.allow, label).toBe('POST');
        expect(expectAwsError(response, label), label).toContain(`${method} is not allowed on ${route}`);
      }
    }
    const unknown = ['/', '/index.html', '/traces', '/Traces/', '/TraceSegments/extra', '/%zz', '//Traces', '/..%2fetc', `/${'a'.repeat(4000)}`];
    for (const route of unknown) {
      for (const method of ['GET', 'POST']) {
        const label = `${method} ${route.slice(0, 40)}`;
        const response = await send(service.api.url, { method, path: route, body: method === 'GET' ? undefined : '{}' });
        expect(response.status, label).toBe(404);
        expect(expectAwsError(response, label), label).toContain('no operation at');
      }
    }
  });

  test('a request target that is not a URL is a 400 in the AWS shape', async () => {
    const { port } = service.api.address;
    // node:http hands these absolute-form targets on; `new URL` cannot read them.
    for (const target of ['http://[bad/Traces', 'http://host:99999/Traces', 'http://%/Traces']) {
      const text = await sendRawText('127.0.0.1', port, `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
      expect(text.split('\r\n')[0], target).toBe('HTTP/1.1 400 Bad Request');
      expect(text, target).toContain('x-amzn-errortype: InvalidRequestException');
      expect(text, target).toContain(`${JSON.stringify(JSON.stringify(target)).slice(1, -1)} is not a valid request target`);
    }
  });

  test('extreme numbers and deep nesting in every field: each refused or stored, and every read over the range still answers', async () => {
    const fuzz = new Fuzz(11);
    const cases: Array<{ label: string; document: string }> = [
      // The documents that once made every summary refresh fail, and the store refuse to open.
      { label: 'start_time 1e300, end_time 1e308', document: JSON.stringify(segment(newTraceId(NOW - 40), 1e300, { end_time: 1e308 })) },
      { label: 'end_time 1e308', document: JSON.stringify(segment(newTraceId(NOW - 40), NOW - 40, { end_time: 1e308 })) },
    ];
    for (let i = 0; i < DOCUMENT_CASES; i++) {
      const traceId = newTraceId(NOW - 40);
      const valid = segment(traceId, NOW - 40, { subsegments: [subsegment(traceId, newId(), NOW - 39.9)] }) as FuzzValue;
      const member: Path = fuzz.pick(pathsOf(valid));
      const value = extremeValue(fuzz);
      cases.push({ label: `seed 11 case ${i}: ${showPath(member)} = ${preview(value)}`, document: jsonText(withMember(valid, member, value)) });
    }
    for (const { label, document } of cases) {
      const response = await call('/TraceSegments', { TraceSegmentDocuments: [document] });
      expect(response.status, `${label}: ${response.body.toString('utf8').slice(0, 300)}`).toBe(200);
      const [unprocessed] = json(response).UnprocessedTraceSegments as Array<{ ErrorCode: string; Message: string }>;
      if (unprocessed === undefined) remember([document], response);
      else expect(unprocessed.Message.length, `${label}: ${unprocessed.Message.slice(0, 300)}`).toBeLessThan(MAX_MESSAGE_LENGTH);
    }
    const window = { StartTime: NOW - 3600, EndTime: NOW };
    const reads: Array<[string, FuzzValue]> = [
      ['/TraceSummaries', { ...window, TimeRangeType: 'TraceId' }],
      ['/TraceSummaries', { ...window, TimeRangeType: 'Event' }],
      ['/TraceSummaries', { ...window, TimeRangeType: 'Service', FilterExpression: 'responsetime > 0 OR duration > 1e300' }],
      ['/ServiceGraph', window],
      ['/ServiceGraph', { ...window, GroupName: 'fuzz' }],
      ['/TimeSeriesServiceStatistics', { ...window, Period: 60 }],
      ['/TraceGraph', { TraceIds: accepted.slice(-5).map((document) => document.traceId) }],
    ];
    for (const [route, body] of reads) {
      const response = await call(route, body);
      expect(response.status, `${route}: ${response.body.toString('utf8').slice(0, 300)}`).toBe(200);
    }
    expect(logged).toEqual([]);
  });

  test('hostile filter expressions: a 4xx naming the problem or an answer, never a 5xx', async () => {
    const fuzz = new Fuzz(12);
    const terms = (count: number, make: (i: number) => string, joiner = ' OR '): string => Array.from({ length: count }, (_, i) => make(i)).join(joiner);
    const kinds: Array<() => string> = [
      () => terms(MAX_FILTER_TERMS - fuzz.int(3), (i) => `annotation.k${i} = ${i}`),
      () => terms(MAX_FILTER_TERMS + 1 + fuzz.int(3000), (i) => `http.status = ${i}`),
      () => terms(MAX_FILTER_TERMS, (i) => `responsetime > ${i}`, ' AND '),
      () => terms(MAX_FILTER_TERMS / 2, (i) => `service("s${i}") { fault }`),
      () => `${'('.repeat(MAX_NESTING_DEPTH - 2 + fuzz.int(4))}ok${')'.repeat(MAX_NESTING_DEPTH - 2 + fuzz.int(4))}`,
      () => `${'!('.repeat(30)}${terms(30, (i) => `annotation.a${i}`)}${')'.repeat(30)}`,
      () => `${'('.repeat(40_000)}ok${')'.repeat(40_000)}`,
      () => `user = "${'x'.repeat(fuzz.pick([1000, 99_000, 200_000]))}"`,
      () => `responsetime > ${fuzz.pick(['1e308', '1e309', '-1e308', '5e-324', '9'.repeat(400)])}`,
      () => `group.name = "fuzz" OR ${terms(500, (i) => `annotation.k${i} = ${i}`)}`,
    ];
    for (let i = 0; i < 24; i++) {
      const filter = fuzz.pick(kinds)();
      const label = `seed 12 case ${i}: ${filter.slice(0, 40)}... (${filter.length} chars)`;
      for (const [route, body] of [
        ['/TraceSummaries', { StartTime: NOW - 3600, EndTime: NOW, FilterExpression: filter }],
        ['/CreateGroup', { GroupName: `filter-${i}`, FilterExpression: filter }],
      ] as const) {
        const response = await call(route, body);
        if (response.status >= 400) expect(expectAwsError(response, `${label} ${route}`), label).toMatch(/^(FilterExpression: |request body is larger)/);
        else expect(response.status, label).toBe(200);
        if (route === '/CreateGroup' && response.status === 200) {
          const scoped = await call('/ServiceGraph', { StartTime: NOW - 3600, EndTime: NOW, GroupName: `filter-${i}` });
          expect(scoped.status, `${label}: scoped ServiceGraph ${scoped.body.toString('utf8').slice(0, 200)}`).toBe(200);
          await call('/DeleteGroup', { GroupName: `filter-${i}` });
        }
      }
    }
    expect(logged).toEqual([]);
  });

  test('a trace nested or chained thousands deep: refused document by document, or stored and readable', async () => {
    const traceId = newTraceId(NOW - 20);
    const deep = `{"name":"deep","id":"${newId()}","trace_id":"${traceId}","start_time":${NOW - 20},"end_time":${NOW - 19},"metadata":{"d":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`;
    const deepResponse = await call('/TraceSegments', { TraceSegmentDocuments: [deep] });
    expect(json(deepResponse).UnprocessedTraceSegments).toEqual([
      { Id: expect.any(String), ErrorCode: 'InvalidField', Message: 'metadata.d[0][0]... nests objects and arrays more than 512 levels deep' },
    ]);
    // Each standalone subsegment names the one before as its parent.
    const root = segment(traceId, NOW - 20);
    const chain: string[] = [JSON.stringify(root)];
    let parent = root.id as string;
    for (let i = 0; i < 3000; i++) {
      const next = subsegment(traceId, parent, NOW - 20 + i / 1e4);
      chain.push(JSON.stringify(next));
      parent = next.id as string;
    }
    for (let at = 0; at < chain.length; at += 1000) {
      const documents = chain.slice(at, at + 1000);
      const response = await call('/TraceSegments', { TraceSegmentDocuments: documents });
      expect(json(response)).toEqual({ UnprocessedTraceSegments: [] });
      remember(documents, response);
    }
    const reads: Array<[string, FuzzValue]> = [
      ['/Traces', { TraceIds: [traceId] }],
      ['/TraceGraph', { TraceIds: [traceId] }],
      ['/TraceSummaries', { StartTime: NOW - 60, EndTime: NOW }],
    ];
    for (const [route, body] of reads) {
      const response = await call(route, body);
      expect(response.status, `${route}: ${response.body.toString('utf8').slice(0, 300)}`).toBe(200);
    }
  });

  test('afterwards the service answers correct requests and still returns every accepted document', async () => {
    // The fuzzed routes turned Transaction Search on; X-Ray then indexes a share of traces only.
    expect((await call('/UpdateTraceSegmentDestination', { Destination: 'XRay' })).status).toBe(200);
    const traceId = newTraceId(NOW - 10);
    const document = JSON.stringify(segment(traceId, NOW - 10));
    const put = await call('/TraceSegments', { TraceSegmentDocuments: [document] });
    expect(json(put)).toEqual({ UnprocessedTraceSegments: [] });
    remember([document], put);
    const requests: Array<[string, FuzzValue]> = [
      ['/TraceSummaries', { StartTime: NOW - 3600, EndTime: NOW }],
      ['/ServiceGraph', { StartTime: NOW - 3600, EndTime: NOW }],
      ['/GetGroup', { GroupName: 'Default' }],
      ['/CreateGroup', { GroupName: 'after-fuzz' }],
      ['/GetSamplingRules', {}],
      ['/UpdateSamplingRule', { SamplingRuleUpdate: { RuleName: 'fuzz', FixedRate: 0.3 } }],
    ];
    for (const [route, body] of requests) {
      const response = await call(route, body);
      expect(response.status, `${route}: ${response.body.toString('utf8')}`).toBe(200);
    }
    expect(accepted.length).toBeGreaterThan(20);
    const byTrace = new Map<string, Map<string, string>>();
    for (const { traceId: id, id: segmentId, document: text } of accepted) byTrace.set(id, (byTrace.get(id) ?? new Map()).set(segmentId, text));
    const ids = [...byTrace.keys()];
    for (let at = 0; at < ids.length; at += 5) {
      const response = await call('/Traces', { TraceIds: ids.slice(at, at + 5) });
      expect(response.status, response.body.toString('utf8').slice(0, 300)).toBe(200);
      const body = json(response) as { Traces: Array<{ Id: string; LimitExceeded: boolean; Segments: Array<{ Id: string; Document: string }> }>; UnprocessedTraceIds: string[] };
      expect(body.UnprocessedTraceIds).toEqual([]);
      for (const trace of body.Traces) {
        const index = indexTrace(trace.Segments);
        const sent = byTrace.get(trace.Id) ?? new Map<string, string>();
        const sentBytes = [...sent.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
        // Past X-Ray's trace document size quota a trace comes back cut, LimitExceeded true, as on AWS.
        expect(trace.LimitExceeded, trace.Id).toBe(sentBytes > MAX_TRACE_DOCUMENT_BYTES);
        if (trace.LimitExceeded) continue;
        for (const [segmentId, text] of sent) {
          expect(returned(index, segmentId, text), `${trace.Id} ${segmentId}: ${text.slice(0, 200)}`).toBe(true);
        }
      }
    }
  });

  test('the service starts again on the data folder the run left, and answers its reads', async () => {
    await service.stop();
    service = await startXrayService({
      dataDir: dirs[0], daemonPort: 0, apiPort: 0, logger, nowMs: () => NOW * 1000, maxBodyBytes: BODY_LIMIT, consoleDir: false,
    });
    for (const [route, body] of [
      ['/TraceSummaries', { StartTime: NOW - 3600, EndTime: NOW }],
      ['/ServiceGraph', { StartTime: NOW - 3600, EndTime: NOW }],
      ['/Traces', { TraceIds: accepted.slice(0, 5).map((document) => document.traceId) }],
    ] as const) {
      const response = await call(route, body);
      expect(response.status, `${route}: ${response.body.toString('utf8').slice(0, 300)}`).toBe(200);
    }
    expect(logged).toEqual([]);
  });
});
