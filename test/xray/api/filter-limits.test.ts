/**
 * Filters at and past the filter language's limits, against the SQLite store: the most terms
 * allowed are answered (the SQL stays inside SQLite's limits), one more is an
 * InvalidRequestException naming the limit, for reads and for groups alike; a group kept from an
 * older version with a filter past the limits makes the reads scoped to it a 400 naming the group,
 * never a 500, and can still be read, updated and deleted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryGroupStorage } from '../../../src/xray/groups/index.ts';
import type { Logger } from '../../../src/xray/log/logger.ts';
import { MAX_FILTER_TERMS, MAX_NESTING_DEPTH } from '../../../src/xray/query/index.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { newTraceId, segment } from '../support/documents.ts';

const NOW = 1_750_000_000;
const WINDOW = { StartTime: NOW - 600, EndTime: NOW + 600 };
const ARN = 'arn:aws:xray:us-east-1:000000000000:group';
const root = mkdtempSync(join(tmpdir(), 'xray-filter-limits-'));
const errors: string[] = [];
const logger: Logger = { info: () => {}, warn: () => {}, error: (line) => errors.push(line) };
let service: XrayService;

const orOf = (count: number, term: (i: number) => string): string => Array.from({ length: count }, (_, i) => term(i)).join(' OR ');
const annotationTerms = (count: number): string => orOf(count, (i) => `annotation.k${i} = ${i}`);

beforeAll(async () => {
  const groups = new MemoryGroupStorage();
  // As an older version, without a limit on terms, kept it.
  groups.insert({ name: 'huge', arn: `${ARN}/huge/OLD`, filterExpression: annotationTerms(1500), insightsEnabled: false, notificationsEnabled: false });
  service = await startXrayService({ dataDir: join(root, 'data'), groups, daemonPort: 0, apiPort: 0, consoleDir: false, logger, nowMs: () => NOW * 1000 });
  const documents = [segment(newTraceId(NOW), NOW, { annotations: { k999: 999 } }), segment(newTraceId(NOW), NOW, { annotations: { other: 1 } })];
  const put = await post('/TraceSegments', { TraceSegmentDocuments: documents.map((document) => JSON.stringify(document)) });
  expect(put.status).toBe(200);
});

afterAll(async () => {
  await service?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function post(path: string, body: unknown): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
  const response = await fetch(`${service.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), json: (await response.json()) as Record<string, unknown> };
}

function expectRefused(result: { status: number; type: string | null; json: Record<string, unknown> }, message: RegExp): void {
  expect(result.status, JSON.stringify(result.json).slice(0, 300)).toBe(400);
  expect(result.type).toBe('InvalidRequestException');
  expect(result.json.message).toMatch(message);
}

describe('filter limits', () => {
  test('the most terms allowed are answered, whatever the terms, with SQL inside SQLite\'s limits', async () => {
    for (const filter of [
      annotationTerms(MAX_FILTER_TERMS),
      orOf(MAX_FILTER_TERMS, (i) => `http.status = ${i}`),
      orOf(MAX_FILTER_TERMS / 2, (i) => `service("s${i}") { fault }`),
      Array.from({ length: MAX_FILTER_TERMS }, (_, i) => `responsetime >= ${i / 1e6}`).join(' AND '),
    ]) {
      const result = await post('/TraceSummaries', { ...WINDOW, FilterExpression: filter });
      expect(result.status, `${filter.slice(0, 40)}: ${JSON.stringify(result.json).slice(0, 200)}`).toBe(200);
    }
    const matched = await post('/TraceSummaries', { ...WINDOW, FilterExpression: annotationTerms(MAX_FILTER_TERMS) });
    expect((matched.json.TraceSummaries as unknown[]).length).toBe(1);
    expect(errors).toEqual([]);
  });

  test('one term more is an InvalidRequestException naming the limit, for a read and for a group', async () => {
    const over = annotationTerms(MAX_FILTER_TERMS + 1);
    const limit = new RegExp(`^FilterExpression: filter expression has more than ${MAX_FILTER_TERMS} terms; the limit is ${MAX_FILTER_TERMS} at column \\d+$`);
    expectRefused(await post('/TraceSummaries', { ...WINDOW, FilterExpression: over }), limit);
    expectRefused(await post('/CreateGroup', { GroupName: 'too-big', FilterExpression: over }), limit);
    expectRefused(await post('/GetGroup', { GroupName: 'too-big' }), /no group named "too-big"/);
  });

  test('parentheses nested 40,000 deep are a parse error, not a stack overflow', async () => {
    const deep = `${'('.repeat(40_000)}ok${')'.repeat(40_000)}`;
    expectRefused(await post('/TraceSummaries', { ...WINDOW, FilterExpression: deep }), new RegExp(`nested deeper than ${MAX_NESTING_DEPTH} levels`));
  });

  test('a group kept with a filter past the limits: scoped reads are refused naming it; it can be read, fixed and deleted', async () => {
    const problem = /^group "huge" cannot be used: its FilterExpression, kept from an older version, is not valid now \(filter expression has more than 1000 terms.*\); give it a valid one with UpdateGroup, or delete it$/;
    expectRefused(await post('/TraceSummaries', { ...WINDOW, GroupName: 'huge' }), problem);
    expectRefused(await post('/TraceSummaries', { ...WINDOW, FilterExpression: 'group.name = "huge"' }), problem);
    expectRefused(await post('/TraceSummaries', { ...WINDOW, FilterExpression: `group.arn = "${ARN}/huge/OLD" OR ok` }), problem);
    expectRefused(await post('/ServiceGraph', { ...WINDOW, GroupName: 'huge' }), problem);
    expectRefused(await post('/TimeSeriesServiceStatistics', { ...WINDOW, GroupName: 'huge' }), problem);

    // Other groups and the listing are not affected.
    expect((await post('/TraceSummaries', { ...WINDOW, FilterExpression: 'group.name = "Default"' })).status).toBe(200);
    const listed = await post('/Groups', {});
    expect(listed.status).toBe(200);
    expect((listed.json.Groups as Array<{ GroupName: string }>).map((group) => group.GroupName)).toEqual(['Default', 'huge']);
    expect((await post('/GetGroup', { GroupName: 'huge' })).status).toBe(200);

    const fixed = await post('/UpdateGroup', { GroupName: 'huge', FilterExpression: 'annotation.k999 = 999' });
    expect(fixed.status).toBe(200);
    const scoped = await post('/TraceSummaries', { ...WINDOW, GroupName: 'huge' });
    expect(scoped.status).toBe(200);
    expect((scoped.json.TraceSummaries as unknown[]).length).toBe(1);
    expect((await post('/DeleteGroup', { GroupName: 'huge' })).status).toBe(200);
    expect(errors).toEqual([]);
  });
});
