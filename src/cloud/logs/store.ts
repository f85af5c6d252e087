/**
 * CloudWatch Logs' storage in SQLite (`logs.db` in the data folder): log groups, their streams and
 * the events. Every X-Ray trace id written in a message (Powertools' `"xray_trace_id"`, Lambda's
 * `REPORT ... XRAY TraceId:`) is indexed on ingestion, together with the trace of the invocation
 * that wrote the line when the writer knows it, so the lines of one trace are found by index
 * lookups whatever the store holds. Retention is applied on reads (an expired event is never
 * returned) and by `sweep`, which also keeps the store under its event bound.
 */
import type { Database as Connection, Statement } from 'better-sqlite3';
import { openVersionedDatabase } from '../../common/sqlite/versioned-database.ts';

const SCHEMA = `
CREATE TABLE log_groups (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL,
  retention_days INTEGER,
  -- Bytes of the messages held, kept up to date by appends and deletions (DescribeLogGroups' storedBytes).
  stored_bytes INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE log_streams (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL REFERENCES log_groups(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  first_event_ms INTEGER,
  last_event_ms INTEGER,
  last_ingestion_ms INTEGER,
  UNIQUE (group_id, name)
);
CREATE TABLE log_events (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL,
  stream_id INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  ingestion_ms INTEGER NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX log_events_by_group_time ON log_events (group_id, timestamp_ms, id);
CREATE INDEX log_events_by_stream_time ON log_events (stream_id, timestamp_ms, id);
CREATE TABLE log_event_traces (
  trace_id TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  group_id INTEGER NOT NULL,
  PRIMARY KEY (trace_id, event_id)
) WITHOUT ROWID;
CREATE INDEX log_event_traces_by_event ON log_event_traces (event_id);
`;

/** X-Ray's trace id as written in messages: `1-<8 hex time>-<24 hex>`. */
const TRACE_ID = /1-[0-9a-f]{8}-[0-9a-f]{24}/g;

export interface LogGroupRecord {
  readonly name: string;
  readonly createdMs: number;
  readonly retentionDays: number | undefined;
  readonly storedBytes: number;
}

export interface LogStreamRecord {
  readonly groupName: string;
  readonly name: string;
  readonly createdMs: number;
  readonly firstEventMs: number | undefined;
  readonly lastEventMs: number | undefined;
  readonly lastIngestionMs: number | undefined;
}

/** An event as a writer hands it in. */
export interface NewLogEvent {
  readonly timestampMs: number;
  readonly message: string;
  /** The trace of the invocation that wrote the line, when the writer knows it (Lambda does). */
  readonly traceId?: string;
}

export interface StoredLogEvent {
  /** Ascending in ingestion order: the position tokens are built from. */
  readonly id: number;
  readonly groupName: string;
  readonly streamName: string;
  readonly timestampMs: number;
  readonly ingestionMs: number;
  readonly message: string;
}

/** Called after every committed batch: the extraction hook (EMF metrics read their lines here). */
export type IngestListener = (groupName: string, streamName: string, events: readonly StoredLogEvent[]) => void;

export interface LogScan {
  readonly groupName: string;
  /** Only these streams; all when absent. */
  readonly streamNames?: readonly string[];
  readonly streamPrefix?: string;
  /** Inclusive. */
  readonly startMs?: number;
  /** Exclusive, as FilterLogEvents' endTime. */
  readonly endMs?: number;
  /** Events after this position in (timestamp, id) order: a page's token. */
  readonly after?: { readonly timestampMs: number; readonly id: number };
  /** Only events indexed under this trace id (written in the message or by the invocation). */
  readonly traceId?: string;
  /** Descending time order (GetLogEvents from the tail). */
  readonly descending?: boolean;
}

export interface LogStoreOptions {
  /** `:memory:` in tests. */
  readonly file: string;
  /** Epoch milliseconds: decides ingestion times and what retention has expired. */
  readonly nowMs?: () => number;
  /** The oldest events beyond this many are removed by `sweep`. @default 5,000,000 */
  readonly maxEvents?: number;
}

const DAY_MS = 86_400_000;

export class LogStoreError extends Error {
  constructor(readonly kind: 'ResourceNotFound' | 'ResourceAlreadyExists', message: string) {
    super(message);
  }
}

interface GroupRow { id: number; name: string; created_ms: number; retention_days: number | null; stored_bytes: number }
interface StreamRow { id: number; group_id: number; name: string; created_ms: number; first_event_ms: number | null; last_event_ms: number | null; last_ingestion_ms: number | null }
interface EventRow { id: number; stream_id: number; timestamp_ms: number; ingestion_ms: number; message: string }

export class LogStore {
  private readonly db: Connection;
  private readonly nowMs: () => number;
  private readonly maxEvents: number;
  private readonly listeners = new Set<IngestListener>();
  private readonly statements: {
    group: Statement<[string]>;
    insertGroup: Statement<[string, number, number | null]>;
    stream: Statement<[number, string]>;
    insertStream: Statement<[number, string, number]>;
    insertEvent: Statement<[number, number, number, number, string]>;
    insertTrace: Statement<[string, number, number]>;
    touchStream: Statement<[{ first: number; last: number; ingestion: number; id: number }]>;
  };
  private readonly streamNames = new Map<number, string>();

  constructor(options: LogStoreOptions) {
    this.db = openVersionedDatabase(options.file, { what: 'log store', migrations: [SCHEMA], synchronous: 'NORMAL' });
    this.db.pragma('foreign_keys = ON');
    this.nowMs = options.nowMs ?? Date.now;
    this.maxEvents = options.maxEvents ?? 5_000_000;
    this.statements = {
      group: this.db.prepare('SELECT * FROM log_groups WHERE name = ?'),
      insertGroup: this.db.prepare('INSERT INTO log_groups (name, created_ms, retention_days) VALUES (?, ?, ?)'),
      stream: this.db.prepare('SELECT * FROM log_streams WHERE group_id = ? AND name = ?'),
      insertStream: this.db.prepare('INSERT INTO log_streams (group_id, name, created_ms) VALUES (?, ?, ?)'),
      insertEvent: this.db.prepare('INSERT INTO log_events (group_id, stream_id, timestamp_ms, ingestion_ms, message) VALUES (?, ?, ?, ?, ?)'),
      insertTrace: this.db.prepare('INSERT OR IGNORE INTO log_event_traces (trace_id, event_id, group_id) VALUES (?, ?, ?)'),
      touchStream: this.db.prepare(`UPDATE log_streams SET
        first_event_ms = min(coalesce(first_event_ms, @first), @first),
        last_event_ms = max(coalesce(last_event_ms, @last), @last),
        last_ingestion_ms = @ingestion WHERE id = @id`),
    };
  }

  close(): void {
    this.db.close();
  }

  /** False once closed (a cloud stopped for a restart). */
  get isOpen(): boolean {
    return this.db.open;
  }

  /** Every committed batch is handed to `listener` too; returns a function that removes it. */
  onIngest(listener: IngestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  createGroup(name: string, retentionDays?: number): void {
    if (this.statements.group.get(name) !== undefined) throw new LogStoreError('ResourceAlreadyExists', 'The specified log group already exists');
    this.statements.insertGroup.run(name, this.nowMs(), retentionDays ?? null);
  }

  /** Creates the group unless it exists (what Lambda and API Gateway do on their first line). */
  ensureGroup(name: string): void {
    if (this.statements.group.get(name) === undefined) this.statements.insertGroup.run(name, this.nowMs(), null);
  }

  deleteGroup(name: string): void {
    const group = this.groupRow(name);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM log_event_traces WHERE group_id = ?').run(group.id);
      this.db.prepare('DELETE FROM log_events WHERE group_id = ?').run(group.id);
      this.db.prepare('DELETE FROM log_groups WHERE id = ?').run(group.id);
    })();
  }

  /** `undefined` keeps events forever (DeleteRetentionPolicy). */
  setRetention(name: string, retentionDays: number | undefined): void {
    const group = this.groupRow(name);
    this.db.prepare('UPDATE log_groups SET retention_days = ? WHERE id = ?').run(retentionDays ?? null, group.id);
  }

  hasGroup(name: string): boolean {
    return this.statements.group.get(name) !== undefined;
  }

  group(name: string): LogGroupRecord {
    return this.groupRecord(this.groupRow(name));
  }

  /** Groups by name, from `after` (exclusive), at most `limit`. */
  groups(options: { prefix?: string; after?: string; limit: number }): LogGroupRecord[] {
    const rows = this.db.prepare(`SELECT * FROM log_groups WHERE name >= ? AND (? IS NULL OR name > ?) ORDER BY name LIMIT ?`)
      .all(options.prefix ?? '', options.after ?? null, options.after ?? null, options.limit + 200) as GroupRow[];
    return rows.filter((row) => row.name.startsWith(options.prefix ?? '')).slice(0, options.limit).map((row) => this.groupRecord(row));
  }

  createStream(groupName: string, streamName: string): void {
    const group = this.groupRow(groupName);
    if (this.statements.stream.get(group.id, streamName) !== undefined) {
      throw new LogStoreError('ResourceAlreadyExists', 'The specified log stream already exists');
    }
    this.statements.insertStream.run(group.id, streamName, this.nowMs());
  }

  hasStream(groupName: string, streamName: string): boolean {
    const group = this.groupRow(groupName);
    return this.statements.stream.get(group.id, streamName) !== undefined;
  }

  /** Streams of a group ordered by name, or by last event time (newest first when `descending`). */
  streams(groupName: string, options: { prefix?: string; orderBy?: 'LogStreamName' | 'LastEventTime'; descending?: boolean; offset?: number; limit: number }): LogStreamRecord[] {
    const group = this.groupRow(groupName);
    const order = options.orderBy === 'LastEventTime' ? 'coalesce(last_event_ms, 0)' : 'name';
    const direction = options.descending === true ? 'DESC' : 'ASC';
    const prefix = options.prefix ?? '';
    const rows = this.db.prepare(`SELECT * FROM log_streams WHERE group_id = ? AND substr(name, 1, ?) = ? ORDER BY ${order} ${direction}, id ${direction} LIMIT ? OFFSET ?`)
      .all(group.id, prefix.length, prefix, options.limit, options.offset ?? 0) as StreamRow[];
    return rows.map((row) => this.streamRecord(group.name, row));
  }

  /**
   * Appends events to a stream (created when `createStream` is true, as Lambda creates its own),
   * in one transaction; the listeners then see the batch.
   */
  append(groupName: string, streamName: string, events: readonly NewLogEvent[], options: { createStream?: boolean } = {}): StoredLogEvent[] {
    if (events.length === 0) return [];
    const ingestionMs = this.nowMs();
    const stored = this.db.transaction(() => {
      if (options.createStream === true) this.ensureGroup(groupName);
      const group = this.groupRow(groupName);
      let stream = this.statements.stream.get(group.id, streamName) as StreamRow | undefined;
      if (stream === undefined) {
        if (options.createStream !== true) throw new LogStoreError('ResourceNotFound', 'The specified log stream does not exist.');
        this.statements.insertStream.run(group.id, streamName, ingestionMs);
        stream = this.statements.stream.get(group.id, streamName) as StreamRow;
      }
      let first = Infinity;
      let last = -Infinity;
      let bytes = 0;
      const out: StoredLogEvent[] = [];
      for (const event of events) {
        const id = Number(this.statements.insertEvent.run(group.id, stream.id, event.timestampMs, ingestionMs, event.message).lastInsertRowid);
        for (const traceId of traceIdsOf(event)) this.statements.insertTrace.run(traceId, id, group.id);
        bytes += Buffer.byteLength(event.message);
        first = Math.min(first, event.timestampMs);
        last = Math.max(last, event.timestampMs);
        out.push({ id, groupName, streamName, timestampMs: event.timestampMs, ingestionMs, message: event.message });
      }
      this.statements.touchStream.run({ first, last, ingestion: ingestionMs, id: stream.id });
      this.db.prepare('UPDATE log_groups SET stored_bytes = stored_bytes + ? WHERE id = ?').run(bytes, group.id);
      return out;
    })();
    for (const listener of this.listeners) listener(groupName, streamName, stored);
    return stored;
  }

  /**
   * The events of a scan in (timestamp, id) order, read lazily: the caller stops when its page is
   * full. Events older than the group's retention are skipped.
   */
  *scan(scan: LogScan): Generator<StoredLogEvent> {
    const group = this.groupRow(scan.groupName);
    const cutoff = this.retentionCutoffMs(group);
    const where: string[] = ['e.group_id = @group'];
    const params: Record<string, unknown> = { group: group.id };
    const startMs = Math.max(scan.startMs ?? -Infinity, cutoff ?? -Infinity);
    if (Number.isFinite(startMs)) {
      where.push('e.timestamp_ms >= @start');
      params.start = startMs;
    }
    if (scan.endMs !== undefined) {
      where.push('e.timestamp_ms < @end');
      params.end = scan.endMs;
    }
    const streamIds = this.streamIds(group, scan);
    if (streamIds !== undefined) {
      if (streamIds.length === 0) return;
      where.push(`e.stream_id IN (${streamIds.map((id) => Number(id)).join(',')})`);
    }
    const descending = scan.descending === true;
    if (scan.after !== undefined) {
      where.push(descending ? '(e.timestamp_ms, e.id) < (@afterTime, @afterId)' : '(e.timestamp_ms, e.id) > (@afterTime, @afterId)');
      params.afterTime = scan.after.timestampMs;
      params.afterId = scan.after.id;
    }
    let from = 'log_events e';
    if (scan.traceId !== undefined) {
      // CROSS JOIN keeps the trace index first: the planner would otherwise walk the group's time index.
      from = 'log_event_traces t CROSS JOIN log_events e ON e.id = t.event_id';
      where.push('t.trace_id = @trace');
      params.trace = scan.traceId;
    }
    const direction = descending ? 'DESC' : 'ASC';
    const statement = this.db.prepare(`SELECT e.id, e.stream_id, e.timestamp_ms, e.ingestion_ms, e.message FROM ${from}
      WHERE ${where.join(' AND ')} ORDER BY e.timestamp_ms ${direction}, e.id ${direction}`);
    for (const row of statement.iterate(params) as Iterable<EventRow>) {
      yield { id: row.id, groupName: group.name, streamName: this.streamName(row.stream_id), timestampMs: row.timestamp_ms, ingestionMs: row.ingestion_ms, message: row.message };
    }
  }

  /** The groups holding lines of a trace (the console's and the CLI's `--trace` across every group). */
  groupsOfTrace(traceId: string): string[] {
    const rows = this.db.prepare('SELECT DISTINCT g.name FROM log_event_traces t JOIN log_groups g ON g.id = t.group_id WHERE t.trace_id = ? ORDER BY g.name').all(traceId) as Array<{ name: string }>;
    return rows.map((row) => row.name);
  }

  /** Removes expired events (retention) and the oldest beyond the bound; returns how many went. */
  sweep(): number {
    let removed = 0;
    const groups = this.db.prepare('SELECT * FROM log_groups WHERE retention_days IS NOT NULL').all() as GroupRow[];
    for (const group of groups) {
      const cutoff = this.retentionCutoffMs(group);
      if (cutoff === undefined) continue;
      removed += this.deleteWhere('group_id = ? AND timestamp_ms < ?', group.id, cutoff);
    }
    const count = (this.db.prepare('SELECT count(*) AS n FROM log_events').get() as { n: number }).n;
    if (count > this.maxEvents) {
      const boundary = this.db.prepare('SELECT id FROM log_events ORDER BY id LIMIT 1 OFFSET ?').get(count - this.maxEvents) as { id: number };
      removed += this.deleteWhere('id < ?', boundary.id);
    }
    return removed;
  }

  private deleteWhere(condition: string, ...params: number[]): number {
    return this.db.transaction(() => {
      const freed = this.db.prepare(`SELECT group_id, sum(length(CAST(message AS BLOB))) AS bytes FROM log_events WHERE ${condition} GROUP BY group_id`).all(...params) as Array<{ group_id: number; bytes: number }>;
      for (const { group_id: groupId, bytes } of freed) this.db.prepare('UPDATE log_groups SET stored_bytes = max(0, stored_bytes - ?) WHERE id = ?').run(bytes, groupId);
      this.db.prepare(`DELETE FROM log_event_traces WHERE event_id IN (SELECT id FROM log_events WHERE ${condition})`).run(...params);
      return this.db.prepare(`DELETE FROM log_events WHERE ${condition}`).run(...params).changes;
    })();
  }

  private retentionCutoffMs(group: GroupRow): number | undefined {
    return group.retention_days === null ? undefined : this.nowMs() - group.retention_days * DAY_MS;
  }

  private streamIds(group: GroupRow, scan: LogScan): number[] | undefined {
    if (scan.streamNames === undefined && scan.streamPrefix === undefined) return undefined;
    const rows = this.db.prepare('SELECT id, name FROM log_streams WHERE group_id = ?').all(group.id) as Array<{ id: number; name: string }>;
    return rows
      .filter((row) => (scan.streamNames === undefined || scan.streamNames.includes(row.name)) && (scan.streamPrefix === undefined || row.name.startsWith(scan.streamPrefix)))
      .map((row) => row.id);
  }

  private streamName(id: number): string {
    let name = this.streamNames.get(id);
    if (name === undefined) {
      name = (this.db.prepare('SELECT name FROM log_streams WHERE id = ?').get(id) as { name: string } | undefined)?.name ?? '';
      this.streamNames.set(id, name);
    }
    return name;
  }

  private groupRow(name: string): GroupRow {
    const row = this.statements.group.get(name) as GroupRow | undefined;
    if (row === undefined) throw new LogStoreError('ResourceNotFound', 'The specified log group does not exist.');
    return row;
  }

  private groupRecord(row: GroupRow): LogGroupRecord {
    return { name: row.name, createdMs: row.created_ms, retentionDays: row.retention_days ?? undefined, storedBytes: row.stored_bytes };
  }

  private streamRecord(groupName: string, row: StreamRow): LogStreamRecord {
    return {
      groupName,
      name: row.name,
      createdMs: row.created_ms,
      firstEventMs: row.first_event_ms ?? undefined,
      lastEventMs: row.last_event_ms ?? undefined,
      lastIngestionMs: row.last_ingestion_ms ?? undefined,
    };
  }
}

/** The trace ids written in a message, and the writer's. */
function traceIdsOf(event: NewLogEvent): Set<string> {
  const ids = new Set<string>(event.message.includes('1-') ? event.message.match(TRACE_ID) ?? [] : []);
  if (event.traceId !== undefined) ids.add(event.traceId);
  return ids;
}
