/**
 * The `trace_services` table: one row per service map node of a trace, with the node's outcomes
 * and longest response time, so `service("x") { fault }` and the trace-level `inferred` run as
 * SQL. The rows come from the trace's graph contribution, which the store computes anyway when it
 * summarizes a trace (walking the documents a second time cost the write path 40% of its CPU):
 * the same nodes as trace-nodes.ts, without the client, but the response time is the histogram's
 * largest bucket (graph/histogram.ts: two significant digits), so filter-sql.ts treats
 * `responsetime` inside a service block as a bound and leaves the exact test to memory. The store
 * writes a trace's rows in the same transaction as its summary and annotations; a trigger removes
 * them with the trace row.
 *
 * The table lives beside the trace store's schema rather than in it: a store file made before
 * the table existed gets it on open, filled from the stored documents.
 */
import type Database from 'better-sqlite3';
import type { Aggregate } from '../graph/aggregate.ts';
import { contributionOfTrace } from '../graph/contribution.ts';
import type { GraphDocument } from '../model/graph-document.ts';
import type { SkipRow } from './sqlite-graph.ts';

const TABLE = `
CREATE TABLE trace_services (
  trace_seq     INTEGER NOT NULL,
  name          TEXT NOT NULL,
  type          TEXT NOT NULL,
  root          INTEGER NOT NULL,
  inferred      INTEGER NOT NULL,
  ok            INTEGER NOT NULL,
  error         INTEGER NOT NULL,
  throttle      INTEGER NOT NULL,
  fault         INTEGER NOT NULL,
  response_time REAL,
  PRIMARY KEY (trace_seq, name, type)
) STRICT, WITHOUT ROWID;
CREATE INDEX trace_services_by_name ON trace_services (name, type);
CREATE TRIGGER trace_services_follow_traces AFTER DELETE ON traces
BEGIN
  DELETE FROM trace_services WHERE trace_seq = old.seq;
END;
`;

type Statement = Database.Statement<unknown[], unknown>;

export class TraceServiceRows {
  private readonly remove: Statement;
  private readonly insert: Statement;

  private constructor(db: Database.Database) {
    this.remove = db.prepare('DELETE FROM trace_services WHERE trace_seq = ?');
    this.insert = db.prepare(`
      INSERT INTO trace_services (trace_seq, name, type, root, inferred, ok, error, throttle, fault, response_time)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** The table's writer; creates the table if the file has none, and fills it for the traces already there. */
  static open(db: Database.Database, skip: SkipRow = () => undefined): TraceServiceRows {
    const exists = (): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'trace_services'").get() !== undefined;
    if (exists()) return new TraceServiceRows(db);
    return db.transaction(() => {
      // Another connection (the writer thread's, say) may have made it meanwhile.
      if (exists()) return new TraceServiceRows(db);
      db.exec(TABLE);
      const rows = new TraceServiceRows(db);
      const documents = db.prepare('SELECT document FROM documents WHERE trace_seq = ?').pluck();
      for (const seq of db.prepare('SELECT seq FROM traces').pluck().all() as number[]) {
        let contribution: Aggregate;
        try {
          contribution = contributionOfTrace((documents.all(seq) as string[]).map((text) => JSON.parse(text) as GraphDocument));
        } catch (error) {
          // Left without rows: filters on services do not match it, and the store still opens.
          skip('service rows', `trace row ${seq}`, error);
          continue;
        }
        rows.write(seq, contribution);
      }
      return rows;
    }).immediate();
  }

  /** Replaces the rows of trace `seq` by the nodes of its graph contribution. */
  write(seq: number, contribution: Aggregate): void {
    this.remove.run(seq);
    for (const n of nodesOf(contribution)) {
      this.insert.run(seq, n.name, n.type, bit(n.root), bit(!n.real), bit(n.ok), bit(n.error), bit(n.throttle), bit(n.fault), n.responseTime ?? null);
    }
  }
}

interface NodeRow {
  readonly name: string;
  readonly type: string;
  root: boolean;
  real: boolean;
  ok: boolean;
  error: boolean;
  throttle: boolean;
  fault: boolean;
  responseTime: number | undefined;
}

/** One row per (name, type) over the contribution's minutes and accounts; no client node. */
function nodesOf(contribution: Aggregate): Iterable<NodeRow> {
  const rows = new Map<string, NodeRow>();
  for (const minute of contribution.minutes.values()) {
    for (const cell of minute.nodes.values()) {
      const type = cell.node.type ?? '';
      if (type === 'client' && cell.real === 0) continue;
      const key = `${cell.node.name}\u0000${type}`;
      let row = rows.get(key);
      if (row === undefined) {
        row = { name: cell.node.name, type, root: false, real: false, ok: false, error: false, throttle: false, fault: false, responseTime: undefined };
        rows.set(key, row);
      }
      row.root ||= cell.roots > 0;
      row.real ||= cell.real > 0;
      row.ok ||= cell.ok > 0;
      // A throttle is also an error, as in ErrorStatistics.
      row.error ||= cell.errorOther > 0 || cell.throttle > 0;
      row.throttle ||= cell.throttle > 0;
      row.fault ||= cell.fault > 0;
      for (const bucket of cell.responseTime.keys()) if (row.responseTime === undefined || bucket > row.responseTime) row.responseTime = bucket;
    }
  }
  return rows.values();
}

function bit(flag: boolean): 0 | 1 {
  return flag ? 1 : 0;
}
