/**
 * Settings in their own SQLite file next to the trace store (better-sqlite3 stays behind
 * `SettingsStore`). Changes are rare and small: each is synced to disk before it returns.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SettingsStore } from './types.ts';

export const SETTINGS_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;

type Statement = Database.Statement<unknown[], unknown>;

export class SqliteSettingsStore implements SettingsStore {
  private readonly db: Database.Database;
  private readonly statements: { get: Statement; put: Statement; delete: Statement; list: Statement };

  constructor(options: { file: string }) {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      migrate(this.db, options.file);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.statements = {
      get: this.db.prepare('SELECT value FROM settings WHERE key = ?'),
      put: this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      delete: this.db.prepare('DELETE FROM settings WHERE key = ?'),
      // Keys are compared by prefix with substr, so % and _ in a key mean nothing special.
      list: this.db.prepare('SELECT key, value FROM settings WHERE substr(key, 1, length(@prefix)) = @prefix ORDER BY key'),
    };
  }

  get(key: string): unknown {
    const row = this.statements.get.get(key) as { value: string } | undefined;
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  put(key: string, value: unknown): void {
    this.statements.put.run(key, JSON.stringify(value));
  }

  delete(key: string): boolean {
    return this.statements.delete.run(key).changes > 0;
  }

  list(prefix: string): Array<{ key: string; value: unknown }> {
    return (this.statements.list.all({ prefix }) as Array<{ key: string; value: string }>).map((row) => ({ key: row.key, value: JSON.parse(row.value) }));
  }

  transaction<T>(action: () => T): T {
    return this.db.transaction(action).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SETTINGS_SCHEMA_VERSION) return;
  if (version !== 0) {
    throw new Error(`${file}: settings schema version ${version} is not the supported version ${SETTINGS_SCHEMA_VERSION}; move the file away to start anew`);
  }
  db.transaction(() => {
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SETTINGS_SCHEMA_VERSION}`);
  }).immediate();
}
