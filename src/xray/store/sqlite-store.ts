/**
 * The durable trace store: one SQLite file through better-sqlite3, which stays behind this class;
 * callers hold the `TraceStore` interface.
 *
 * Durability: the database runs in WAL mode with synchronous=NORMAL and every `write()` is one
 * transaction. When `write()` returns, its commit is in the WAL file (written, not yet fsynced), so
 * killing the process, even with SIGKILL, loses nothing: the operating system still writes the
 * file. An operating-system crash or power cut can lose the last commits since the latest
 * checkpoint (fsync), never the file's consistency. A process killed inside a transaction leaves
 * no trace of that batch: a WAL without its commit frame is ignored on the next open.
 *
 * Tables (schema version in `PRAGMA user_version`):
 * - documents: one row per (trace_id, id) with the fields the upsert rule and time ranges need.
 * - traces: one row per trace with the summary columns later filter pushdown needs, the summary
 *   JSON, a revision counter and `seq`, the arrival order that paging sorts by.
 * - annotations: (trace_id, key, type, value) with the value typed: string, number or boolean (0/1).
 * Every statement is prepared once and binds its values as parameters.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { assembleTrace } from '../traces/assemble.ts';
import { computeTrace, finishSummary, type ComputedTrace, type StoredSummaryJson } from '../traces/summary.ts';
import { parseRecords } from '../traces/tree.ts';
import { checkQuery, decodeCursor, encodeCursor, TOP, type PageCursor } from './query.ts';
import type { SegmentRecord, StoredTrace, SummaryPage, SummaryQuery, TimeRangeType, TraceStore } from './types.ts';

export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE documents (
  trace_id    TEXT NOT NULL,
  id          TEXT NOT NULL,
  parent_id   TEXT,
  type        TEXT NOT NULL CHECK (type IN ('segment', 'subsegment')),
  name        TEXT NOT NULL,
  start_time  REAL NOT NULL,
  end_time    REAL,
  in_progress INTEGER NOT NULL CHECK (in_progress IN (0, 1)),
  document    TEXT NOT NULL,
  PRIMARY KEY (trace_id, id)
) STRICT;

CREATE TABLE traces (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  trace_id       TEXT NOT NULL UNIQUE,
  id_epoch       INTEGER NOT NULL,
  start_time     REAL NOT NULL,
  end_time       REAL NOT NULL,
  duration       REAL NOT NULL,
  response_time  REAL,
  has_fault      INTEGER NOT NULL,
  has_error      INTEGER NOT NULL,
  has_throttle   INTEGER NOT NULL,
  is_partial     INTEGER NOT NULL,
  http_status    INTEGER,
  http_url       TEXT,
  http_method    TEXT,
  http_useragent TEXT,
  http_clientip  TEXT,
  user           TEXT,
  revision       INTEGER NOT NULL,
  summary        TEXT NOT NULL
) STRICT;
CREATE INDEX traces_by_id_epoch ON traces (id_epoch, seq);
CREATE INDEX traces_by_start_time ON traces (start_time);
CREATE INDEX traces_by_end_time ON traces (end_time);

CREATE TABLE annotations (
  trace_id TEXT NOT NULL,
  key      TEXT NOT NULL,
  type     TEXT NOT NULL CHECK (type IN ('string', 'number', 'boolean')),
  value    ANY NOT NULL,
  PRIMARY KEY (trace_id, key, type, value)
) STRICT, WITHOUT ROWID;
CREATE INDEX annotations_by_value ON annotations (key, type, value);
`;

interface DocumentRow {
  id: string;
  parent_id: string | null;
  type: 'segment' | 'subsegment';
  name: string;
  start_time: number;
  end_time: number | null;
  in_progress: 0 | 1;
  document: string;
}

interface SummaryRow {
  seq: number;
  id_epoch: number;
  revision: number;
  summary: string;
  matched: number;
}

type Statement = Database.Statement<unknown[], unknown>;

export class SqliteTraceStore implements TraceStore {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly statements: {
    upsertDocument: Statement;
    selectDocuments: Statement;
    upsertTrace: Statement;
    deleteAnnotations: Statement;
    insertAnnotation: Statement;
    lastSeq: Statement;
    deleteDocumentsBefore: Statement;
    deleteAnnotationsBefore: Statement;
    deleteTracesBefore: Statement;
    summaries: Record<TimeRangeType, Statement>;
  };
  private readonly writeBatch: (records: ReadonlyArray<SegmentRecord>) => void;
  private readonly deleteBefore: (epochSeconds: number) => number;

  constructor(options: { file: string; now?: () => number }) {
    this.now = options.now ?? (() => Date.now() / 1000);
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      migrate(this.db, options.file);
    } catch (error) {
      this.db.close();
      throw error;
    }
    const db = this.db;
    this.statements = {
      // The WHERE clause is the upsert rule of `replaces()` in query.ts.
      upsertDocument: db.prepare(`
        INSERT INTO documents (trace_id, id, parent_id, type, name, start_time, end_time, in_progress, document)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (trace_id, id) DO UPDATE SET
          parent_id = excluded.parent_id, type = excluded.type, name = excluded.name,
          start_time = excluded.start_time, end_time = excluded.end_time,
          in_progress = excluded.in_progress, document = excluded.document
        WHERE documents.document <> excluded.document
          AND (documents.in_progress = 1 OR excluded.in_progress = 0)`),
      selectDocuments: db.prepare(`
        SELECT id, parent_id, type, name, start_time, end_time, in_progress, document
        FROM documents WHERE trace_id = ?`),
      upsertTrace: db.prepare(`
        INSERT INTO traces (trace_id, id_epoch, start_time, end_time, duration, response_time, has_fault,
          has_error, has_throttle, is_partial, http_status, http_url, http_method, http_useragent,
          http_clientip, user, revision, summary)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
        ON CONFLICT (trace_id) DO UPDATE SET
          id_epoch = excluded.id_epoch, start_time = excluded.start_time, end_time = excluded.end_time,
          duration = excluded.duration, response_time = excluded.response_time,
          has_fault = excluded.has_fault, has_error = excluded.has_error,
          has_throttle = excluded.has_throttle, is_partial = excluded.is_partial,
          http_status = excluded.http_status, http_url = excluded.http_url,
          http_method = excluded.http_method, http_useragent = excluded.http_useragent,
          http_clientip = excluded.http_clientip, user = excluded.user,
          revision = traces.revision + 1, summary = excluded.summary`),
      deleteAnnotations: db.prepare('DELETE FROM annotations WHERE trace_id = ?'),
      insertAnnotation: db.prepare('INSERT OR IGNORE INTO annotations (trace_id, key, type, value) VALUES (?, ?, ?, ?)'),
      lastSeq: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM traces'),
      deleteDocumentsBefore: db.prepare('DELETE FROM documents WHERE trace_id IN (SELECT trace_id FROM traces WHERE end_time < ?)'),
      deleteAnnotationsBefore: db.prepare('DELETE FROM annotations WHERE trace_id IN (SELECT trace_id FROM traces WHERE end_time < ?)'),
      deleteTracesBefore: db.prepare('DELETE FROM traces WHERE end_time < ?'),
      summaries: {
        TraceId: db.prepare(pageQuery('t.start_time', 't.id_epoch >= @floorStart AND t.id_epoch <= @end')),
        // Event and Service match on document times (see traces/time-range.ts); the overlap test on
        // the trace's own span only narrows the candidates first.
        Event: db.prepare(pageQuery(`(
          SELECT max(CASE WHEN d.end_time BETWEEN @start AND @end THEN d.end_time
                          WHEN d.start_time BETWEEN @start AND @end THEN d.start_time END)
          FROM documents d WHERE d.trace_id = t.trace_id)`, 't.start_time <= @end AND t.end_time >= @start')),
        Service: db.prepare(pageQuery(`(
          SELECT max(d.end_time) FROM documents d
          WHERE d.trace_id = t.trace_id AND d.type = 'segment' AND d.end_time BETWEEN @start AND @end)`,
        't.start_time <= @end AND t.end_time >= @start')),
      },
    };
    this.writeBatch = db.transaction((records: ReadonlyArray<SegmentRecord>) => this.applyBatch(records)).immediate;
    this.deleteBefore = db.transaction((epochSeconds: number) => {
      this.statements.deleteDocumentsBefore.run(epochSeconds);
      this.statements.deleteAnnotationsBefore.run(epochSeconds);
      return this.statements.deleteTracesBefore.run(epochSeconds).changes;
    }).immediate;
  }

  write(records: ReadonlyArray<SegmentRecord>): void {
    if (records.length > 0) this.writeBatch(records);
  }

  deleteTracesBefore(epochSeconds: number): number {
    if (!Number.isFinite(epochSeconds)) throw new TypeError(`epochSeconds must be a number, got ${epochSeconds}`);
    return this.deleteBefore(epochSeconds);
  }

  getTraces(traceIds: ReadonlyArray<string>): StoredTrace[] {
    const result: StoredTrace[] = [];
    for (const traceId of new Set(traceIds)) {
      const records = this.documentsOf(traceId);
      if (records.length > 0) result.push(assembleTrace(traceId, parseRecords(records)));
    }
    return result;
  }

  getTraceSummaries(query: SummaryQuery): SummaryPage {
    checkQuery(query);
    const cursor: PageCursor = query.cursor === undefined
      ? { idEpoch: TOP, seq: TOP, asOf: (this.statements.lastSeq.get() as { seq: number }).seq, approximateTime: this.now() }
      : decodeCursor(query, query.cursor);
    const rows = this.statements.summaries[query.timeRangeType].all({
      start: query.startTime,
      end: query.endTime,
      floorStart: Math.floor(query.startTime),
      asOf: cursor.asOf,
      cursorEpoch: cursor.idEpoch,
      cursorSeq: cursor.seq,
      limit: query.limit + 1,
    }) as SummaryRow[];
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      summaries: page.map((row) => finishSummary(JSON.parse(row.summary) as StoredSummaryJson, row.revision, row.matched)),
      nextCursor: rows.length > query.limit && last !== undefined
        ? encodeCursor(query, { ...cursor, idEpoch: last.id_epoch, seq: last.seq })
        : undefined,
      approximateTime: cursor.approximateTime,
      tracesProcessedCount: page.length,
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private applyBatch(records: ReadonlyArray<SegmentRecord>): void {
    const { upsertDocument } = this.statements;
    const touched = new Set<string>();
    for (const r of records) {
      const { changes } = upsertDocument.run(
        r.traceId, r.id, r.parentId ?? null, r.type, r.name, r.startTime,
        r.inProgress ? null : (r.endTime ?? null), r.inProgress ? 1 : 0, r.document,
      );
      if (changes > 0) touched.add(r.traceId);
    }
    for (const traceId of touched) this.saveTrace(computeTrace(traceId, parseRecords(this.documentsOf(traceId))));
  }

  private saveTrace({ index: t, summary }: ComputedTrace): void {
    const { upsertTrace, deleteAnnotations, insertAnnotation } = this.statements;
    upsertTrace.run(
      t.traceId, t.idEpoch, t.startTime, t.endTime, t.duration, t.responseTime ?? null,
      bit(t.hasFault), bit(t.hasError), bit(t.hasThrottle), bit(t.isPartial),
      t.httpStatus ?? null, t.httpUrl ?? null, t.httpMethod ?? null, t.httpUserAgent ?? null,
      t.httpClientIp ?? null, t.user ?? null, JSON.stringify(summary),
    );
    deleteAnnotations.run(t.traceId);
    for (const { key, value } of t.annotations) {
      insertAnnotation.run(t.traceId, key, typeof value, typeof value === 'boolean' ? bit(value) : value);
    }
  }

  private documentsOf(traceId: string): SegmentRecord[] {
    return (this.statements.selectDocuments.all(traceId) as DocumentRow[]).map((row) => ({
      traceId,
      id: row.id,
      parentId: row.parent_id ?? undefined,
      type: row.type,
      name: row.name,
      startTime: row.start_time,
      endTime: row.end_time ?? undefined,
      inProgress: row.in_progress === 1,
      document: row.document,
    }));
  }
}

/** One page of summaries, newest first, after the cursor and within the snapshot (see query.ts). */
function pageQuery(matched: string, candidates: string): string {
  return `
    SELECT seq, id_epoch, revision, summary, matched FROM (
      SELECT t.seq, t.id_epoch, t.revision, t.summary, ${matched} AS matched
      FROM traces t
      WHERE ${candidates}
        AND t.seq <= @asOf
        AND (t.id_epoch < @cursorEpoch OR (t.id_epoch = @cursorEpoch AND t.seq < @cursorSeq))
    )
    WHERE matched IS NOT NULL
    ORDER BY id_epoch DESC, seq DESC
    LIMIT @limit`;
}

function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version !== 0) {
    throw new Error(`${file}: trace store schema version ${version} is not the supported version ${SCHEMA_VERSION}; move the file away to start a new store`);
  }
  db.transaction(() => {
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function bit(flag: boolean): 0 | 1 {
  return flag ? 1 : 0;
}
