/**
 * The durable trace store: one SQLite file through better-sqlite3, which stays behind this class;
 * callers hold the `TraceStore` interface.
 *
 * Writes are split in two (see `TraceWriter.refreshSummaries`):
 * - `write()` upserts the documents in one transaction and allocates a trace's row the first time
 *   it sees the trace; the trace is then marked dirty. Nothing is parsed or summarized here.
 * - `refreshSummaries()` recomputes each dirty trace once from all its documents, in one
 *   transaction: the trace row's summary columns and summary, its annotation rows, its graph
 *   contribution and, by difference, the per-minute graph sums (sqlite-graph.ts). It runs when the
 *   first dirty trace has waited `summaryDelayMillis`, when `maxDirtyTraces` wait, before this
 *   store's reads that depend on it, before retention and on close.
 *
 * Durability: the database runs in WAL mode with synchronous=NORMAL and every `write()` is one
 * transaction. When `write()` returns, its commit is in the WAL file (written, not yet fsynced), so
 * killing the process, even with SIGKILL, loses nothing: the operating system still writes the
 * file. An operating-system crash or power cut can lose the last commits since the latest
 * checkpoint (fsync), never the file's consistency. A process killed inside a transaction leaves
 * no trace of that batch: a WAL without its commit frame is ignored on the next open.
 * A kill between a write and its refresh loses nothing either: the refresh transaction also
 * records the highest document number it covered (`meta.summarized_doc_seq`); on open, every trace
 * with a document above it is recomputed. A document that replaces another takes a new, higher
 * number, so the rule covers replacements too.
 *
 * Tables (schema version in `PRAGMA user_version`):
 * - traces: one row per trace with the summary columns later filter pushdown needs, the summary
 *   JSON (compactly encoded, see traces/packed-summary.ts), a revision counter (0 and an empty
 *   summary until the first refresh; such rows are not listed yet) and `seq`, the trace's arrival
 *   number, which paging sorts by.
 * - documents: one row per (trace, id), in arrival order, found through a (trace seq, id) index.
 *   New rows append; only the small index entries land among older traces' (a trace's documents
 *   arrive over a second or more), so a commit dirties few pages.
 * - annotations: (trace seq, key, type, value) with the value typed: string, number (REAL) or
 *   boolean (0/1), indexed by (key, type, value) for filter expressions.
 * - trace_graph and graph_minutes: the service graph (sqlite-graph.ts); meta: the refresh mark.
 * - trace_services: each trace's service map nodes, for filters (sqlite-services.ts).
 * Every statement is prepared once and binds its values as parameters. One store instance is the
 * only writer of its file (it remembers the traces it wrote lately; see recent-traces.ts); other
 * instances on the same file open with `readOnly` and see what the writer refreshed.
 */
import type Database from 'better-sqlite3';
import { openVersionedDatabase, type Migration } from '../../common/sqlite/versioned-database.ts';
import type { Aggregate } from '../graph/aggregate.ts';
import { packAggregate, unpackAggregate } from '../graph/aggregate-packed.ts';
import { contributionOfTrace } from '../graph/contribution.ts';
import { checkWindow } from '../graph/service-graph.ts';
import type { SegmentDocument } from '../model/segment-document.ts';
import { assembleTrace, takeWithinTraceLimit } from '../traces/assemble.ts';
import { packSummary } from '../traces/packed-summary.ts';
import { computeTrace, type TraceSummary } from '../traces/summary.ts';
import { parseRecords, traceIdEpoch, type ParsedRecord } from '../traces/tree.ts';
import { DirtyTraces, type RefreshPolicy } from './dirty-traces.ts';
import { resolveFilter } from './filter-plan.ts';
import { checkQuery, decodeCursor, encodeCursor, TOP, type PageCursor } from './query.ts';
import { RecentTraces, type AnnotationRow, type CachedDocument, type RecentTrace } from './recent-traces.ts';
import { FilteredSummaries } from './sqlite-filtered.ts';
import { GRAPH_SCHEMA, SqliteGraph, unstorable, type SkipRow } from './sqlite-graph.ts';
import { readSummary } from './summary-rows.ts';
import { UnreadableRows } from './unreadable-rows.ts';
import { TraceServiceRows } from './sqlite-services.ts';
import type { GraphWindow, SegmentRecord, StoredTrace, SummaryPage, SummaryQuery, TimeRangeType, TraceStore } from './types.ts';

/**
 * Document text kept for the traces written lately, so a refresh need not read it back: at 50K
 * documents/s of 1.2 KB, a refresh delay (1 s) writes about 60 MB, and a trace of the pattern
 * takes a second or more to arrive. Text only: refreshes parse anew, which costs less than keeping
 * parsed objects (their garbage collection measured more).
 */
const RECENT_BYTES = 96 * 1024 * 1024;
/** Annotation rows inserted by one statement: a row a statement cost about twice as much. */
const ANNOTATIONS_PER_INSERT = 16;

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

/** What version 2 adds to version 1: the graph tables and the refresh mark. */
const SCHEMA_2 = `${GRAPH_SCHEMA}
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value ANY NOT NULL
) STRICT;
`;
/** The highest `doc_seq` whose effects are in the summaries. A file upgraded from version 1 starts at 0: every trace is recomputed once. */
const WATERMARK = 'summarized_doc_seq';

/**
 * Version 1, then version 2: from version 1, the graph tables start empty and the mark at 0, so
 * the first writer to open the file recomputes every trace once, filling them.
 */
const MIGRATIONS: readonly Migration[] = [
  SCHEMA,
  (db) => {
    db.exec(SCHEMA_2);
    db.prepare(`INSERT INTO meta (key, value) VALUES ('${WATERMARK}', 0)`).run();
  },
];
export const SCHEMA_VERSION = MIGRATIONS.length;

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

export interface SqliteTraceStoreOptions extends RefreshPolicy {
  readonly file: string;
  /** Epoch seconds, for GetTraceSummaries' ApproximateTime. */
  readonly nowSeconds?: () => number;
  /**
   * Another connection to a file that a writer instance owns: reads only, and no recovery on
   * open (the writer does that). @default false
   */
  readonly readOnly?: boolean;
  /**
   * WAL size (pages) at which a commit also checkpoints. An owner that checkpoints from another
   * connection (the writer thread's checkpointer) raises it, keeping it as a bound should that fall
   * behind, so commits rarely wait for a checkpoint's copying and fsync. @default 1000 (SQLite's)
   */
  readonly walAutocheckpointPages?: number;
  /** Where rows that cannot be used are reported (once each; see unreadable-rows.ts). @default console.warn */
  readonly warn?: (message: string) => void;
}

export class SqliteTraceStore implements TraceStore {
  private readonly db: Database.Database;
  private readonly nowSeconds: () => number;
  private readonly readOnly: boolean;
  private readonly statements: {
    selectSeq: Statement;
    selectDocuments: Statement;
    insertTrace: Statement;
    updateTrace: Statement;
    upsertDocument: Statement;
    deleteAnnotations: Statement;
    deleteAnnotation: Statement;
    lastSeq: Statement;
    lastDocSeq: Statement;
    selectWatermark: Statement;
    setWatermark: Statement;
    tracesAbove: Statement;
    contributionsBefore: Statement;
    countTracesBefore: Statement;
    deleteDocumentsBefore: Statement;
    deleteAnnotationsBefore: Statement;
    deleteGraphBefore: Statement;
    deleteTracesBefore: Statement;
    summaries: Record<TimeRangeType, Statement>;
  };
  private readonly recent = new RecentTraces(RECENT_BYTES);
  /** INSERTs of 1 to ANNOTATIONS_PER_INSERT annotation rows, prepared when first needed. */
  private readonly annotationInserts: Statement[] = [];
  private readonly graph: SqliteGraph;
  /** Filter pushdown: the rows `service(...)` tests read, and the filtered page queries. */
  private readonly services: TraceServiceRows | undefined;
  private readonly filtered: FilteredSummaries;
  /** Trace id -> row number of every trace written since the last refresh. */
  private readonly dirty: DirtyTraces<number>;
  private readonly writeBatch: (records: ReadonlyArray<SegmentRecord>) => BatchResult;
  private readonly refreshBatch: (traces: ReadonlyMap<string, number>) => Array<[string, RecentTrace]>;
  private readonly deleteBefore: (epochSeconds: number) => number;
  /** One trace's rows, in a savepoint of the refresh: a trace that fails leaves the others be. */
  private readonly writeSummary: (write: () => void) => void;
  private readonly unreadable: UnreadableRows;
  private readonly skip: SkipRow;

  constructor(options: SqliteTraceStoreOptions) {
    this.nowSeconds = options.nowSeconds ?? (() => Date.now() / 1000);
    this.readOnly = options.readOnly ?? false;
    this.unreadable = new UnreadableRows(options.warn ?? ((message) => console.warn(message)));
    this.skip = (where, what, error) => this.unreadable.report(where, what, error);
    const walAutocheckpointPages = options.walAutocheckpointPages;
    if (walAutocheckpointPages !== undefined && (!Number.isInteger(walAutocheckpointPages) || walAutocheckpointPages < 1)) {
      throw new RangeError(`walAutocheckpointPages must be a whole number of at least 1, got ${walAutocheckpointPages}`);
    }
    this.db = openVersionedDatabase(options.file, {
      what: 'trace store',
      migrations: MIGRATIONS,
      synchronous: 'NORMAL',
      // A new file gets 16 KB pages (an existing one keeps its own): with documents of a kilobyte or
      // more, inserting them measured about a fifth faster than with 4 KB pages (the whole write
      // path, summaries included, under a tenth).
      pageSizeBytes: 16384,
    });
    if (walAutocheckpointPages !== undefined) {
      try {
        this.db.pragma(`wal_autocheckpoint = ${walAutocheckpointPages}`);
      } catch (error) {
        this.db.close();
        throw error;
      }
    }
    const db = this.db;
    this.statements = {
      selectSeq: db.prepare('SELECT seq FROM traces WHERE trace_id = ?'),
      selectDocuments: db.prepare(`
        SELECT id, parent_id, type, name, start_time, end_time, in_progress, document
        FROM documents WHERE trace_seq = ?`),
      // A trace's first sight: the columns known without a summary; the refresh fills the rest.
      insertTrace: db.prepare(`
        INSERT INTO traces (trace_id, id_epoch, start_time, end_time, duration, has_fault, has_error,
          has_throttle, is_partial, revision, summary)
        VALUES (?, ?, ?, ?, 0, 0, 0, 0, 1, 0, '')`),
      // By rowid, and leaving trace_id and id_epoch alone: their indexes need no update.
      updateTrace: db.prepare(`
        UPDATE traces SET start_time = ?, end_time = ?, duration = ?, response_time = ?, has_fault = ?,
          has_error = ?, has_throttle = ?, is_partial = ?, http_status = ?, http_url = ?, http_method = ?,
          http_useragent = ?, http_clientip = ?, user = ?, summary = ?, revision = revision + 1
        WHERE seq = ?`),
      // The upsert rule of `replaces()` (query.ts) in SQL: a complete document replaces an
      // in-progress one, never the other way round; an identical one changes nothing. A replacing
      // row takes the next document number, so the refresh mark (WATERMARK) sees it.
      upsertDocument: db.prepare(`
        INSERT INTO documents (trace_seq, id, parent_id, type, name, start_time, end_time, in_progress, document)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (trace_seq, id) DO UPDATE SET
          doc_seq = (SELECT max(doc_seq) FROM documents) + 1,
          parent_id = excluded.parent_id, type = excluded.type, name = excluded.name,
          start_time = excluded.start_time, end_time = excluded.end_time,
          in_progress = excluded.in_progress, document = excluded.document
        WHERE documents.document <> excluded.document AND (documents.in_progress = 1 OR excluded.in_progress = 0)`),
      deleteAnnotations: db.prepare('DELETE FROM annotations WHERE trace_seq = ?'),
      deleteAnnotation: db.prepare('DELETE FROM annotations WHERE trace_seq = ? AND key = ? AND type = ? AND value = ?'),
      lastSeq: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM traces'),
      lastDocSeq: db.prepare('SELECT coalesce(max(doc_seq), 0) FROM documents').pluck(),
      selectWatermark: db.prepare(`SELECT value FROM meta WHERE key = '${WATERMARK}'`).pluck(),
      setWatermark: db.prepare(`INSERT INTO meta (key, value) VALUES ('${WATERMARK}', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
      tracesAbove: db.prepare(`
        SELECT t.trace_id, t.seq FROM traces t
        WHERE t.seq IN (SELECT DISTINCT trace_seq FROM documents WHERE doc_seq > ?)`),
      contributionsBefore: db.prepare(`
        SELECT g.contribution FROM trace_graph g JOIN traces t ON t.seq = g.trace_seq WHERE t.end_time < ?`).pluck(),
      countTracesBefore: db.prepare('SELECT count(*) FROM traces WHERE end_time < ?').pluck(),
      deleteDocumentsBefore: db.prepare('DELETE FROM documents WHERE trace_seq IN (SELECT seq FROM traces WHERE end_time < ?)'),
      deleteAnnotationsBefore: db.prepare('DELETE FROM annotations WHERE trace_seq IN (SELECT seq FROM traces WHERE end_time < ?)'),
      deleteGraphBefore: db.prepare('DELETE FROM trace_graph WHERE trace_seq IN (SELECT seq FROM traces WHERE end_time < ?)'),
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
    this.graph = new SqliteGraph(db, this.skip);
    // A read-only instance finds the table made by the writer, which opens the file first.
    this.services = this.readOnly ? undefined : TraceServiceRows.open(db, this.skip);
    this.filtered = new FilteredSummaries(db, { skip: this.skip });
    this.dirty = new DirtyTraces(() => this.refreshSummaries(), options);
    this.writeBatch = db.transaction((records: ReadonlyArray<SegmentRecord>) => this.applyBatch(records)).immediate;
    this.refreshBatch = db.transaction((traces: ReadonlyMap<string, number>) => this.summarize(traces)).immediate;
    this.deleteBefore = db.transaction((epochSeconds: number) => this.dropBefore(epochSeconds)).immediate;
    // Called inside the refresh's transaction, better-sqlite3 makes this a savepoint.
    this.writeSummary = db.transaction((write: () => void) => write());
    if (!this.readOnly) this.recover();
  }

  write(records: ReadonlyArray<SegmentRecord>): void {
    this.writable('write');
    if (records.length === 0) return;
    const { traces, changed } = this.writeBatch(records);
    // Remember what was committed only once the commit succeeded.
    for (const [traceId, { seq, created }] of traces) {
      if (created) this.recent.put(traceId, { seq, documents: new Map(), annotations: new Map(), contribution: null });
    }
    for (const record of changed) {
      this.recent.addDocument(record.traceId, record);
      this.dirty.mark(record.traceId, (traces.get(record.traceId) as { seq: number }).seq);
    }
    this.dirty.check();
  }

  refreshSummaries(): void {
    if (this.dirty.size === 0) return;
    const traces = this.dirty.take();
    let updates: Array<[string, RecentTrace]>;
    try {
      updates = this.refreshBatch(traces);
    } catch (error) {
      this.dirty.restore(traces);
      throw error;
    }
    for (const [traceId, trace] of updates) this.recent.put(traceId, trace);
  }

  deleteTracesBefore(epochSeconds: number): number {
    this.writable('deleteTracesBefore');
    if (!Number.isFinite(epochSeconds)) throw new TypeError(`epochSeconds must be a number, got ${epochSeconds}`);
    this.refreshSummaries();
    this.recent.clear();
    return this.deleteBefore(epochSeconds);
  }

  getGraphMinutes(window: GraphWindow): Aggregate {
    checkWindow(window);
    this.refreshSummaries();
    return this.graph.minutes(window.startTime, window.endTime);
  }

  getTraceContributions(traceIds: ReadonlyArray<string>): Array<{ traceId: string; contribution: Aggregate }> {
    this.refreshSummaries();
    const result: Array<{ traceId: string; contribution: Aggregate }> = [];
    for (const traceId of new Set(traceIds)) {
      const seq = this.seqOf(traceId);
      const packed = seq === undefined ? undefined : this.graph.contributionOf(seq);
      if (packed === undefined) continue;
      try {
        result.push({ traceId, contribution: usable(unpackAggregate(packed)) });
      } catch (error) {
        this.skip('trace graph', `trace ${traceId}`, error);
      }
    }
    return result;
  }

  /** A trace that cannot be assembled is left out, as one not found (BatchGetTraces lists it as unprocessed). */
  getTraces(traceIds: ReadonlyArray<string>): StoredTrace[] {
    const result: StoredTrace[] = [];
    for (const traceId of new Set(traceIds)) {
      const seq = this.seqOf(traceId);
      if (seq === undefined) continue;
      try {
        const { records, limitExceeded } = takeWithinTraceLimit(this.iterateDocuments(traceId, seq));
        result.push(assembleTrace(traceId, parseRecords(records), limitExceeded));
      } catch (error) {
        this.skip('traces', `trace ${traceId}`, error);
      }
    }
    return result;
  }

  /** Rows skipped since the store opened because they could not be used (each also logged once). */
  unreadableRows(): number {
    return this.unreadable.count;
  }

  getTraceSummaries(query: SummaryQuery): SummaryPage {
    checkQuery(query);
    this.refreshSummaries();
    const cursor: PageCursor = query.cursor === undefined
      ? { idEpoch: TOP, seq: TOP, asOf: (this.statements.lastSeq.get() as { seq: number }).seq, approximateTime: this.nowSeconds() }
      : decodeCursor(query, query.cursor);
    const filter = resolveFilter(query);
    if (filter !== undefined) return this.filtered.page(query, cursor, filter);
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
    const summaries: TraceSummary[] = [];
    for (const row of page) {
      const summary = readSummary(row, this.skip);
      if (summary !== undefined) summaries.push(summary);
    }
    return {
      summaries,
      nextCursor: rows.length > query.limit && last !== undefined
        ? encodeCursor(query, { ...cursor, idEpoch: last.id_epoch, seq: last.seq })
        : undefined,
      approximateTime: cursor.approximateTime,
      tracesProcessedCount: page.length,
    };
  }

  close(): void {
    try {
      if (this.db.open && !this.readOnly) this.refreshSummaries();
    } finally {
      this.dirty.clear();
      this.recent.clear();
      if (this.db.open) this.db.close();
    }
  }

  private writable(operation: string): void {
    if (this.readOnly) throw new Error(`${operation}: this trace store was opened read-only`);
  }

  /** Upserts every record; a trace seen for the first time gets its row. Parses nothing. */
  private applyBatch(records: ReadonlyArray<SegmentRecord>): BatchResult {
    const { insertTrace, upsertDocument } = this.statements;
    const traces = new Map<string, { seq: number; created: boolean }>();
    const changed: SegmentRecord[] = [];
    for (const r of records) {
      let trace = traces.get(r.traceId);
      if (trace === undefined) {
        const known = this.recent.get(r.traceId)?.seq ?? this.seqOf(r.traceId);
        const end = r.endTime ?? r.startTime;
        trace = known !== undefined
          ? { seq: known, created: false }
          : { seq: Number(insertTrace.run(r.traceId, traceIdEpoch(r.traceId), r.startTime, end).lastInsertRowid), created: true };
        traces.set(r.traceId, trace);
      }
      const result = upsertDocument.run(
        trace.seq, r.id, r.parentId ?? null, r.type, r.name, r.startTime,
        r.inProgress ? null : (r.endTime ?? null), r.inProgress ? 1 : 0, r.document,
      );
      if (result.changes > 0) changed.push(r);
    }
    return { traces, changed };
  }

  /**
   * Recomputes each trace once from all its documents and writes its row, its annotation rows that
   * changed and its graph contribution, the minute sums by difference, and the refresh mark.
   */
  private summarize(traces: ReadonlyMap<string, number>): Array<[string, RecentTrace]> {
    const sums = this.graph.sums();
    const updates: Array<[string, RecentTrace]> = [];
    for (const [traceId, seq] of traces) {
      const known = this.recent.get(traceId);
      let update: { trace: RecentTrace; before: string | null; contribution: Aggregate } | undefined;
      try {
        update = this.summarizeTrace(traceId, seq, known);
      } catch (error) {
        // Its rows stay as they were (a new trace stays unlisted); the others are summarized.
        this.skip('summary refresh', `trace ${traceId}`, error);
        continue;
      }
      if (update === undefined) continue;
      const { trace, before, contribution } = update;
      if (trace.contribution !== before) {
        let previous: Aggregate | undefined;
        try {
          previous = before === null ? undefined : usable(unpackAggregate(before));
        } catch (error) {
          this.skip('graph minute sums', `trace ${traceId}`, error);
        }
        sums.update(previous, contribution);
      }
      updates.push([traceId, trace]);
    }
    sums.save();
    this.statements.setWatermark.run(this.statements.lastDocSeq.get());
    return updates;
  }

  /**
   * One trace: computed first, then its rows written in a savepoint, so a trace that cannot be
   * summarized or stored changes nothing. The minute sums are the caller's to update.
   */
  private summarizeTrace(traceId: string, seq: number, known: RecentTrace | undefined): { trace: RecentTrace; before: string | null; contribution: Aggregate } | undefined {
    const { updateTrace, deleteAnnotations, deleteAnnotation } = this.statements;
    const documents = known?.documents ?? this.load(traceId, seq);
    if (documents.size === 0) return undefined;
    const parsed: ParsedRecord[] = [];
    for (const { record } of documents.values()) parsed.push({ record, doc: parse(record) });
    const { index: t, summary } = computeTrace(traceId, parsed);
    const contribution = contributionOfTrace(parsed.map(documentOf));
    const problem = unstorable(contribution);
    if (problem !== undefined) throw new RangeError(problem);
    const packed = packAggregate(contribution);
    const before = known?.contribution === undefined ? this.graph.contributionOf(seq) ?? null : known.contribution;

    // Annotations mostly accumulate as documents arrive: touch only the rows that differ.
    const previous = known?.annotations;
    const annotations = new Map<string, AnnotationRow>();
    for (const { key, value } of t.annotations) {
      annotations.set(`${typeof value}\u0000${key}\u0000${String(value)}`, [key, typeof value, typeof value === 'boolean' ? bit(value) : value]);
    }
    this.writeSummary(() => {
      updateTrace.run(
        t.startTime, t.endTime, t.duration, t.responseTime ?? null,
        bit(t.hasFault), bit(t.hasError), bit(t.hasThrottle), bit(t.isPartial),
        t.httpStatus ?? null, t.httpUrl ?? null, t.httpMethod ?? null, t.httpUserAgent ?? null,
        t.httpClientIp ?? null, t.user ?? null, packSummary(summary), seq,
      );
      if (previous === undefined) deleteAnnotations.run(seq);
      else for (const [rowKey, row] of previous) if (!annotations.has(rowKey)) deleteAnnotation.run(seq, ...row);
      const added: AnnotationRow[] = [];
      for (const [rowKey, row] of annotations) if (previous?.has(rowKey) !== true) added.push(row);
      this.insertAnnotations(seq, added);
      if (packed !== before) {
        this.graph.saveContribution(seq, packed);
        // Filter rows come from the contribution: they change only with it.
        this.services?.write(seq, contribution);
      }
    });
    return { trace: { seq, documents, annotations, contribution: packed }, before, contribution };
  }

  private insertAnnotations(seq: number, rows: readonly AnnotationRow[]): void {
    for (let at = 0; at < rows.length; at += ANNOTATIONS_PER_INSERT) {
      const count = Math.min(ANNOTATIONS_PER_INSERT, rows.length - at);
      const values: Array<string | number> = [];
      for (let i = at; i < at + count; i++) values.push(seq, ...rows[i]!);
      let insert = this.annotationInserts[count];
      if (insert === undefined) {
        insert = this.db.prepare(`INSERT OR IGNORE INTO annotations (trace_seq, key, type, value) VALUES ${Array<string>(count).fill('(?, ?, ?, ?)').join(', ')}`);
        this.annotationInserts[count] = insert;
      }
      insert.run(...values);
    }
  }

  /** Retention: the minute sums lose the dropped traces' contributions, then the rows go. */
  private dropBefore(epochSeconds: number): number {
    const { contributionsBefore, countTracesBefore, deleteDocumentsBefore, deleteAnnotationsBefore, deleteGraphBefore, deleteTracesBefore } = this.statements;
    if (countTracesBefore.get(epochSeconds) === 0) return 0;
    const sums = this.graph.sums();
    for (const packed of contributionsBefore.iterate(epochSeconds) as IterableIterator<string>) {
      let contribution: Aggregate;
      try {
        contribution = usable(unpackAggregate(packed));
      } catch (error) {
        this.skip('retention', 'a trace graph contribution', error);
        continue;
      }
      sums.subtract(contribution);
    }
    sums.save();
    deleteDocumentsBefore.run(epochSeconds);
    deleteAnnotationsBefore.run(epochSeconds);
    deleteGraphBefore.run(epochSeconds);
    const deleted = deleteTracesBefore.run(epochSeconds).changes;
    // Everything left is summarized; document numbers freed at the top may be given out again.
    this.statements.setWatermark.run(this.statements.lastDocSeq.get());
    return deleted;
  }

  /** On open: recompute every trace with a document the last refresh did not cover (a kill came between). */
  private recover(): void {
    const watermark = (this.statements.selectWatermark.get() as number | undefined) ?? 0;
    if (watermark >= (this.statements.lastDocSeq.get() as number)) return;
    for (const { trace_id: traceId, seq } of this.statements.tracesAbove.iterate(watermark) as IterableIterator<{ trace_id: string; seq: number }>) {
      this.dirty.mark(traceId, seq);
    }
    if (this.dirty.size > 0) this.refreshSummaries();
    else this.statements.setWatermark.run(this.statements.lastDocSeq.get());
  }

  /** A trace's committed documents, read back from the file. */
  private load(traceId: string, seq: number): Map<string, CachedDocument> {
    return new Map(this.documentsOf(traceId, seq).map((record) => [record.id, { record }]));
  }

  private seqOf(traceId: string): number | undefined {
    return (this.statements.selectSeq.get(traceId) as { seq: number } | undefined)?.seq;
  }

  private documentsOf(traceId: string, seq: number): SegmentRecord[] {
    return [...this.iterateDocuments(traceId, seq)];
  }

  /** Row by row, so that a reader can stop early (a trace's size quota). */
  private *iterateDocuments(traceId: string, seq: number): Generator<SegmentRecord> {
    for (const row of this.statements.selectDocuments.iterate(seq) as IterableIterator<DocumentRow>) {
      yield {
        traceId,
        id: row.id,
        parentId: row.parent_id ?? undefined,
        type: row.type,
        name: row.name,
        startTime: row.start_time,
        endTime: row.end_time ?? undefined,
        inProgress: row.in_progress === 1,
        document: row.document,
      };
    }
  }
}

/** One page of summaries, newest first, after the cursor and within the snapshot (see query.ts). */
function pageQuery(matched: string, candidates: string): string {
  return `
    SELECT seq, id_epoch, revision, summary, matched FROM (
      SELECT t.seq, t.id_epoch, t.revision, t.summary, ${matched} AS matched
      FROM traces t
      WHERE ${candidates}
        AND t.revision > 0
        AND t.seq <= @asOf
        AND (t.id_epoch < @cursorEpoch OR (t.id_epoch = @cursorEpoch AND t.seq < @cursorSeq))
    )
    WHERE matched IS NOT NULL
    ORDER BY id_epoch DESC, seq DESC
    LIMIT @limit`;
}

/** A stored contribution as read back, or throws why it cannot be summed (see `unstorable`). */
function usable(aggregate: Aggregate): Aggregate {
  const problem = unstorable(aggregate);
  if (problem !== undefined) throw new RangeError(problem);
  return aggregate;
}

function bit(flag: boolean): 0 | 1 {
  return flag ? 1 : 0;
}

function parse(record: SegmentRecord): SegmentDocument {
  return JSON.parse(record.document) as SegmentDocument;
}

function documentOf(parsed: ParsedRecord): SegmentDocument {
  return parsed.doc;
}

interface BatchResult {
  /** Each trace of the batch with its row number, and whether this batch created the row. */
  readonly traces: ReadonlyMap<string, { readonly seq: number; readonly created: boolean }>;
  /** The records that changed a document (the upsert rule let them in), in order. */
  readonly changed: readonly SegmentRecord[];
}
