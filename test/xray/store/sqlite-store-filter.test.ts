import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from '../../../src/xray/query/index.ts';
import { resolveFilter } from '../../../src/xray/store/filter-plan.ts';
import { decodeCursor, TOP } from '../../../src/xray/store/query.ts';
import { FilteredSummaries } from '../../../src/xray/store/sqlite-filtered.ts';
import { SqliteTraceStore } from '../../../src/xray/store/sqlite-store.ts';
import type { SummaryQuery } from '../../../src/xray/store/types.ts';
import { toRecord } from '../fixtures/index.ts';
import { seededRandom } from '../graph/pattern-traces.ts';
import { randomTrace } from './filter-generate.ts';
import { registerFilterConformance } from './filter-conformance.ts';

const root = mkdtempSync(join(tmpdir(), 'xray-sqlite-filter-'));
let files = 0;
const newFile = (): string => join(root, `store-${++files}`, 'traces.db');
afterAll(() => rmSync(root, { recursive: true, force: true }));

registerFilterConformance('SqliteTraceStore', () => new SqliteTraceStore({ file: newFile(), nowSeconds: () => 1_700_050_000 }));

describe('SqliteTraceStore filtered reads', () => {
  const T0 = 1_700_000_000;

  function filledFile(count: number): string {
    const file = newFile();
    const store = new SqliteTraceStore({ file });
    const random = seededRandom(99);
    for (let n = 1; n <= count; n++) store.write(randomTrace(n, T0, random).map((doc) => toRecord(JSON.stringify(doc))));
    store.close();
    return file;
  }

  test('a residual checked in memory stops at its budget; the cursor goes on from the last trace looked at', () => {
    const file = filledFile(40);
    const store = new SqliteTraceStore({ file, readOnly: true });
    const db = new Database(file, { readonly: true });
    try {
      const query: SummaryQuery = { startTime: T0 - 1, endTime: T0 + 700, timeRangeType: 'TraceId', limit: 4, filter: parse('user = "alice" OR edge("http-flow", id(type: "remote")) { fault }') };
      const budgeted = new FilteredSummaries(db, { residualBudget: 3 });
      const expected = readAll((cursor) => store.getTraceSummaries({ ...query, cursor }));
      const filter = resolveFilter(query)!;
      const pages: Array<{ count: number; processed: number }> = [];
      const ids = readAll((cursor) => {
        const position = cursor === undefined ? { idEpoch: TOP, seq: TOP, asOf: TOP, approximateTime: 0 } : decodeCursor(query, cursor);
        const page = budgeted.page({ ...query, cursor }, position, filter);
        pages.push({ count: page.summaries.length, processed: page.tracesProcessedCount });
        return page;
      });
      expect(ids).toEqual(expected);
      expect(expected.length).toBeGreaterThan(3);
      // Three looked at in memory a page, at most: never a full page of four.
      expect(pages.every((p) => p.count <= 3)).toBe(true);
      expect(pages.reduce((sum, p) => sum + p.processed, 0)).toBe(40);
      expect(pages.some((p) => p.count === 0)).toBe(true);
    } finally {
      db.close();
      store.close();
    }
  });

  test('a scan stops at its bound of rows: pages look at that many traces each, and together read what one unbounded read does', () => {
    const file = filledFile(40);
    const db = new Database(file, { readonly: true });
    try {
      const bounded = new FilteredSummaries(db, { scanRows: 7 });
      const unbounded = new FilteredSummaries(db, { scanRows: 1000 });
      let found = 0;
      for (const [text, timeRangeType] of [
        ['fault', 'TraceId'], ['annotation.n >= 2 OR service(id(type: "AWS::DynamoDB::Table")) { throttle }', 'Event'], ['!ok', 'Service'],
        // No name, so no index list: these scan (a short list bounds a page already).
        ['user = "alice" OR edge("http-flow", id(type: "remote")) { fault }', 'TraceId'], ['service(id(type: "nope"))', 'Event'],
        // Driven by a list: the page still covers at most that many rows of the range.
        ['service("Hits") { throttle }', 'Event'],
      ] as const) {
        const query: SummaryQuery = { startTime: T0 - 1, endTime: T0 + 700, timeRangeType, limit: 5, filter: parse(text) };
        const read = (reader: FilteredSummaries): { ids: string[]; processed: number[] } => {
          const processed: number[] = [];
          const ids = readAll((cursor) => {
            const page = reader.page({ ...query, cursor }, cursor === undefined ? { idEpoch: TOP, seq: TOP, asOf: TOP, approximateTime: 0 } : decodeCursor(query, cursor), query.filter!);
            processed.push(page.tracesProcessedCount);
            return page;
          });
          return { ids, processed };
        };
        const all = read(unbounded);
        const paged = read(bounded);
        expect({ text, ids: paged.ids }).toEqual({ text, ids: all.ids });
        // Every page looked at 7 traces of the range at most, and the pages count each once.
        expect({ text, over: paged.processed.filter((n) => n > 7) }).toEqual({ text, over: [] });
        expect(paged.processed.reduce((a, b) => a + b, 0)).toBe(all.processed.reduce((a, b) => a + b, 0));
        expect(paged.processed.length).toBeGreaterThanOrEqual(Math.ceil(all.processed.reduce((a, b) => a + b, 0) / 7));
        found += all.ids.length;
      }
      expect(found).toBeGreaterThan(10);
    } finally {
      db.close();
    }
  });

  test('a residual that reads documents stops at its bound of document bytes, past the first trace of the page', () => {
    const file = filledFile(30);
    const db = new Database(file, { readonly: true });
    try {
      const query: SummaryQuery = { startTime: T0 - 1, endTime: T0 + 700, timeRangeType: 'TraceId', limit: 50, filter: parse('edge("http-flow", id(type: "remote")) OR user = "alice"') };
      const read = (reader: FilteredSummaries): { ids: string[]; pages: number } => {
        let pages = 0;
        const ids = readAll((cursor) => {
          pages++;
          return reader.page({ ...query, cursor }, cursor === undefined ? { idEpoch: TOP, seq: TOP, asOf: TOP, approximateTime: 0 } : decodeCursor(query, cursor), query.filter!);
        });
        return { ids, pages };
      };
      const whole = read(new FilteredSummaries(db));
      const tight = read(new FilteredSummaries(db, { documentBytes: 1 }));
      expect(tight.ids).toEqual(whole.ids);
      expect(whole.ids.length).toBeGreaterThan(2);
      expect(whole.pages).toBe(1);
      // One trace's documents a page: about one page a trace.
      expect(tight.pages).toBeGreaterThanOrEqual(whole.ids.length);
    } finally {
      db.close();
    }
  });

  test('a page driven by an index list equals the scan of the time range', () => {
    const file = filledFile(60);
    const db = new Database(file, { readonly: true });
    try {
      const driven = new FilteredSummaries(db);
      const scanned = new FilteredSummaries(db, { driverLimit: 0 });
      let found = 0;
      const filters = [
        'annotation.path = "/prod/http"', 'annotation.n >= 2', 'annotation.n < 1 AND service("http-flow") { fault }', 'service("Hits") { throttle }',
        'service("sqs-subscriber") AND user', 'annotation.flag = true AND responsetime > 0.05', 'service("nope")', 'annotation.note = "%_"',
        'annotation.n >= 2 OR service("Hits") { throttle }', 'annotation.path = "/prod/http" OR annotation.n = 0 OR service("nope")',
      ];
      for (const text of filters) {
        const query: SummaryQuery = { startTime: T0 + 100, endTime: T0 + 500, timeRangeType: 'TraceId', limit: 3, filter: parse(text) };
        const read = (reader: FilteredSummaries): { ids: string[]; processed: number } => {
          let processed = 0;
          const ids = readAll((cursor) => {
            const page = reader.page({ ...query, cursor }, cursor === undefined ? { idEpoch: TOP, seq: TOP, asOf: TOP, approximateTime: 0 } : decodeCursor(query, cursor), query.filter!);
            processed += page.tracesProcessedCount;
            return page;
          });
          return { ids, processed };
        };
        const result = read(driven);
        expect({ text, ...result }).toEqual({ text, ...read(scanned) });
        if (result.ids.length > 0) found++;
      }
      expect(found).toBeGreaterThanOrEqual(5);
    } finally {
      db.close();
    }
  });

  test('service rows follow the traces: written by the refresh, removed by retention, rebuilt for an older file', () => {
    const file = filledFile(12);
    const rows = (): number => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT count(DISTINCT trace_seq) FROM trace_services').pluck().get() as number;
      } finally {
        db.close();
      }
    };
    expect(rows()).toBe(12);
    // A file from before the table: it is made and filled on open.
    const db = new Database(file);
    db.exec('DROP TRIGGER trace_services_follow_traces; DROP TABLE trace_services;');
    db.close();
    const store = new SqliteTraceStore({ file });
    const query: SummaryQuery = { startTime: T0 - 1, endTime: T0 + 700, timeRangeType: 'TraceId', limit: 100, filter: parse('service("xyz/prod") OR service("worker")') };
    expect(store.getTraceSummaries(query).summaries).toHaveLength(12);
    expect(store.deleteTracesBefore(T0 + 10_000)).toBe(12);
    store.close();
    expect(rows()).toBe(0);
  });
});

function readAll(read: (cursor: string | undefined) => { summaries: ReadonlyArray<{ readonly id: string }>; nextCursor: string | undefined }): string[] {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 500; pages++) {
    const page = read(cursor);
    ids.push(...page.summaries.map((s) => s.id));
    if (page.nextCursor === undefined) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('too many pages');
}
