/**
 * The metric store: SQLite in the data folder (`metrics.db`), one row a metric and one a datapoint,
 * indexed by metric and time. Bounded as CloudWatch is by retention (datapoints older than 15 days
 * are dropped: CloudWatch keeps 1-minute data for 15 days, and the local cloud keeps nothing
 * coarser) and by a row cap (the oldest datapoints go first), checked every few hundred writes.
 */
import type { Database as Connection, Statement } from 'better-sqlite3';
import { openVersionedDatabase } from '../../common/sqlite/versioned-database.ts';
import type { Datapoint, Dimension, MetricId, MetricUnit } from './model.ts';
import { dimensionsKey, sortedDimensions } from './model.ts';

const MIGRATIONS = [
  `
CREATE TABLE metrics (
  id INTEGER PRIMARY KEY,
  namespace TEXT NOT NULL,
  metric_name TEXT NOT NULL,
  dimensions_key TEXT NOT NULL,
  last_ms INTEGER NOT NULL,
  UNIQUE (namespace, metric_name, dimensions_key)
);
CREATE INDEX metrics_by_name ON metrics (metric_name);
CREATE TABLE datapoints (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  metric_id INTEGER NOT NULL REFERENCES metrics (id),
  timestamp_ms INTEGER NOT NULL,
  unit TEXT NOT NULL,
  resolution_s INTEGER NOT NULL,
  sample_count REAL NOT NULL,
  sum REAL NOT NULL,
  minimum REAL NOT NULL,
  maximum REAL NOT NULL,
  vals TEXT
);
CREATE INDEX datapoints_by_metric_time ON datapoints (metric_id, timestamp_ms);
CREATE INDEX datapoints_by_time ON datapoints (timestamp_ms);
`,
  // Which function's output a metric came from (EMF): the map shows a function's own metrics.
  `
CREATE TABLE metric_emitters (
  metric_id INTEGER NOT NULL REFERENCES metrics (id),
  function_name TEXT NOT NULL,
  PRIMARY KEY (function_name, metric_id)
) WITHOUT ROWID;
`,
];

export const RETENTION_MS = 15 * 24 * 3600_000;

export interface StoredMetric extends MetricId {
  /** When a datapoint was last recorded for it (ListMetrics' RecentlyActive). */
  readonly lastMs: number;
}

export interface MetricStoreOptions {
  /** @default 2,000,000 */
  readonly maxDatapoints?: number;
  readonly clock?: { nowMs(): number };
}

interface MetricRow {
  id: number;
  namespace: string;
  metric_name: string;
  dimensions_key: string;
  last_ms: number;
}

interface DatapointRow {
  timestamp_ms: number;
  unit: string;
  resolution_s: number;
  sample_count: number;
  sum: number;
  minimum: number;
  maximum: number;
  vals: string | null;
}

export class MetricStore {
  private readonly db: Connection;
  private readonly insertMetric: Statement;
  private readonly touchMetric: Statement;
  private readonly insertDatapoint: Statement;
  private readonly insertEmitter: Statement;
  private readonly maxDatapoints: number;
  private readonly now: () => number;
  private writesSinceTrim = 0;

  constructor(file: string, options: MetricStoreOptions = {}) {
    this.db = openVersionedDatabase(file, { what: 'metric store', migrations: MIGRATIONS, synchronous: 'NORMAL' });
    this.maxDatapoints = options.maxDatapoints ?? 2_000_000;
    this.now = () => (options.clock ?? { nowMs: () => Date.now() }).nowMs();
    this.insertMetric = this.db.prepare(
      `INSERT INTO metrics (namespace, metric_name, dimensions_key, last_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (namespace, metric_name, dimensions_key) DO UPDATE SET last_ms = max(last_ms, excluded.last_ms)
       RETURNING id`,
    );
    this.touchMetric = this.db.prepare('SELECT id FROM metrics WHERE namespace = ? AND metric_name = ? AND dimensions_key = ?');
    this.insertEmitter = this.db.prepare('INSERT OR IGNORE INTO metric_emitters (metric_id, function_name) VALUES (?, ?)');
    this.insertDatapoint = this.db.prepare(
      `INSERT INTO datapoints (metric_id, timestamp_ms, unit, resolution_s, sample_count, sum, minimum, maximum, vals)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Stores the datapoints in one transaction; `emitter` names the function whose output they came from. */
  put(datapoints: readonly Datapoint[], emitter?: string): void {
    if (datapoints.length === 0) return;
    const nowMs = this.now();
    this.db.transaction(() => {
      for (const point of datapoints) {
        const row = this.insertMetric.get(point.namespace, point.metricName, dimensionsKey(point.dimensions), nowMs) as { id: number };
        if (emitter !== undefined) this.insertEmitter.run(row.id, emitter);
        this.insertDatapoint.run(
          row.id, point.timestampMs, point.unit, point.storageResolutionSeconds, point.sampleCount, point.sum,
          point.minimum, point.maximum, point.values === undefined ? null : JSON.stringify(point.values),
        );
      }
    })();
    this.writesSinceTrim += datapoints.length;
    if (this.writesSinceTrim >= 500) this.trim();
  }

  /** Drops what is past retention, then the oldest datapoints beyond the cap. */
  trim(): void {
    this.writesSinceTrim = 0;
    this.db.prepare('DELETE FROM datapoints WHERE timestamp_ms < ?').run(this.now() - RETENTION_MS);
    const { n } = this.db.prepare('SELECT count(*) AS n FROM datapoints').get() as { n: number };
    if (n > this.maxDatapoints) {
      this.db.prepare('DELETE FROM datapoints WHERE seq IN (SELECT seq FROM datapoints ORDER BY timestamp_ms LIMIT ?)').run(n - this.maxDatapoints);
    }
  }

  /** Metrics of a namespace and name (either may be absent), newest activity after `activeSinceMs` only. */
  listMetrics(filter: { namespace?: string; metricName?: string; activeSinceMs?: number }): StoredMetric[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.namespace !== undefined) { where.push('namespace = ?'); args.push(filter.namespace); }
    if (filter.metricName !== undefined) { where.push('metric_name = ?'); args.push(filter.metricName); }
    if (filter.activeSinceMs !== undefined) { where.push('last_ms >= ?'); args.push(filter.activeSinceMs); }
    const sql = `SELECT * FROM metrics ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY namespace, metric_name, dimensions_key`;
    return (this.db.prepare(sql).all(...args) as MetricRow[]).map(storedMetric);
  }

  /** The metrics the function's output (EMF) gave. */
  metricsEmittedBy(functionName: string): StoredMetric[] {
    const rows = this.db
      .prepare('SELECT m.* FROM metric_emitters e JOIN metrics m ON m.id = e.metric_id WHERE e.function_name = ? ORDER BY m.namespace, m.metric_name, m.dimensions_key')
      .all(functionName) as MetricRow[];
    return rows.map(storedMetric);
  }

  /** The datapoints of exactly this metric (the same dimension set) in [startMs, endMs). */
  datapoints(id: MetricId, startMs: number, endMs: number): Datapoint[] {
    const metric = this.touchMetric.get(id.namespace, id.metricName, dimensionsKey(id.dimensions)) as { id: number } | undefined;
    if (metric === undefined) return [];
    const rows = this.db
      .prepare('SELECT * FROM datapoints WHERE metric_id = ? AND timestamp_ms >= ? AND timestamp_ms < ? ORDER BY timestamp_ms')
      .all(metric.id, startMs, endMs) as DatapointRow[];
    const dimensions: Dimension[] = sortedDimensions(id.dimensions);
    return rows.map((row) => ({
      namespace: id.namespace,
      metricName: id.metricName,
      dimensions,
      timestampMs: row.timestamp_ms,
      unit: row.unit as MetricUnit,
      storageResolutionSeconds: row.resolution_s === 1 ? 1 : 60,
      sampleCount: row.sample_count,
      sum: row.sum,
      minimum: row.minimum,
      maximum: row.maximum,
      ...(row.vals !== null ? { values: JSON.parse(row.vals) as [number, number][] } : {}),
    }));
  }

  close(): void {
    this.db.close();
  }
}

function storedMetric(row: MetricRow): StoredMetric {
  return {
    namespace: row.namespace,
    metricName: row.metric_name,
    dimensions: (JSON.parse(row.dimensions_key) as [string, string][]).map(([name, value]) => ({ name, value })),
    lastMs: row.last_ms,
  };
}
