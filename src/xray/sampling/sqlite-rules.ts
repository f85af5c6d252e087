/**
 * Sampling rules in their own SQLite file next to groups.db in the data folder, kept the way groups
 * are (better-sqlite3 stays behind `SamplingRuleStorage`): rule changes are rare and small, so every
 * change is a transaction synced to disk before it returns (synchronous=FULL), and a rule survives a
 * crash as well as a restart.
 */
import type Database from 'better-sqlite3';
import { openVersionedDatabase } from '../../common/sqlite/versioned-database.ts';
import { DuplicateSamplingRuleError, type SamplingRateBoost, type SamplingRuleRecord, type SamplingRuleStorage } from './types.ts';

const SCHEMA = `
CREATE TABLE sampling_rules (
  name           TEXT PRIMARY KEY,
  arn            TEXT NOT NULL UNIQUE,
  resource_arn   TEXT NOT NULL,
  priority       INTEGER NOT NULL,
  fixed_rate     REAL NOT NULL,
  reservoir_size INTEGER NOT NULL,
  service_name   TEXT NOT NULL,
  service_type   TEXT NOT NULL,
  host           TEXT NOT NULL,
  http_method    TEXT NOT NULL,
  url_path       TEXT NOT NULL,
  version        INTEGER NOT NULL,
  attributes     TEXT NOT NULL,
  created_at     REAL NOT NULL,
  modified_at    REAL NOT NULL
) STRICT;
`;

/** SamplingRateBoost, both columns null when a rule has none (every rule of a version 1 file). */
const ADD_BOOST = `
ALTER TABLE sampling_rules ADD COLUMN boost_max_rate REAL;
ALTER TABLE sampling_rules ADD COLUMN boost_cooldown_window_minutes INTEGER;
`;

/** The file's migrations: version `i + 1` is reached by `MIGRATIONS[i]`. */
const MIGRATIONS = [SCHEMA, ADD_BOOST];

export const SAMPLING_RULES_SCHEMA_VERSION = MIGRATIONS.length;

interface Row {
  name: string;
  arn: string;
  resource_arn: string;
  priority: number;
  fixed_rate: number;
  reservoir_size: number;
  service_name: string;
  service_type: string;
  host: string;
  http_method: string;
  url_path: string;
  version: number;
  /** A JSON object of strings. */
  attributes: string;
  created_at: number;
  modified_at: number;
  boost_max_rate: number | null;
  boost_cooldown_window_minutes: number | null;
}

type Statement = Database.Statement<unknown[], unknown>;

const COLUMNS = [
  'name', 'arn', 'resource_arn', 'priority', 'fixed_rate', 'reservoir_size', 'service_name', 'service_type',
  'host', 'http_method', 'url_path', 'version', 'attributes', 'created_at', 'modified_at',
  'boost_max_rate', 'boost_cooldown_window_minutes',
] as const;

export class SqliteSamplingRuleStorage implements SamplingRuleStorage {
  private readonly db: Database.Database;
  private readonly statements: { list: Statement; get: Statement; insert: Statement; replace: Statement; delete: Statement };

  constructor(options: { file: string }) {
    this.db = openVersionedDatabase(options.file, { what: 'sampling rules', migrations: MIGRATIONS });
    const columns = COLUMNS.join(', ');
    const others = COLUMNS.filter((column) => column !== 'name');
    this.statements = {
      list: this.db.prepare(`SELECT ${columns} FROM sampling_rules ORDER BY name`),
      get: this.db.prepare(`SELECT ${columns} FROM sampling_rules WHERE name = ?`),
      insert: this.db.prepare(`INSERT INTO sampling_rules (${columns}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`),
      replace: this.db.prepare(`UPDATE sampling_rules SET ${others.map((c) => `${c} = @${c}`).join(', ')} WHERE name = @name`),
      delete: this.db.prepare('DELETE FROM sampling_rules WHERE name = ?'),
    };
  }

  list(): SamplingRuleRecord[] {
    return (this.statements.list.all() as Row[]).map(toRecord);
  }

  get(name: string): SamplingRuleRecord | undefined {
    const row = this.statements.get.get(name) as Row | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  insert(rule: SamplingRuleRecord): void {
    try {
      this.statements.insert.run(toRow(rule));
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT') === true) {
        throw new DuplicateSamplingRuleError(`a sampling rule named ${JSON.stringify(rule.name)} (or with ARN ${rule.arn}) already exists`);
      }
      throw error;
    }
  }

  replace(rule: SamplingRuleRecord): boolean {
    return this.statements.replace.run(toRow(rule)).changes > 0;
  }

  delete(name: string): boolean {
    return this.statements.delete.run(name).changes > 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toRow(rule: SamplingRuleRecord): Row {
  return {
    name: rule.name,
    arn: rule.arn,
    resource_arn: rule.resourceArn,
    priority: rule.priority,
    fixed_rate: rule.fixedRate,
    reservoir_size: rule.reservoirSize,
    service_name: rule.serviceName,
    service_type: rule.serviceType,
    host: rule.host,
    http_method: rule.httpMethod,
    url_path: rule.urlPath,
    version: rule.version,
    attributes: JSON.stringify(rule.attributes),
    created_at: rule.createdAt,
    modified_at: rule.modifiedAt,
    boost_max_rate: rule.samplingRateBoost?.maxRate ?? null,
    boost_cooldown_window_minutes: rule.samplingRateBoost?.cooldownWindowMinutes ?? null,
  };
}

function toRecord(row: Row): SamplingRuleRecord {
  return {
    name: row.name,
    arn: row.arn,
    resourceArn: row.resource_arn,
    priority: row.priority,
    fixedRate: row.fixed_rate,
    reservoirSize: row.reservoir_size,
    serviceName: row.service_name,
    serviceType: row.service_type,
    host: row.host,
    httpMethod: row.http_method,
    urlPath: row.url_path,
    version: row.version,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    ...boostOf(row),
  };
}

function boostOf(row: Row): { samplingRateBoost?: SamplingRateBoost } {
  if (row.boost_max_rate === null || row.boost_cooldown_window_minutes === null) return {};
  return { samplingRateBoost: { maxRate: row.boost_max_rate, cooldownWindowMinutes: row.boost_cooldown_window_minutes } };
}
