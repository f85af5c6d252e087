/**
 * Opens a SQLite file of the data folder in WAL mode and brings its schema to the current version.
 * The version is `PRAGMA user_version`, the number of migrations applied: a new file gets them all,
 * an older one the rest, a newer one is refused. Used by X-Ray's stores (settings, groups,
 * sampling rules, traces) and the local cloud's SQS queues; each picks its own sync level.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** Takes the file from one version to the next: SQL, or a function for what SQL alone cannot (a backfill). */
export type Migration = string | ((db: Database.Database) => void);

export interface VersionedSchema {
  /** What the file holds, for the error that refuses it: `groups`, `trace store`. */
  readonly what: string;
  /** Migration `i` takes the file from version `i` to `i + 1`; the current version is their count. */
  readonly migrations: readonly Migration[];
  /**
   * `FULL` syncs every commit to disk (small, rare changes that must survive a power cut);
   * `NORMAL` leaves the sync to checkpoints (a killed process still loses nothing). @default 'FULL'
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** Page size in bytes of a new file (an existing one keeps its own). @default SQLite's, 4096 */
  readonly pageSizeBytes?: number;
}

/** The open database, its folder created if need be; throws (closing it) on another schema version. */
export function openVersionedDatabase(file: string, schema: VersionedSchema): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // Before WAL: a WAL file's page size can no longer change.
    if (schema.pageSizeBytes !== undefined) db.pragma(`page_size = ${schema.pageSizeBytes}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${schema.synchronous ?? 'FULL'}`);
    migrate(db, file, schema);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function migrate(db: Database.Database, file: string, { what, migrations }: VersionedSchema): void {
  const current = migrations.length;
  const version = (): number => {
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found < 0 || found > current) {
      throw new Error(`${file}: ${what} schema version ${found} is not the supported version ${current}; move the file away to start anew`);
    }
    return found;
  };
  if (version() === current) return;
  db.transaction(() => {
    // Read again under the write lock: another connection (the trace writer thread's, say) may
    // have migrated the file meanwhile.
    const found = version();
    for (const migration of migrations.slice(found)) {
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
    }
    if (found !== current) db.pragma(`user_version = ${current}`);
  }).immediate();
}
