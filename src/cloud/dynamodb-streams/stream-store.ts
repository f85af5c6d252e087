/**
 * The tables' streams on SQLite (`dynamodb-streams.db` in the data folder): each stream, its records
 * in the order they were written (the row id is the sequence number: one shard per stream), kept 24
 * hours, and the checkpoints of the Lambda event source mappings that read them. Every change is
 * committed before the write that caused it is answered.
 */
import type Database from 'better-sqlite3';
import { openVersionedDatabase } from '../../common/sqlite/versioned-database.ts';
import type { StoredChange, StoredRecord, StreamViewType } from './stream-record.ts';
import { shardIdOf, streamLabelOf } from './sequence-numbers.ts';

/** DynamoDB Streams keeps records for 24 hours. */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

export interface KeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

export interface StreamInfo {
  readonly streamArn: string;
  readonly tableName: string;
  readonly label: string;
  readonly viewType: StreamViewType;
  readonly enabled: boolean;
  readonly createdMs: number;
  readonly keySchema: readonly KeySchemaElement[];
  readonly shardId: string;
  /** The first position of the shard (the next record's when it was created). */
  readonly firstPosition: number;
  /** The last position of a closed shard (a disabled stream); undefined while it is open. */
  readonly endPosition: number | undefined;
  /** Records up to this position were removed by retention; 0 when none were. */
  readonly trimmedThrough: number;
}

const MIGRATIONS = [
  `CREATE TABLE streams (
     stream_arn TEXT PRIMARY KEY,
     table_name TEXT NOT NULL,
     label TEXT NOT NULL,
     view_type TEXT NOT NULL,
     enabled INTEGER NOT NULL,
     created_ms INTEGER NOT NULL,
     disabled_ms INTEGER,
     key_schema TEXT NOT NULL,
     first_position INTEGER NOT NULL,
     end_position INTEGER,
     trimmed_through INTEGER NOT NULL DEFAULT 0,
     table_deleted INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE records (
     position INTEGER PRIMARY KEY AUTOINCREMENT,
     stream_arn TEXT NOT NULL,
     created_ms INTEGER NOT NULL,
     change TEXT NOT NULL
   );
   CREATE INDEX records_by_stream ON records (stream_arn, position);
   CREATE INDEX records_by_age ON records (created_ms);
   CREATE TABLE checkpoints (
     mapping_id TEXT PRIMARY KEY,
     stream_arn TEXT NOT NULL,
     next_position INTEGER NOT NULL
   );`,
];

interface StreamRow {
  stream_arn: string;
  table_name: string;
  label: string;
  view_type: string;
  enabled: number;
  created_ms: number;
  key_schema: string;
  first_position: number;
  end_position: number | null;
  trimmed_through: number;
}

export class StreamStore {
  private readonly db: Database.Database;
  private readonly listeners = new Set<(streamArn: string) => void>();
  private lastTrimMs = Number.NEGATIVE_INFINITY;

  /** `:memory:` for tests. */
  constructor(file: string) {
    this.db = openVersionedDatabase(file, { what: 'DynamoDB streams', migrations: MIGRATIONS, synchronous: 'NORMAL' });
  }

  close(): void {
    this.db.close();
  }

  /** Called after records are appended to a stream (pollers wake on it). */
  onAppend(listener: (streamArn: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new enabled stream on a table; `label` defaults to its creation time. */
  createStream(input: { tableArn: string; tableName: string; viewType: StreamViewType; keySchema: readonly KeySchemaElement[]; nowMs: number; label?: string }): StreamInfo {
    const label = input.label ?? streamLabelOf(input.nowMs);
    const streamArn = `${input.tableArn}/stream/${label}`;
    this.db.prepare(
      `INSERT INTO streams (stream_arn, table_name, label, view_type, enabled, created_ms, key_schema, first_position)
       VALUES (?, ?, ?, ?, 1, ?, ?, ?)
       ON CONFLICT (stream_arn) DO UPDATE SET enabled = 1, table_deleted = 0, view_type = excluded.view_type, key_schema = excluded.key_schema, disabled_ms = NULL, end_position = NULL`,
    ).run(streamArn, input.tableName, label, input.viewType, input.nowMs, JSON.stringify(input.keySchema), this.nextPosition());
    return this.stream(streamArn) as StreamInfo;
  }

  /** Closes the stream's shard: no more records; readable until retention removes them. */
  disableStream(streamArn: string, nowMs: number): void {
    this.db.prepare(
      `UPDATE streams SET enabled = 0, disabled_ms = ?,
         end_position = (SELECT COALESCE(MAX(position), streams.first_position - 1) FROM records WHERE records.stream_arn = streams.stream_arn)
       WHERE stream_arn = ? AND enabled = 1`,
    ).run(nowMs, streamArn);
  }

  /** The table was deleted: its streams stay listed and readable, but a new table of its name does not have them. */
  tableDeleted(tableName: string, nowMs: number): void {
    const enabled = this.enabledStream(tableName);
    if (enabled !== undefined) this.disableStream(enabled.streamArn, nowMs);
    this.db.prepare('UPDATE streams SET table_deleted = 1 WHERE table_name = ?').run(tableName);
  }

  stream(streamArn: string): StreamInfo | undefined {
    const row = this.db.prepare('SELECT * FROM streams WHERE stream_arn = ?').get(streamArn) as StreamRow | undefined;
    return row === undefined ? undefined : infoOf(row);
  }

  /** The table's enabled stream, if it has one. */
  enabledStream(tableName: string): StreamInfo | undefined {
    const row = this.db.prepare('SELECT * FROM streams WHERE table_name = ? AND enabled = 1 ORDER BY created_ms DESC LIMIT 1').get(tableName) as StreamRow | undefined;
    return row === undefined ? undefined : infoOf(row);
  }

  /** The table's most recent stream, enabled or not (DescribeTable's LatestStreamArn); none of a deleted table of that name. */
  latestStream(tableName: string): StreamInfo | undefined {
    const row = this.db.prepare('SELECT * FROM streams WHERE table_name = ? AND table_deleted = 0 ORDER BY enabled DESC, created_ms DESC, rowid DESC LIMIT 1').get(tableName) as StreamRow | undefined;
    return row === undefined ? undefined : infoOf(row);
  }

  /** Every stream, oldest first (ListStreams' order is by ARN within a table, which this keeps). */
  listStreams(tableName?: string): StreamInfo[] {
    const rows = (tableName === undefined
      ? this.db.prepare('SELECT * FROM streams ORDER BY stream_arn').all()
      : this.db.prepare('SELECT * FROM streams WHERE table_name = ? ORDER BY stream_arn').all(tableName)) as StreamRow[];
    return rows.map(infoOf);
  }

  /** Appends changes in order, in one transaction; returns their positions. */
  append(streamArn: string, changes: readonly StoredChange[], nowMs: number): number[] {
    if (changes.length === 0) return [];
    this.trimNow(nowMs);
    const insert = this.db.prepare('INSERT INTO records (stream_arn, created_ms, change) VALUES (?, ?, ?)');
    const positions = this.db.transaction(() => changes.map((change) => Number(insert.run(streamArn, nowMs, JSON.stringify(change)).lastInsertRowid)))();
    for (const listener of this.listeners) listener(streamArn);
    return positions;
  }

  /** Up to `limit` records of the stream from `fromPosition` on, in order. */
  read(streamArn: string, fromPosition: number, limit: number): StoredRecord[] {
    const rows = this.db.prepare('SELECT position, created_ms, change FROM records WHERE stream_arn = ? AND position >= ? ORDER BY position LIMIT ?')
      .all(streamArn, fromPosition, limit) as Array<{ position: number; created_ms: number; change: string }>;
    return rows.map((row) => ({ position: row.position, createdMs: row.created_ms, change: JSON.parse(row.change) as StoredChange }));
  }

  /** The position the next record of the stream would take if written now (LATEST). */
  nextPosition(): number {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'records'").get() as { seq: number } | undefined;
    return (row?.seq ?? 0) + 1;
  }

  /** The oldest position still held for the stream (TRIM_HORIZON). */
  trimHorizon(stream: StreamInfo): number {
    const row = this.db.prepare('SELECT MIN(position) AS first FROM records WHERE stream_arn = ?').get(stream.streamArn) as { first: number | null };
    return row.first ?? Math.max(stream.firstPosition, stream.trimmedThrough + 1, stream.endPosition === undefined ? this.nextPosition() : stream.endPosition + 1);
  }

  /** The first record of the stream written at or after `timestampMs`, or the next position if none. */
  positionAtTime(streamArn: string, timestampMs: number): number {
    const row = this.db.prepare('SELECT MIN(position) AS first FROM records WHERE stream_arn = ? AND created_ms >= ?').get(streamArn, timestampMs) as { first: number | null };
    return row.first ?? this.nextPosition();
  }

  /** Removes records older than 24 hours, and streams disabled more than 24 hours ago. */
  trim(nowMs: number): void {
    const cutoff = nowMs - RETENTION_MS;
    this.db.transaction(() => {
      this.db.prepare(
        `UPDATE streams SET trimmed_through = MAX(trimmed_through, (SELECT COALESCE(MAX(position), 0) FROM records WHERE records.stream_arn = streams.stream_arn AND created_ms < ?))`,
      ).run(cutoff);
      this.db.prepare('DELETE FROM records WHERE created_ms < ?').run(cutoff);
      this.db.prepare('DELETE FROM streams WHERE enabled = 0 AND disabled_ms < ?').run(cutoff);
    })();
  }

  /** Trims at most once a minute: called on every read and write. */
  trimNow(nowMs: number): void {
    if (nowMs - this.lastTrimMs < 60_000 && nowMs >= this.lastTrimMs) return;
    this.lastTrimMs = nowMs;
    this.trim(nowMs);
  }

  checkpoint(mappingId: string): { streamArn: string; nextPosition: number } | undefined {
    const row = this.db.prepare('SELECT stream_arn, next_position FROM checkpoints WHERE mapping_id = ?').get(mappingId) as { stream_arn: string; next_position: number } | undefined;
    return row === undefined ? undefined : { streamArn: row.stream_arn, nextPosition: row.next_position };
  }

  setCheckpoint(mappingId: string, streamArn: string, nextPosition: number): void {
    this.db.prepare('INSERT INTO checkpoints (mapping_id, stream_arn, next_position) VALUES (?, ?, ?) ON CONFLICT (mapping_id) DO UPDATE SET stream_arn = excluded.stream_arn, next_position = excluded.next_position')
      .run(mappingId, streamArn, nextPosition);
  }
}

function infoOf(row: StreamRow): StreamInfo {
  return {
    streamArn: row.stream_arn,
    tableName: row.table_name,
    label: row.label,
    viewType: row.view_type as StreamViewType,
    enabled: row.enabled === 1,
    createdMs: row.created_ms,
    keySchema: JSON.parse(row.key_schema) as KeySchemaElement[],
    shardId: shardIdOf(row.stream_arn, row.created_ms),
    firstPosition: row.first_position,
    endPosition: row.end_position ?? undefined,
    trimmedThrough: row.trimmed_through,
  };
}
