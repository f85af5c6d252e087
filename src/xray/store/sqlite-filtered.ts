/**
 * GetTraceSummaries with a filter expression, for the SQLite store. The compiled filter
 * (filter-sql.ts) runs inside the page query. When a condition of the filter can list its traces
 * through an index (an annotation value, a named service) and that list is short (at most
 * DRIVER_LIMIT traces in the whole store), the page starts from the list instead of scanning the
 * time range newest first: a rare value is found at once, not after reading the whole hour. When part of the filter cannot be said in SQL (users, edges, root causes, ...), the rows
 * SQL lets through are checked in memory against that residual.
 *
 * A page's work is bounded whatever the store holds, since it runs on the thread that serves every
 * listener of the process: a scan looks at most DEFAULT_SCAN_WORK / terms rows of the time range
 * (terms: the filter's tests, which each row may cost), a page driven by a list covers at most
 * MAX_SCAN_ROWS rows of an Event or Service range (its count reads each trace's documents), the
 * residual checks at most DEFAULT_RESIDUAL_WORK / terms rows in memory (and `residualBudget`),
 * reading at most `documentBytes` of their documents. A page
 * that stops at a bound may hold fewer summaries than the limit, even none, with a cursor that
 * goes on from the last trace it looked at (GetTraceSummaries' NextToken, as AWS may answer).
 *
 * TracesProcessedCount is the number of traces in the time range between the page's cursor and
 * where the page stopped, matching or not, so the pages of one query count each trace once.
 */
import type Database from 'better-sqlite3';
import type { GraphDocument } from '../model/graph-document.ts';
import { evaluate, type Expression } from '../query/index.ts';
import { unpackSummary } from '../traces/packed-summary.ts';
import { finishSummary, type TraceSummary } from '../traces/summary.ts';
import { compileFilter, filterTerms } from './filter-sql.ts';
import type { SkipRow } from './sqlite-graph.ts';
import { readSummary } from './summary-rows.ts';
import { encodeCursor, type PageCursor } from './query.ts';
import { traceView } from './trace-view.ts';
import type { SummaryPage, SummaryQuery, TimeRangeType } from './types.ts';

/**
 * How each TimeRangeType picks traces, as the store's unfiltered page query says it (sqlite-store.ts;
 * the conformance suite holds both to traces/time-range.ts): `matched` is the matched event time
 * (NULL when outside the range), `candidates` a cheaper test that narrows the rows first. Rows not
 * summarized yet (revision 0) are left out, as there.
 */
const TIME_RANGES: Readonly<Record<TimeRangeType, { readonly matched: string; readonly candidates: string }>> = {
  TraceId: { matched: 't.start_time', candidates: 't.id_epoch >= @floorStart AND t.id_epoch <= @end' },
  Event: {
    matched: `(
      SELECT max(CASE WHEN d.end_time BETWEEN @start AND @end THEN d.end_time
                      WHEN d.start_time BETWEEN @start AND @end THEN d.start_time END)
      FROM documents d WHERE d.trace_seq = t.seq)`,
    candidates: 't.end_time >= @start AND t.start_time <= @end',
  },
  Service: {
    matched: `(
      SELECT max(d.end_time) FROM documents d
      WHERE d.trace_seq = t.seq AND d.type = 'segment' AND d.end_time BETWEEN @start AND @end)`,
    candidates: 't.end_time >= @start AND t.start_time <= @end',
  },
};

/** Rows checked in memory a page, at most: each may mean reading and walking the trace's documents. */
export const DEFAULT_RESIDUAL_BUDGET = 2000;
/**
 * Rows of the time range a scanning page looks at, times the filter's terms, at most; and the
 * bounds of that number of rows. Measured (bench/filter.ts): a thousand-term filter costs about
 * 100 us a row in SQL, a one-term filter about 1 us, so a page stays near 50 ms either way.
 */
export const DEFAULT_SCAN_WORK = 500_000;
const MIN_SCAN_ROWS = 500;
/** Also the most rows a page driven by a list covers in an Event or Service range, whose count reads each trace's documents (about 3 us a row). */
const MAX_SCAN_ROWS = 20_000;
/** Rows checked in memory a page times the residual's terms, at most (as DEFAULT_SCAN_WORK). */
export const DEFAULT_RESIDUAL_WORK = 200_000;
const MIN_RESIDUAL_ROWS = 100;
/** Document text read for the residual a page, at most (past the first trace): a trace may hold thousands. */
export const DEFAULT_DOCUMENT_BYTES = 8 * 1024 * 1024;
/** An index list this short drives the page; a longer one is left to the scan, which then finds matches early. */
export const DRIVER_LIMIT = 2000;
/** Prepared page queries kept, by SQL text (filters of the same shape share one). */
const STATEMENT_CACHE_SIZE = 64;

interface Row {
  seq: number;
  id_epoch: number;
  revision: number;
  summary: string;
  matched: number;
}

type Statement = Database.Statement<unknown[], unknown>;

export interface FilteredSummariesOptions {
  readonly residualBudget?: number;
  readonly driverLimit?: number;
  /**
   * Rows of the time range a page looks at. By default: scanning, DEFAULT_SCAN_WORK / the filter's
   * terms, clamped; driven by a list, MAX_SCAN_ROWS for Event and Service ranges, no bound for TraceId.
   */
  readonly scanRows?: number;
  readonly documentBytes?: number;
  readonly skip?: SkipRow;
}

/** Rows of the time range a scanning page looks at: fewer the more tests each costs. */
function scanRowsFor(filter: Expression): number {
  return Math.min(MAX_SCAN_ROWS, Math.max(MIN_SCAN_ROWS, Math.floor(DEFAULT_SCAN_WORK / filterTerms(filter))));
}

export class FilteredSummaries {
  private readonly statements = new Map<string, Statement>();
  private readonly documents: Statement;

  private readonly residualBudget: number;
  private readonly driverLimit: number;
  private readonly scanRows: number | undefined;
  private readonly documentBytes: number;

  private readonly skip: SkipRow;

  constructor(private readonly db: Database.Database, options: FilteredSummariesOptions = {}) {
    this.skip = options.skip ?? (() => undefined);
    this.residualBudget = options.residualBudget ?? DEFAULT_RESIDUAL_BUDGET;
    this.driverLimit = options.driverLimit ?? DRIVER_LIMIT;
    this.scanRows = options.scanRows;
    this.documentBytes = options.documentBytes ?? DEFAULT_DOCUMENT_BYTES;
    this.documents = db.prepare('SELECT document FROM documents WHERE trace_seq = ?').pluck();
  }

  /** One page of `query` from `cursor`, with `filter` (its group tests already resolved). */
  page(query: SummaryQuery, cursor: PageCursor, filter: Expression): SummaryPage {
    const { where, params, residual, drivers } = compileFilter(filter);
    const driven = this.shortestDriver(drivers, params);
    const range = TIME_RANGES[query.timeRangeType];
    const position = {
      start: query.startTime,
      end: query.endTime,
      floorStart: Math.floor(query.startTime),
      asOf: cursor.asOf,
      cursorEpoch: cursor.idEpoch,
      cursorSeq: cursor.seq,
    };
    // The last row this page may look at. A list is short, but the page's TracesProcessedCount
    // covers the range up to where it stops: counted on the id index alone for TraceId (no bound:
    // about 80 ns a row), with a subquery a row for the others.
    const rows = this.scanRows ?? (driven === undefined ? scanRowsFor(filter) : query.timeRangeType === 'TraceId' ? undefined : MAX_SCAN_ROWS);
    const bound = rows === undefined ? undefined : this.scanBound(range.candidates, position, rows);
    const bind = {
      ...params,
      ...position,
      boundEpoch: bound?.id_epoch ?? -1,
      boundSeq: bound?.seq ?? -1,
      ...(driven === undefined ? {} : { driven: JSON.stringify(driven) }),
    };
    // CROSS JOIN keeps the list as the outer loop: SQLite then reads only the listed rows.
    const from = driven === undefined ? 'traces t' : 'json_each(@driven) j CROSS JOIN traces t ON t.seq = j.value';
    const sql = `
      SELECT seq, id_epoch, revision, summary, matched FROM (
        SELECT t.seq, t.id_epoch, t.revision, t.summary, ${range.matched} AS matched
        FROM ${from}
        WHERE ${range.candidates}
          AND t.revision > 0
          AND t.seq <= @asOf
          AND (t.id_epoch < @cursorEpoch OR (t.id_epoch = @cursorEpoch AND t.seq < @cursorSeq))
          AND (t.id_epoch > @boundEpoch OR (t.id_epoch = @boundEpoch AND t.seq >= @boundSeq))
          AND ${where}
      )
      WHERE matched IS NOT NULL
      ORDER BY id_epoch DESC, seq DESC`;

    const summaries: TraceSummary[] = [];
    /** Where the page stopped: the last row it took or looked at; undefined when it read to the end. */
    let stop: Pick<Row, 'id_epoch' | 'seq'> | undefined;
    if (residual === undefined) {
      const rows = this.statement(`${sql} LIMIT @limit`).all({ ...bind, limit: query.limit + 1 }) as Row[];
      for (const row of rows.slice(0, query.limit)) {
        const summary = readSummary(row, this.skip);
        if (summary !== undefined) summaries.push(summary);
      }
      if (rows.length > query.limit) stop = rows[query.limit - 1];
    } else {
      // Each row costs about the residual's terms in memory.
      const budget = Math.min(this.residualBudget, Math.max(MIN_RESIDUAL_ROWS, Math.floor(DEFAULT_RESIDUAL_WORK / filterTerms(residual))));
      const read = { bytes: 0 };
      let checked = 0;
      let last: Row | undefined;
      for (const row of this.statement(sql).iterate(bind) as IterableIterator<Row>) {
        // One more row than the page takes or the budgets allow: there is more to read.
        if (summaries.length === query.limit || checked === budget || read.bytes >= this.documentBytes) {
          stop = last;
          break;
        }
        checked++;
        last = row;
        try {
          const stored = unpackSummary(row.summary);
          const view = traceView({ summary: stored, documents: () => this.documentsOf(row.seq, read) });
          if (evaluate(residual, view)) summaries.push(finishSummary(stored, row.revision, row.matched));
        } catch (error) {
          this.skip('filtered summaries', `trace row ${row.seq}`, error);
        }
      }
    }
    // Read to the bound without filling the page: the next page goes on after the bound.
    stop ??= bound;

    const between = `${range.candidates}
      AND t.seq <= @asOf
      AND (t.id_epoch < @cursorEpoch OR (t.id_epoch = @cursorEpoch AND t.seq < @cursorSeq))
      AND (t.id_epoch > @stopEpoch OR (t.id_epoch = @stopEpoch AND t.seq >= @stopSeq))`;
    // TraceId: every row of the id range is in the range, and the (id_epoch, seq) index alone counts
    // them. Rows not summarized yet are counted too; reads refresh first, so there are none.
    const processed = this.statement(query.timeRangeType === 'TraceId'
      ? `SELECT count(*) FROM traces t WHERE ${between}`
      : `SELECT count(*) FROM (SELECT ${range.matched} AS matched FROM traces t WHERE ${between} AND t.revision > 0) WHERE matched IS NOT NULL`,
    ).pluck().get({
      start: bind.start, end: bind.end, floorStart: bind.floorStart, asOf: bind.asOf, cursorEpoch: bind.cursorEpoch, cursorSeq: bind.cursorSeq,
      stopEpoch: stop?.id_epoch ?? -1,
      stopSeq: stop?.seq ?? -1,
    }) as number;

    return {
      summaries,
      nextCursor: stop === undefined ? undefined : encodeCursor(query, { ...cursor, idEpoch: stop.id_epoch, seq: stop.seq }),
      approximateTime: cursor.approximateTime,
      tracesProcessedCount: processed,
    };
  }

  /**
   * The last row a page may look at: the `rows`-th row of the time range after the
   * cursor, newest first, counted on the index; undefined when fewer rows are left.
   */
  private scanBound(candidates: string, position: Readonly<Record<string, number>>, rows: number): Pick<Row, 'id_epoch' | 'seq'> | undefined {
    return this.statement(`
      SELECT t.id_epoch, t.seq FROM traces t
      WHERE ${candidates}
        AND t.seq <= @asOf
        AND (t.id_epoch < @cursorEpoch OR (t.id_epoch = @cursorEpoch AND t.seq < @cursorSeq))
      ORDER BY t.id_epoch DESC, t.seq DESC
      LIMIT 1 OFFSET @offset`).get({ ...position, offset: rows - 1 }) as Pick<Row, 'id_epoch' | 'seq'> | undefined;
  }

  /** The traces of the shortest driver list, if one has at most `driverLimit`; a probe stops after that many. */
  private shortestDriver(drivers: readonly string[], params: Readonly<Record<string, string | number>>): number[] | undefined {
    let shortest: number[] | undefined;
    for (const driver of drivers) {
      const seqs = this.statement(`SELECT DISTINCT trace_seq FROM (${driver}) LIMIT ${this.driverLimit + 1}`).pluck().all(params) as number[];
      if (seqs.length <= this.driverLimit && (shortest === undefined || seqs.length < shortest.length)) shortest = seqs;
    }
    return shortest;
  }

  /** The trace's documents, their text's length added to `read.bytes`. */
  private documentsOf(seq: number, read: { bytes: number }): GraphDocument[] {
    return (this.documents.all(seq) as string[]).map((text) => {
      read.bytes += text.length;
      return JSON.parse(text) as GraphDocument;
    });
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value as string);
      statement = this.db.prepare(sql);
    } else {
      this.statements.delete(sql);
    }
    // Re-inserted on use, so the first key is the least recently used.
    this.statements.set(sql, statement);
    return statement;
  }
}
