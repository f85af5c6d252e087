import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { SCHEMA_VERSION, SqliteTraceStore } from '../../../src/xray/store/sqlite-store.ts';
import { fixtureNames, fixtureRecords, loadFixture, toRecord } from '../fixtures/index.ts';
import { registerStoreConformance } from './conformance.ts';
import { killWriterBatches } from './support/kill-writer-batches.ts';
import { apiPage } from './api-page.ts';

const root = mkdtempSync(join(tmpdir(), 'xray-sqlite-store-'));
let files = 0;
const newFile = (): string => join(root, `store-${++files}`, 'traces.db');
afterAll(() => rmSync(root, { recursive: true, force: true }));

registerStoreConformance('SqliteTraceStore', (options) => new SqliteTraceStore({ file: newFile(), ...options }));

function inspect<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const ALL = { startTime: 0, endTime: 4e9, timeRangeType: 'TraceId' as const, limit: 100 };

describe('SqliteTraceStore on disk', () => {
  test('creates the folder and a WAL database of the current schema version', () => {
    const file = newFile();
    new SqliteTraceStore({ file }).close();
    expect(existsSync(file)).toBe(true);
    inspect(file, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('page_size', { simple: true })).toBe(16384);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['annotations', 'documents', 'graph_minutes', 'meta', 'trace_graph', 'traces']));
    });
  });

  test('refuses a WAL checkpoint size that is not a whole number of at least 1', () => {
    expect(() => new SqliteTraceStore({ file: newFile(), walAutocheckpointPages: 0 })).toThrow(RangeError);
    expect(() => new SqliteTraceStore({ file: newFile(), walAutocheckpointPages: 1.5 }))
      .toThrow('walAutocheckpointPages must be a whole number of at least 1, got 1.5');
  });

  test('keeps everything across close and reopen', () => {
    const file = newFile();
    const first = new SqliteTraceStore({ file });
    for (const name of fixtureNames) first.write(fixtureRecords(name));
    const summaries = apiPage(first.getTraceSummaries(ALL));
    const traces = first.getTraces(summaries.summaries.map((s) => s['Id'] as string));
    first.close();
    const second = new SqliteTraceStore({ file, nowSeconds: () => summaries.approximateTime });
    expect(apiPage(second.getTraceSummaries(ALL))).toEqual(summaries);
    expect(second.getTraces(traces.map((t) => t.id))).toEqual(traces);
    second.close();
  });

  test('a read-only instance on the same file reads documents once written and summaries once refreshed', () => {
    const file = newFile();
    const now = (): number => 1_700_050_000;
    const writer = new SqliteTraceStore({ file, nowSeconds: now, summaryDelayMillis: 60_000 });
    const reader = new SqliteTraceStore({ file, nowSeconds: now, readOnly: true });
    writer.write(fixtureRecords('web-app-trace'));
    const traceId = loadFixture('web-app-trace').traceId;
    expect(reader.getTraces([traceId])).toEqual(writer.getTraces([traceId]));
    // Not summarized yet: the trace is not listed, and its graph is not in the minutes.
    expect(apiPage(reader.getTraceSummaries(ALL)).summaries).toEqual([]);
    expect(reader.getGraphMinutes({ startTime: 0, endTime: 4e9 }).minutes.size).toBe(0);
    writer.refreshSummaries();
    expect(apiPage(reader.getTraceSummaries(ALL))).toEqual(apiPage(writer.getTraceSummaries(ALL)));
    expect(reader.getGraphMinutes({ startTime: 0, endTime: 4e9 })).toEqual(writer.getGraphMinutes({ startTime: 0, endTime: 4e9 }));
    expect(() => reader.write(fixtureRecords('minimal-segment'))).toThrow('write: this trace store was opened read-only');
    expect(() => reader.deleteTracesBefore(4e9)).toThrow('opened read-only');
    writer.close();
    reader.close();
  });

  test('a file of schema version 1 is upgraded: the graph tables are filled from the stored traces', () => {
    const file = newFile();
    const first = new SqliteTraceStore({ file });
    for (const name of fixtureNames) first.write(fixtureRecords(name));
    const summaries = apiPage(first.getTraceSummaries(ALL));
    const graph = first.getGraphMinutes({ startTime: 0, endTime: 4e9 });
    first.close();
    // What version 1 had: no graph tables, no refresh mark; every trace summarized.
    const db = new Database(file);
    db.exec('DROP TABLE trace_graph; DROP TABLE graph_minutes; DROP TABLE meta;');
    db.pragma('user_version = 1');
    db.close();
    const second = new SqliteTraceStore({ file, nowSeconds: () => summaries.approximateTime });
    expect(second.getGraphMinutes({ startTime: 0, endTime: 4e9 })).toEqual(graph);
    // Recomputed once on open, so each summary's revision rose by one.
    expect(apiPage(second.getTraceSummaries(ALL)).summaries).toEqual(summaries.summaries.map((s) => ({ ...s, Revision: (s['Revision'] as number) + 1 })));
    second.close();
    inspect(file, (db) => expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION));
  });

  test('refuses a file of another schema version, naming both versions', () => {
    const file = newFile();
    new SqliteTraceStore({ file }).close();
    const db = new Database(file);
    db.pragma('user_version = 7');
    db.close();
    expect(() => new SqliteTraceStore({ file })).toThrow(`trace store schema version 7 is not the supported version ${SCHEMA_VERSION}`);
  });

  test('refuses a file that is not a database', () => {
    const file = join(root, 'not-a-database.db');
    writeFileSync(file, 'x'.repeat(4096));
    expect(() => new SqliteTraceStore({ file })).toThrow(/not a database/);
  });

  test('fills the summary columns and the typed annotations table, and retention empties them', () => {
    const file = newFile();
    const store = new SqliteTraceStore({ file });
    for (const name of fixtureNames) store.write(fixtureRecords(name));
    store.refreshSummaries();
    const webApp = loadFixture('web-app-trace').traceId;
    inspect(file, (db) => {
      expect(db.prepare('SELECT * FROM traces WHERE trace_id = ?').get(webApp)).toMatchObject({
        id_epoch: 1700000010,
        start_time: 1700000010.1,
        end_time: 1700000010.9,
        duration: 0.8,
        response_time: 0.8,
        has_fault: 0,
        has_error: 0,
        has_throttle: 1,
        is_partial: 0,
        http_status: 200,
        http_url: 'http://scorekeep.example.com/api/move/SMSK8V2T/ZL6M7SK6',
        http_method: 'POST',
        http_useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
        http_clientip: '198.51.100.23',
        user: '5M388M1E',
        revision: 1,
      });
      // JavaScript numbers bind as REAL, so every number compares alike; booleans are 0 or 1.
      const annotations = db.prepare(`
        SELECT key, type, value, typeof(value) AS storage FROM annotations a JOIN traces t ON t.seq = a.trace_seq
        WHERE t.trace_id = ? ORDER BY key`).all(webApp);
      expect(annotations).toEqual([
        { key: 'gameid', type: 'string', value: 'SMSK8V2T', storage: 'text' },
        { key: 'retry_count', type: 'number', value: 1, storage: 'real' },
        { key: 'score', type: 'number', value: 42, storage: 'real' },
        { key: 'tier', type: 'string', value: 'free', storage: 'text' },
        { key: 'winner', type: 'boolean', value: 1, storage: 'real' },
      ]);
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT trace_seq FROM annotations WHERE key = 'score' AND type = 'number' AND value = 42").all() as Array<{ detail: string }>;
      expect(plan.map((row) => row.detail).join(' ')).toContain('annotations_by_value');
    });
    expect(store.deleteTracesBefore(4e9)).toBe(fixtureNames.length);
    inspect(file, (db) => {
      for (const table of ['documents', 'traces', 'annotations', 'trace_graph', 'graph_minutes']) {
        expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
      }
    });
    store.close();
  });
});

describe('SqliteTraceStore annotation rows follow the documents', () => {
  const traceId = '1-6553f200-000000000000000000000001';
  const doc = (id: string, annotations: Record<string, unknown>, complete: boolean): string => JSON.stringify({
    name: 'svc', id, trace_id: traceId, start_time: 1700000256, ...(complete ? { end_time: 1700000257 } : { in_progress: true }), annotations,
  });
  const rowsOf = (store: SqliteTraceStore, file: string): unknown[] => {
    store.refreshSummaries();
    return inspect(file, (db) => db.prepare('SELECT key, type, value FROM annotations ORDER BY key, type, value').all());
  };

  test.each([
    ['in one store', false],
    ['across a reopen', true],
  ])('a changed value replaces the old row, a removed key goes, a new key comes: %s', (_how, reopen) => {
    const file = newFile();
    let store = new SqliteTraceStore({ file });
    store.write([toRecord(doc('aaaaaaaaaaaaaaa1', { stage: 'start', kept: 1, dropped: true }, false))]);
    store.write([toRecord(doc('aaaaaaaaaaaaaaa2', { other: 'x' }, true))]);
    expect(rowsOf(store, file)).toEqual([
      { key: 'dropped', type: 'boolean', value: 1 },
      { key: 'kept', type: 'number', value: 1 },
      { key: 'other', type: 'string', value: 'x' },
      { key: 'stage', type: 'string', value: 'start' },
    ]);
    if (reopen) {
      store.close();
      store = new SqliteTraceStore({ file });
    }
    store.write([toRecord(doc('aaaaaaaaaaaaaaa1', { stage: 'done', kept: 1, added: 2.5 }, true))]);
    expect(rowsOf(store, file)).toEqual([
      { key: 'added', type: 'number', value: 2.5 },
      { key: 'kept', type: 'number', value: 1 },
      { key: 'other', type: 'string', value: 'x' },
      { key: 'stage', type: 'string', value: 'done' },
    ]);
    store.close();
  });
});

describe('SqliteTraceStore annotation rows, many to a statement', () => {
  test('a trace with more annotations than one insert takes gets every row', () => {
    const file = newFile();
    const store = new SqliteTraceStore({ file });
    const annotations = Object.fromEntries(Array.from({ length: 37 }, (_, i) => [`key_${i}`, i % 3 === 0 ? `v${i}` : i % 3 === 1 ? i : i % 2 === 0]));
    store.write([toRecord(JSON.stringify({ name: 'svc', id: 'bbbbbbbbbbbbbbb1', trace_id: '1-6553f200-000000000000000000000002', start_time: 1700000256, end_time: 1700000257, annotations }))]);
    store.refreshSummaries();
    const rows = inspect(file, (db) => db.prepare('SELECT key, type, value FROM annotations ORDER BY key').all()) as Array<{ key: string; type: string; value: unknown }>;
    expect(rows).toHaveLength(37);
    expect(Object.fromEntries(rows.map((r) => [r.key, r.type === 'boolean' ? r.value === 1 : r.value]))).toEqual(annotations);
    store.close();
  });
});

describe('SqliteTraceStore durability against SIGKILL', () => {
  const script = fileURLToPath(new URL('./support/kill-writer.ts', import.meta.url));

  /** Runs the writer; resolves with its output once it printed `until` (then SIGKILLs it) or died. */
  function runWriter(file: string, mode: string, until?: string): Promise<{ output: string; signal: NodeJS.Signals | null }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, file, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let errors = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (until !== undefined && output.includes(until)) child.kill('SIGKILL');
      });
      child.stderr.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (signal === null && code !== 0) reject(new Error(`writer exited with ${code}: ${errors}`));
        else resolve({ output, signal });
      });
    });
  }

  test('a write that returned survives a SIGKILL right after', async () => {
    const file = newFile();
    const { output, signal } = await runWriter(file, 'after-commit', 'written');
    expect(output).toBe('written\n');
    expect(signal).toBe('SIGKILL');
    const store = new SqliteTraceStore({ file });
    const traceId = loadFixture('lambda-sns-trace').traceId;
    expect(store.getTraces([traceId])[0]?.segments).toHaveLength(3);
    expect(apiPage(store.getTraceSummaries(ALL)).summaries.map((s) => s['Id'])).toEqual([traceId]);
    store.close();
  });

  test('a kill between writes and their refresh loses nothing: the next open recomputes what the refresh missed', async () => {
    const file = newFile();
    const { output, signal } = await runWriter(file, 'before-refresh', 'written');
    expect(output).toBe('written\n');
    expect(signal).toBe('SIGKILL');
    // Before the reopen: the last writes are in the file, the summaries are a refresh behind.
    const lambda = loadFixture('lambda-sns-trace').traceId;
    const fault = loadFixture('fault-trace').traceId;
    inspect(file, (db) => {
      expect(db.prepare('SELECT revision FROM traces WHERE trace_id = ?').pluck().get(fault)).toBe(0);
      expect(db.prepare('SELECT is_partial FROM traces WHERE trace_id = ?').pluck().get(lambda)).toBe(1);
    });

    // The same writes in a store that was never killed.
    const expected = new SqliteTraceStore({ file: newFile() });
    for (const records of killWriterBatches()) expected.write(records);
    const store = new SqliteTraceStore({ file });
    const revisionless = (page: { summaries: ReadonlyArray<Record<string, unknown>> }): unknown[] => page.summaries.map(({ Revision: _, ...rest }) => rest);
    expect(revisionless(apiPage(store.getTraceSummaries(ALL)))).toEqual(revisionless(apiPage(expected.getTraceSummaries(ALL))));
    expect(apiPage(store.getTraceSummaries(ALL)).summaries.find((s) => s['Id'] === lambda)).toMatchObject({ IsPartial: false, Revision: 2 });
    const window = { startTime: 0, endTime: 4e9 };
    expect(store.getGraphMinutes(window)).toEqual(expected.getGraphMinutes(window));
    expected.close();
    store.close();
    inspect(file, (db) => {
      expect(db.prepare("SELECT key, type, value FROM annotations a JOIN traces t ON t.seq = a.trace_seq WHERE t.trace_id = ? AND key = 'path'").all(lambda))
        .toEqual([{ key: 'path', type: 'string', value: '/prod/foo' }]);
    });
  });

  test('a process killed inside a write leaves none of that batch and all of the earlier one', async () => {
    const file = newFile();
    const { output, signal } = await runWriter(file, 'mid-batch');
    expect(signal).toBe('SIGKILL');
    expect(output).toBe('');
    const store = new SqliteTraceStore({ file });
    const minimal = loadFixture('minimal-segment').traceId;
    expect(apiPage(store.getTraceSummaries(ALL)).summaries.map((s) => s['Id'])).toEqual([minimal]);
    store.close();
    inspect(file, (db) => {
      expect(db.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(1);
      expect(db.prepare('SELECT count(*) FROM annotations').pluck().get()).toBe(0);
    });
  });
});
