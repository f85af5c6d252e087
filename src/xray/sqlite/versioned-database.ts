/**
 * Opens the small SQLite files of the data folder (settings, groups, sampling rules): their changes
 * are rare and small, so each is synced to disk before it returns (WAL, synchronous=FULL) and
 * survives a crash as well as a restart. The schema version is `PRAGMA user_version`, the number of
 * migrations applied: a new file gets them all, an older one the rest, a newer one is refused.
 * (The trace store opens its file its own way: bigger pages, synchronous=NORMAL, a writer thread.)
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export interface VersionedSchema {
  /** What the file holds, for the error that refuses it: `groups`, `sampling rules`. */
  readonly what: string;
  /** The SQL that takes the file from version `i` to `i + 1`; the current version is their count. */
  readonly migrations: readonly string[];
}

/** The open database, its folder created if need be; throws (closing it) on another schema version. */
export function openVersionedDatabase(file: string, schema: VersionedSchema): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    migrate(db, file, schema);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function migrate(db: Database.Database, file: string, { what, migrations }: VersionedSchema): void {
  const current = migrations.length;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === current) return;
  if (version < 0 || version > current) {
    throw new Error(`${file}: ${what} schema version ${version} is not the supported version ${current}; move the file away to start anew`);
  }
  db.transaction(() => {
    for (const sql of migrations.slice(version)) db.exec(sql);
    db.pragma(`user_version = ${current}`);
  }).immediate();
}
