/**
 * Groups in their own SQLite file (better-sqlite3 stays behind `GroupStorage`), next to the trace
 * store in the data folder. Group changes are rare and small: every change is a transaction synced
 * to disk before it returns (synchronous=FULL), so a group survives a crash as well as a restart.
 */
import type Database from 'better-sqlite3';
import { openVersionedDatabase } from '../../common/sqlite/versioned-database.ts';
import { DuplicateGroupError, type GroupRecord, type GroupStorage } from './types.ts';

const SCHEMA = `
CREATE TABLE groups (
  name                  TEXT PRIMARY KEY,
  arn                   TEXT NOT NULL UNIQUE,
  filter_expression     TEXT,
  insights_enabled      INTEGER NOT NULL CHECK (insights_enabled IN (0, 1)),
  notifications_enabled INTEGER NOT NULL CHECK (notifications_enabled IN (0, 1))
) STRICT;
`;

/** The file's migrations: version `i + 1` is reached by `MIGRATIONS[i]`. */
const MIGRATIONS = [SCHEMA];

export const GROUPS_SCHEMA_VERSION = MIGRATIONS.length;

interface Row {
  name: string;
  arn: string;
  filter_expression: string | null;
  insights_enabled: 0 | 1;
  notifications_enabled: 0 | 1;
}

type Statement = Database.Statement<unknown[], unknown>;

export class SqliteGroupStorage implements GroupStorage {
  private readonly db: Database.Database;
  private readonly statements: { list: Statement; get: Statement; insert: Statement; replace: Statement; delete: Statement };

  constructor(options: { file: string }) {
    this.db = openVersionedDatabase(options.file, { what: 'groups', migrations: MIGRATIONS });
    const columns = 'name, arn, filter_expression, insights_enabled, notifications_enabled';
    this.statements = {
      list: this.db.prepare(`SELECT ${columns} FROM groups ORDER BY name`),
      get: this.db.prepare(`SELECT ${columns} FROM groups WHERE name = ?`),
      insert: this.db.prepare(`INSERT INTO groups (${columns}) VALUES (?, ?, ?, ?, ?)`),
      replace: this.db.prepare(`
        UPDATE groups SET arn = ?, filter_expression = ?, insights_enabled = ?, notifications_enabled = ? WHERE name = ?`),
      delete: this.db.prepare('DELETE FROM groups WHERE name = ?'),
    };
  }

  list(): GroupRecord[] {
    return (this.statements.list.all() as Row[]).map(toRecord);
  }

  get(name: string): GroupRecord | undefined {
    const row = this.statements.get.get(name) as Row | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  insert(group: GroupRecord): void {
    try {
      this.statements.insert.run(group.name, group.arn, group.filterExpression ?? null, bit(group.insightsEnabled), bit(group.notificationsEnabled));
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT') === true) {
        throw new DuplicateGroupError(`a group named ${JSON.stringify(group.name)} (or with ARN ${group.arn}) already exists`);
      }
      throw error;
    }
  }

  replace(group: GroupRecord): boolean {
    const { changes } = this.statements.replace.run(
      group.arn, group.filterExpression ?? null, bit(group.insightsEnabled), bit(group.notificationsEnabled), group.name,
    );
    return changes > 0;
  }

  delete(name: string): boolean {
    return this.statements.delete.run(name).changes > 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toRecord(row: Row): GroupRecord {
  return {
    name: row.name,
    arn: row.arn,
    filterExpression: row.filter_expression ?? undefined,
    insightsEnabled: row.insights_enabled === 1,
    notificationsEnabled: row.notifications_enabled === 1,
  };
}

function bit(flag: boolean): 0 | 1 {
  return flag ? 1 : 0;
}
