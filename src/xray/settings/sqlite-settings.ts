/**
 * Settings in their own SQLite file next to the trace store (better-sqlite3 stays behind
 * `SettingsStore`). Changes are rare and small: each is synced to disk before it returns.
 */
import type Database from 'better-sqlite3';
import { openVersionedDatabase } from '../../common/sqlite/versioned-database.ts';
import type { SettingsStore } from './types.ts';

const SCHEMA = `
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;

/** The file's migrations: version `i + 1` is reached by `MIGRATIONS[i]`. */
const MIGRATIONS = [SCHEMA];

export const SETTINGS_SCHEMA_VERSION = MIGRATIONS.length;

type Statement = Database.Statement<unknown[], unknown>;

export class SqliteSettingsStore implements SettingsStore {
  private readonly db: Database.Database;
  private readonly statements: { get: Statement; put: Statement; delete: Statement; list: Statement };

  constructor(options: { file: string }) {
    this.db = openVersionedDatabase(options.file, { what: 'settings', migrations: MIGRATIONS });
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
