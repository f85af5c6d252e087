/**
 * Rows the store cannot use, put straight into the SQLite files as an older version (whose
 * validation let extreme numbers through) or a damaged disk would leave them: reads, refreshes,
 * retention, close and start-up skip and report them, and everything else keeps working.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { startXrayService } from '../../../src/xray/service.ts';
import { parse } from '../../../src/xray/query/index.ts';
import { SqliteTraceStore } from '../../../src/xray/store/sqlite-store.ts';
import type { SegmentRecord } from '../../../src/xray/model/trace.ts';
import { newTraceId, segment } from '../support/documents.ts';
import { apiPage } from './api-page.ts';

const NOW = 1_750_000_000;
const ALL = { startTime: 0, endTime: 4e9, timeRangeType: 'TraceId' as const, limit: 100 };
const root = mkdtempSync(join(tmpdir(), 'xray-unusable-rows-'));
let folders = 0;
const newFolder = (): string => join(root, `data-${++folders}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function record(document: Record<string, unknown>): SegmentRecord {
  return {
    traceId: document.trace_id as string, id: document.id as string, parentId: undefined, type: 'segment', name: document.name as string,
    startTime: document.start_time as number, endTime: document.end_time as number, inProgress: false, document: JSON.stringify(document),
  };
}

interface Planted {
  readonly good: string;
  /** Traces whose documents hold numbers no graph minute can take. */
  readonly extreme: string[];
  readonly notJson: string;
}

/**
 * A store with one good trace, then, written behind its back: traces whose documents have times
 * of 1e300 and 1e308 (as PutTraceSegments once accepted), a document that is not JSON, a summary
 * that is not one, and a graph minute that does not unpack; the refresh mark is put back so the
 * next writer to open the file recomputes them.
 */
function plant(file: string): Planted {
  const store = new SqliteTraceStore({ file, nowSeconds: () => NOW, warn: () => {} });
  const good = segment(newTraceId(NOW), NOW);
  store.write([record(good)]);
  store.close();

  const db = new Database(file);
  try {
    const addTrace = db.prepare(`INSERT INTO traces (trace_id, id_epoch, start_time, end_time, duration, has_fault, has_error, has_throttle, is_partial, revision, summary)
      VALUES (?, ?, ?, ?, 0, 0, 0, 0, 1, ?, ?)`);
    const addDocument = db.prepare(`INSERT INTO documents (trace_seq, id, parent_id, type, name, start_time, end_time, in_progress, document)
      VALUES (?, ?, NULL, 'segment', 'x', ?, ?, 0, ?)`);
    const extreme: string[] = [];
    for (const [start, end] of [[1e300, 1e308], [NOW, 1e308], [1e15, 1e16]] as const) {
      const traceId = newTraceId(NOW);
      const document = segment(traceId, NOW, { start_time: start, end_time: end });
      const seq = addTrace.run(traceId, NOW, start, end, 0, '').lastInsertRowid;
      addDocument.run(seq, document.id, start, end, JSON.stringify(document));
      extreme.push(traceId);
    }
    const notJson = newTraceId(NOW);
    const seq = addTrace.run(notJson, NOW, NOW, NOW + 1, 0, '').lastInsertRowid;
    addDocument.run(seq, '00000000000000ff', NOW, NOW + 1, '{"name": "cut off');
    // Listed (revision 1) with a summary that does not parse.
    addTrace.run(newTraceId(NOW), NOW, NOW, NOW + 1, 1, '{not a summary');
    db.prepare('INSERT INTO graph_minutes (minute, aggregate) VALUES (?, ?)').run(Math.floor(NOW / 60) * 60 + 600, '[1, "broken"');
    db.prepare("UPDATE meta SET value = 0 WHERE key = 'summarized_doc_seq'").run();
    return { good: good.trace_id as string, extreme, notJson };
  } finally {
    db.close();
  }
}

describe('rows the store cannot use', () => {
  test('start-up recomputation, reads, retention and close skip them, each logged once naming its trace', () => {
    const file = join(newFolder(), 'traces.db');
    const planted = plant(file);
    const warnings: string[] = [];
    // Before: the recomputation on open threw "datatype mismatch" and the store would not open.
    const store = new SqliteTraceStore({ file, nowSeconds: () => NOW, warn: (line) => warnings.push(line) });
    try {
      const page = apiPage(store.getTraceSummaries(ALL));
      expect(page.summaries.map((summary) => summary.Id)).toEqual([planted.good]);
      const filtered = apiPage(store.getTraceSummaries({ ...ALL, filter: parse('responsetime >= 0') }));
      expect(filtered.summaries.map((summary) => summary.Id)).toEqual([planted.good]);

      const minutes = store.getGraphMinutes({ startTime: NOW - 3600, endTime: NOW + 3600 });
      expect([...minutes.minutes.keys()]).toEqual([Math.floor(NOW / 60) * 60]);
      expect(store.getTraceContributions([planted.good, ...planted.extreme]).map((c) => c.traceId)).toEqual([planted.good]);

      // The documents are there to read; one that is not JSON leaves its trace out.
      expect(store.getTraces([planted.extreme[0]!, planted.notJson]).map((trace) => trace.id)).toEqual([planted.extreme[0]]);

      for (const traceId of [...planted.extreme, planted.notJson]) {
        expect(warnings.filter((line) => line.includes(traceId)), traceId).toHaveLength(1);
      }
      expect(warnings.some((line) => /skipped the summary of trace row \d+ \(summaries\)/.test(line))).toBe(true);
      expect(warnings.some((line) => line.includes('skipped graph minute'))).toBe(true);
      expect(store.unreadableRows()).toBeGreaterThanOrEqual(7);

      // Asked again, the same rows are skipped without new lines.
      const logged = warnings.length;
      apiPage(store.getTraceSummaries(ALL));
      store.getTraces([planted.notJson]);
      expect(warnings).toHaveLength(logged);

      // A good document for a trace with a bad one: the rest of the batch is summarized.
      const later = segment(newTraceId(NOW), NOW + 5);
      store.write([record(later), record(segment(planted.extreme[0]!, NOW, { start_time: 1e300, end_time: 1e300 }))]);
      expect(apiPage(store.getTraceSummaries(ALL)).summaries.map((summary) => summary.Id).sort()).toEqual([planted.good, later.trace_id].sort());
      expect(store.deleteTracesBefore(NOW - 10)).toBe(0);
    } finally {
      store.close();
    }
  });

  test('the service starts on such a data folder, answers its reads, and stops cleanly', async () => {
    const folder = newFolder();
    const planted = plant(join(folder, 'traces.db'));
    const errors: string[] = [];
    const service = await startXrayService({
      dataDir: folder, daemonPort: 0, apiPort: 0, consoleDir: false, nowMs: () => NOW * 1000,
      logger: { info: () => {}, warn: () => {}, error: (line) => errors.push(line) },
    });
    try {
      const post = async (path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
        const response = await fetch(`${service.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: response.status, json: (await response.json()) as Record<string, unknown> };
      };
      const summaries = await post('/TraceSummaries', { StartTime: NOW - 3600, EndTime: NOW + 3600 });
      expect(summaries.status).toBe(200);
      expect((summaries.json.TraceSummaries as Array<{ Id: string }>).map((s) => s.Id)).toEqual([planted.good]);
      for (const [path, body] of [
        ['/ServiceGraph', { StartTime: NOW - 3600, EndTime: NOW + 3600 }],
        ['/TimeSeriesServiceStatistics', { StartTime: NOW - 3600, EndTime: NOW + 3600 }],
        ['/TraceGraph', { TraceIds: [planted.good, ...planted.extreme] }],
        ['/Traces', { TraceIds: [planted.good, planted.notJson, ...planted.extreme] }],
      ] as const) {
        expect((await post(path, body)).status, path).toBe(200);
      }
      // A new document with extreme numbers is taken or refused; either way the reads go on.
      await post('/TraceSegments', { TraceSegmentDocuments: [JSON.stringify(segment(newTraceId(NOW), 1e300, { end_time: 1e308 }))] });
      expect((await post('/TraceSummaries', { StartTime: NOW - 3600, EndTime: NOW + 3600 })).status).toBe(200);
      expect((await post('/ServiceGraph', { StartTime: NOW - 3600, EndTime: NOW + 3600 })).status).toBe(200);
      // The three extreme traces and the one that is not JSON in the writer; the bad summary and minute in the reader.
      expect(service.stats().unusableRows).toBeGreaterThanOrEqual(6);
    } finally {
      await service.stop();
    }
    expect(errors).toEqual([]);
  });

  test('a start-up that fails names its cause', async () => {
    const folder = newFolder();
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'traces.db'), Buffer.alloc(64 * 1024, 0x41));
    // Before: "undefined" (a SqliteError thrown in the writer thread arrived without its message).
    await expect(startXrayService({ dataDir: folder, daemonPort: 0, apiPort: 0, consoleDir: false, logger: { info: () => {}, warn: () => {}, error: () => {} } }))
      .rejects.toThrow(/traces\.db: file is not a database \(SQLITE_NOTADB\)/);
  });
});
