/**
 * Service level objectives (a local-only feature, in the spirit of Application Signals' SLOs): kept
 * in their own SQLite file (`slos.db`) next to the trace store, or in memory, across restarts.
 */
import type Database from 'better-sqlite3';
import { openVersionedDatabase } from '../../common/sqlite/versioned-database.ts';

export type SliKind = 'availability' | 'latency';

export interface ServiceLevelObjective {
  readonly name: string;
  /** The service-graph node it measures: (name, type) as the service map shows it. */
  readonly serviceName: string;
  readonly serviceType: string | undefined;
  readonly kind: SliKind;
  /** Latency objectives: a request is good when it answers within this many milliseconds. */
  readonly latencyThresholdMs: number | undefined;
  /** The share of good requests aimed for, e.g. 99.9. */
  readonly goalPercent: number;
  /** The rolling window, in days, the goal is measured over. */
  readonly windowDays: number;
  readonly createdAtSeconds: number;
}

const MIGRATIONS = [`
CREATE TABLE slos (
  name       TEXT PRIMARY KEY,
  definition TEXT NOT NULL
) STRICT;
`];

export interface SloStorage {
  list(): ServiceLevelObjective[];
  /** False when an objective of that name exists. */
  create(slo: ServiceLevelObjective): boolean;
  /** False when there was none of that name. */
  delete(name: string): boolean;
  close(): void;
}

export class SqliteSloStorage implements SloStorage {
  private readonly db: Database.Database;

  /** `:memory:` keeps them for the process only. */
  constructor(file: string) {
    this.db = openVersionedDatabase(file, { what: 'service level objectives', migrations: MIGRATIONS });
  }

  list(): ServiceLevelObjective[] {
    const rows = this.db.prepare('SELECT definition FROM slos ORDER BY name').all() as { definition: string }[];
    return rows.map((row) => JSON.parse(row.definition) as ServiceLevelObjective);
  }

  create(slo: ServiceLevelObjective): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO slos (name, definition) VALUES (?, ?)').run(slo.name, JSON.stringify(slo)).changes === 1;
  }

  delete(name: string): boolean {
    return this.db.prepare('DELETE FROM slos WHERE name = ?').run(name).changes === 1;
  }

  close(): void {
    this.db.close();
  }
}
