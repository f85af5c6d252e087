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
 * - traces: one row per trace with the summary columns later filter pushdown needs, the summary
 *   JSON (compactly encoded, see traces/packed-summary.ts), a revision counter and `seq`, the
 *   trace's arrival number, which paging sorts by.
 * - documents: one row per (trace, id), in arrival order, found through a (trace seq, id) index.
 *   New rows append; only the small index entries land among older traces' (a trace's documents
 *   arrive over a second or more), so a commit dirties few pages.
 * - annotations: (trace seq, key, type, value) with the value typed: string, number (REAL) or
 *   boolean (0/1), indexed by (key, type, value) for filter expressions.
 * Every statement is prepared once and binds its values as parameters. One store instance is the
 * only writer of its file (it remembers the traces it wrote lately; see recent-traces.ts).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { assembleTrace } from '../traces/assemble.ts';
import { packSummary, unpackSummary } from '../traces/packed-summary.ts';
import { computeTrace, finishSummary, type ComputedTrace } from '../traces/summary.ts';
import { parseRecords, type ParsedRecord } from '../traces/tree.ts';
import { checkQuery, decodeCursor, encodeCursor, replaces, TOP, type PageCursor } from './query.ts';
import { RecentTraces, type RecentTrace } from './recent-traces.ts';
import type { SegmentRecord, StoredTrace, SummaryPage, SummaryQuery, TimeRangeType, TraceStore } from './types.ts';

export const SCHEMA_VERSION = 1;
/**
 * Document text kept parsed for the traces written lately: about 1.5 s of Lambda-sized documents
 * at 50K/s, as long as a trace of the pattern takes to arrive (the SQS flow waits a second).
 * Full, with the parsed objects, it measured 65 MB of heap; idle, it holds next to nothing.
 */
const RECENT_BYTES = 32 * 1024 * 1024;

const SCHEMA = `
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
CREATE INDEX traces_by_end_time ON traces (end_time);

CREATE TABLE documents (
  doc_seq     INTEGER PRIMARY KEY,
  trace_seq   INTEGER NOT NULL,
  id          TEXT NOT NULL,
  parent_id   TEXT,
  type        TEXT NOT NULL CHECK (type IN ('segment', 'subsegment')),
  name        TEXT NOT NULL,
  start_time  REAL NOT NULL,
  end_time    REAL,
  in_progress INTEGER NOT NULL CHECK (in_progress IN (0, 1)),
  document    TEXT NOT NULL,
  UNIQUE (trace_seq, id)
) STRICT;

CREATE TABLE annotations (
  trace_seq INTEGER NOT NULL,
  key       TEXT NOT NULL,
  type      TEXT NOT NULL CHECK (type IN ('string', 'number', 'boolean')),
  value     ANY NOT NULL,
  PRIMARY KEY (trace_seq, key, type, value)
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
/** key, type, value as bound to the annotations table. */
type AnnotationRow = [string, string, string | number];

/** What the store knows of a trace it is about to change. */
interface KnownTrace extends Partial<RecentTrace> {
  readonly seq: number;
  readonly documents: ReadonlyMap<string, ParsedRecord>;
}

export class SqliteTraceStore implements TraceStore {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly statements: {
    selectSeq: Statement;
    selectDocuments: Statement;
    insertTrace: Statement;
    updateTrace: Statement;
    upsertDocument: Statement;
    deleteAnnotations: Statement;
    deleteAnnotation: Statement;
    insertAnnotation: Statement;
    lastSeq: Statement;
    deleteDocumentsBefore: Statement;
    deleteAnnotationsBefore: Statement;
    deleteTracesBefore: Statement;
    summaries: Record<TimeRangeType, Statement>;
  };
  private readonly recent = new RecentTraces(RECENT_BYTES);
  private readonly writeBatch: (records: ReadonlyArray<SegmentRecord>) => Array<[string, RecentTrace]>;
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
      selectSeq: db.prepare('SELECT seq FROM traces WHERE trace_id = ?'),
      selectDocuments: db.prepare(`
        SELECT id, parent_id, type, name, start_time, end_time, in_progress, document
        FROM documents WHERE trace_seq = ?`),
      insertTrace: db.prepare(`
        INSERT INTO traces (start_time, end_time, duration, response_time, has_fault, has_error,
          has_throttle, is_partial, http_status, http_url, http_method, http_useragent, http_clientip,
          user, summary, trace_id, id_epoch, revision)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`),
      // By rowid, and leaving trace_id and id_epoch alone: their indexes need no update.
      updateTrace: db.prepare(`
        UPDATE traces SET start_time = ?, end_time = ?, duration = ?, response_time = ?, has_fault = ?,
          has_error = ?, has_throttle = ?, is_partial = ?, http_status = ?, http_url = ?, http_method = ?,
          http_useragent = ?, http_clientip = ?, user = ?, summary = ?, revision = revision + 1
        WHERE seq = ?`),
      // Which record wins was decided by `replaces()` (query.ts) before this runs.
      upsertDocument: db.prepare(`
        INSERT INTO documents (trace_seq, id, parent_id, type, name, start_time, end_time, in_progress, document)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (trace_seq, id) DO UPDATE SET
          parent_id = excluded.parent_id, type = excluded.type, name = excluded.name,
          start_time = excluded.start_time, end_time = excluded.end_time,
          in_progress = excluded.in_progress, document = excluded.document`),
      deleteAnnotations: db.prepare('DELETE FROM annotations WHERE trace_seq = ?'),
      deleteAnnotation: db.prepare('DELETE FROM annotations WHERE trace_seq = ? AND key = ? AND type = ? AND value = ?'),
      insertAnnotation: db.prepare('INSERT OR IGNORE INTO annotations (trace_seq, key, type, value) VALUES (?, ?, ?, ?)'),
      lastSeq: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM traces'),
      deleteDocumentsBefore: db.prepare('DELETE FROM documents WHERE trace_seq IN (SELECT seq FROM traces WHERE end_time < ?)'),
      deleteAnnotationsBefore: db.prepare('DELETE FROM annotations WHERE trace_seq IN (SELECT seq FROM traces WHERE end_time < ?)'),
      deleteTracesBefore: db.prepare('DELETE FROM traces WHERE end_time < ?'),
      summaries: {
        TraceId: db.prepare(pageQuery('t.start_time', 't.id_epoch >= @floorStart AND t.id_epoch <= @end')),
        // Event and Service match on document times (see traces/time-range.ts); the overlap test on
        // the trace's own span only narrows the candidates first.
        Event: db.prepare(pageQuery(`(
          SELECT max(CASE WHEN d.end_time BETWEEN @start AND @end THEN d.end_time
                          WHEN d.start_time BETWEEN @start AND @end THEN d.start_time END)
          FROM documents d WHERE d.trace_seq = t.seq)`, 't.end_time >= @start AND t.start_time <= @end')),
        Service: db.prepare(pageQuery(`(
          SELECT max(d.end_time) FROM documents d
          WHERE d.trace_seq = t.seq AND d.type = 'segment' AND d.end_time BETWEEN @start AND @end)`,
        't.end_time >= @start AND t.start_time <= @end')),
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
    if (records.length === 0) return;
    // Remember what was committed only once the commit succeeded.
    for (const [traceId, trace] of this.writeBatch(records)) this.recent.put(traceId, trace);
  }

  deleteTracesBefore(epochSeconds: number): number {
    if (!Number.isFinite(epochSeconds)) throw new TypeError(`epochSeconds must be a number, got ${epochSeconds}`);
    this.recent.clear();
    return this.deleteBefore(epochSeconds);
  }

  getTraces(traceIds: ReadonlyArray<string>): StoredTrace[] {
    const result: StoredTrace[] = [];
    for (const traceId of new Set(traceIds)) {
      const seq = this.seqOf(traceId);
      if (seq !== undefined) result.push(assembleTrace(traceId, parseRecords(this.documentsOf(traceId, seq))));
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
      summaries: page.map((row) => finishSummary(unpackSummary(row.summary), row.revision, row.matched)),
      nextCursor: rows.length > query.limit && last !== undefined
        ? encodeCursor(query, { ...cursor, idEpoch: last.id_epoch, seq: last.seq })
        : undefined,
      approximateTime: cursor.approximateTime,
      tracesProcessedCount: page.length,
    };
  }

  close(): void {
    this.recent.clear();
    if (this.db.open) this.db.close();
  }

  /**
   * Applies the upsert rule against each trace's known documents, then recomputes every trace the
   * batch changed, once, and writes its row, its changed documents and its annotations.
   */
  private applyBatch(records: ReadonlyArray<SegmentRecord>): Array<[string, RecentTrace]> {
    const byTrace = new Map<string, SegmentRecord[]>();
    for (const record of records) {
      const list = byTrace.get(record.traceId);
      if (list === undefined) byTrace.set(record.traceId, [record]);
      else list.push(record);
    }
    const updates: Array<[string, RecentTrace]> = [];
    for (const [traceId, incoming] of byTrace) {
      const known = this.recent.get(traceId) ?? this.load(traceId);
      const documents = new Map(known?.documents);
      const changed = new Map<string, SegmentRecord>();
      for (const record of incoming) {
        const existing = documents.get(record.id)?.record;
        if (existing !== undefined && !replaces(existing, record)) continue;
        documents.set(record.id, parseRecords([record])[0]!);
        changed.set(record.id, record);
      }
      if (changed.size === 0) continue;
      const saved = this.saveTrace(computeTrace(traceId, [...documents.values()]), known, changed);
      updates.push([traceId, { ...saved, documents }]);
    }
    return updates;
  }

  /** Writes the trace row, its changed documents, and the annotation rows that changed. */
  private saveTrace(
    { index: t, summary }: ComputedTrace,
    known: KnownTrace | undefined,
    changed: ReadonlyMap<string, SegmentRecord>,
  ): { seq: number; annotations: RecentTrace['annotations'] } {
    const { insertTrace, updateTrace, upsertDocument, deleteAnnotations, deleteAnnotation, insertAnnotation } = this.statements;
    const columns = [
      t.startTime, t.endTime, t.duration, t.responseTime ?? null,
      bit(t.hasFault), bit(t.hasError), bit(t.hasThrottle), bit(t.isPartial),
      t.httpStatus ?? null, t.httpUrl ?? null, t.httpMethod ?? null, t.httpUserAgent ?? null,
      t.httpClientIp ?? null, t.user ?? null, packSummary(summary),
    ];
    let seq: number;
    if (known === undefined) {
      seq = Number(insertTrace.run(...columns, t.traceId, t.idEpoch).lastInsertRowid);
    } else {
      seq = known.seq;
      updateTrace.run(...columns, seq);
    }
    const previous = known?.annotations;
    for (const r of changed.values()) {
      upsertDocument.run(
        seq, r.id, r.parentId ?? null, r.type, r.name, r.startTime,
        r.inProgress ? null : (r.endTime ?? null), r.inProgress ? 1 : 0, r.document,
      );
    }
    // Annotations mostly accumulate as documents arrive: touch only the rows that differ.
    const annotations = new Map<string, AnnotationRow>();
    for (const { key, value } of t.annotations) {
      annotations.set(`${typeof value}\u0000${key}\u0000${String(value)}`, [key, typeof value, typeof value === 'boolean' ? bit(value) : value]);
    }
    if (previous === undefined) deleteAnnotations.run(seq);
    else for (const [rowKey, row] of previous) if (!annotations.has(rowKey)) deleteAnnotation.run(seq, ...row);
    for (const [rowKey, row] of annotations) if (previous?.has(rowKey) !== true) insertAnnotation.run(seq, ...row);
    return { seq, annotations };
  }

  /** A trace this store did not write lately, read back from the file; undefined if unknown. */
  private load(traceId: string): KnownTrace | undefined {
    const seq = this.seqOf(traceId);
    if (seq === undefined) return undefined;
    const documents = new Map(parseRecords(this.documentsOf(traceId, seq)).map((parsed) => [parsed.record.id, parsed]));
    return { seq, documents };
  }

  private seqOf(traceId: string): number | undefined {
    return (this.statements.selectSeq.get(traceId) as { seq: number } | undefined)?.seq;
  }

  private documentsOf(traceId: string, seq: number): SegmentRecord[] {
    return (this.statements.selectDocuments.all(seq) as DocumentRow[]).map((row) => ({
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
  const check = (): boolean => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return true;
    if (version !== 0) {
      throw new Error(`${file}: trace store schema version ${version} is not the supported version ${SCHEMA_VERSION}; move the file away to start a new store`);
    }
    return false;
  };
  if (check()) return;
  db.transaction(() => {
    // Another connection (the writer thread's, say) may have created the schema meanwhile.
    if (check()) return;
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function bit(flag: boolean): 0 | 1 {
  return flag ? 1 : 0;
}
