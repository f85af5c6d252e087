/**
 * The `trace_services` table: one row per service map node of a trace (trace-nodes.ts), with the
 * node's outcomes and longest response time, so `service("x") { fault }` and the trace-level
 * `inferred` run as SQL. The store writes a trace's rows in the same transaction as its summary
 * and annotations; a trigger removes them with the trace row.
 *
 * The table lives beside the trace store's schema rather than in it: a store file made before
 * the table existed gets it on open, filled from the stored documents.
 */
import type Database from 'better-sqlite3';
import type { GraphDocument } from '../graph/input.ts';
import { traceNodes } from './trace-nodes.ts';

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
  static open(db: Database.Database): TraceServiceRows {
    const exists = (): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'trace_services'").get() !== undefined;
    if (exists()) return new TraceServiceRows(db);
    return db.transaction(() => {
      // Another connection (the writer thread's, say) may have made it meanwhile.
      if (exists()) return new TraceServiceRows(db);
      db.exec(TABLE);
      const rows = new TraceServiceRows(db);
      const documents = db.prepare('SELECT document FROM documents WHERE trace_seq = ?').pluck();
      for (const seq of db.prepare('SELECT seq FROM traces').pluck().all() as number[]) {
        rows.write(seq, (documents.all(seq) as string[]).map((text) => JSON.parse(text) as GraphDocument));
      }
      return rows;
    }).immediate();
  }

  /** Replaces the rows of trace `seq` by those of its documents. */
  write(seq: number, documents: readonly GraphDocument[]): void {
    this.remove.run(seq);
    for (const s of traceNodes(documents).services) {
      this.insert.run(seq, s.name, s.type, bit(s.root), bit(s.inferred), bit(s.ok), bit(s.error), bit(s.throttle), bit(s.fault), s.responseTime ?? null);
    }
  }
}

function bit(flag: boolean): 0 | 1 {
  return flag ? 1 : 0;
}
