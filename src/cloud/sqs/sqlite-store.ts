/**
 * The SQS message store on better-sqlite3 in WAL mode: every send, receive and delete is committed
 * before the API answers, so a killed process loses nothing; in-flight messages keep their
 * visibility deadline and so become receivable again after a restart once it has passed.
 */
import type { Database as Connection, Statement } from 'better-sqlite3';
import { openVersionedDatabase } from '../../common/sqlite/versioned-database.ts';
import type { DeduplicationRecord, MessageAttributeValue, MessageCounts, MessageStore, StoredMessage, StoredQueue } from './store.ts';

/**
 * The tables as they were before the file had a schema version (`user_version` 0), created if
 * missing on every open. A change to them becomes the opener's first migration, which must create
 * them too (IF NOT EXISTS): a file written before then may lack them.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS queues (
  name TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  arn TEXT NOT NULL,
  attributes TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  modified_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  md5_of_body TEXT NOT NULL,
  message_attributes TEXT NOT NULL,
  system_attributes TEXT NOT NULL,
  sender_id TEXT NOT NULL,
  sent_ms INTEGER NOT NULL,
  visible_at_ms INTEGER NOT NULL,
  receive_count INTEGER NOT NULL,
  first_receive_ms INTEGER,
  receipt_handle TEXT,
  dead_letter_source_arn TEXT
);
CREATE INDEX IF NOT EXISTS messages_by_visibility ON messages (queue, visible_at_ms, seq);
CREATE INDEX IF NOT EXISTS messages_by_age ON messages (queue, sent_ms);
`;

/** Version 1: FIFO queues' message groups, deduplication ids, sequence numbers and the deduplication interval. */
const FIFO_MIGRATION = `${SCHEMA}
ALTER TABLE messages ADD COLUMN message_group_id TEXT;
ALTER TABLE messages ADD COLUMN message_deduplication_id TEXT;
ALTER TABLE messages ADD COLUMN sequence_number TEXT;
CREATE TABLE fifo_deduplication (
  queue TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  message_id TEXT NOT NULL,
  sequence_number TEXT NOT NULL,
  expires_ms INTEGER NOT NULL,
  PRIMARY KEY (queue, dedup_key)
);
CREATE INDEX fifo_deduplication_by_expiry ON fifo_deduplication (queue, expires_ms);
`;

interface MessageRow {
  queue: string;
  message_id: string;
  body: string;
  md5_of_body: string;
  message_attributes: string;
  system_attributes: string;
  sender_id: string;
  sent_ms: number;
  visible_at_ms: number;
  receive_count: number;
  first_receive_ms: number | null;
  receipt_handle: string | null;
  dead_letter_source_arn: string | null;
  message_group_id: string | null;
  message_deduplication_id: string | null;
  sequence_number: string | null;
}

interface QueueRow {
  name: string;
  url: string;
  arn: string;
  attributes: string;
  created_ms: number;
  modified_ms: number;
}

export class SqliteMessageStore implements MessageStore {
  private readonly db: Connection;
  private readonly statements: Record<string, Statement>;

  /** `file` is created if missing; `:memory:` keeps nothing (tests). */
  constructor(file: string) {
    // NORMAL in WAL survives a killed process; only a power loss could drop the last commits.
    this.db = openVersionedDatabase(file, { what: 'SQS messages', migrations: [FIFO_MIGRATION], synchronous: 'NORMAL' });
    try {
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
    } catch (error) {
      this.db.close();
      throw error;
    }
    const prepare = (sql: string): Statement => this.db.prepare(sql);
    this.statements = {
      putQueue: prepare(
        `INSERT INTO queues (name, url, arn, attributes, created_ms, modified_ms) VALUES (@name, @url, @arn, @attributes, @created_ms, @modified_ms)
         ON CONFLICT (name) DO UPDATE SET url = excluded.url, arn = excluded.arn, attributes = excluded.attributes, modified_ms = excluded.modified_ms`,
      ),
      getQueue: prepare('SELECT * FROM queues WHERE name = ?'),
      listQueues: prepare('SELECT * FROM queues ORDER BY name'),
      insert: prepare(
        `INSERT INTO messages (queue, message_id, body, md5_of_body, message_attributes, system_attributes, sender_id, sent_ms, visible_at_ms, receive_count, first_receive_ms, receipt_handle, dead_letter_source_arn, message_group_id, message_deduplication_id, sequence_number)
         VALUES (@queue, @message_id, @body, @md5_of_body, @message_attributes, @system_attributes, @sender_id, @sent_ms, @visible_at_ms, @receive_count, @first_receive_ms, @receipt_handle, @dead_letter_source_arn, @message_group_id, @message_deduplication_id, @sequence_number)`,
      ),
      visible: prepare('SELECT * FROM messages WHERE queue = ? AND visible_at_ms <= ? ORDER BY seq LIMIT ?'),
      getMessage: prepare('SELECT * FROM messages WHERE message_id = ?'),
      markReceived: prepare(
        'UPDATE messages SET visible_at_ms = ?, receive_count = ?, first_receive_ms = ?, receipt_handle = ? WHERE message_id = ?',
      ),
      setVisibleAt: prepare('UPDATE messages SET visible_at_ms = ? WHERE message_id = ?'),
      delete: prepare('DELETE FROM messages WHERE message_id = ?'),
      purge: prepare('DELETE FROM messages WHERE queue = ?'),
      expire: prepare('DELETE FROM messages WHERE queue = ? AND sent_ms < ?'),
      counts: prepare(
        `SELECT
           SUM(CASE WHEN visible_at_ms <= @nowMs THEN 1 ELSE 0 END) AS visible,
           SUM(CASE WHEN visible_at_ms > @nowMs AND receive_count > 0 THEN 1 ELSE 0 END) AS in_flight,
           SUM(CASE WHEN visible_at_ms > @nowMs AND receive_count = 0 THEN 1 ELSE 0 END) AS delayed
         FROM messages WHERE queue = @queue`,
      ),
      setSequenceNumber: prepare('UPDATE messages SET sequence_number = ? WHERE message_id = ?'),
      inOrder: prepare('SELECT * FROM messages WHERE queue = ? ORDER BY seq'),
      groupsInFlight: prepare("SELECT DISTINCT COALESCE(message_group_id, '') AS grp FROM messages WHERE queue = ? AND visible_at_ms > ? AND receive_count > 0"),
      dropExpiredDeduplication: prepare('DELETE FROM fifo_deduplication WHERE queue = ? AND expires_ms <= ?'),
      findDuplicate: prepare('SELECT message_id, sequence_number, expires_ms FROM fifo_deduplication WHERE queue = ? AND dedup_key = ?'),
      recordDeduplication: prepare(
        `INSERT INTO fifo_deduplication (queue, dedup_key, message_id, sequence_number, expires_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (queue, dedup_key) DO UPDATE SET message_id = excluded.message_id, sequence_number = excluded.sequence_number, expires_ms = excluded.expires_ms`,
      ),
      nextVisibleAt: prepare('SELECT MIN(visible_at_ms) AS at FROM messages WHERE queue = ? AND visible_at_ms > ?'),
    };
  }

  putQueue(queue: StoredQueue): void {
    this.statements['putQueue']!.run({
      name: queue.name,
      url: queue.url,
      arn: queue.arn,
      attributes: JSON.stringify(queue.attributes),
      created_ms: queue.createdMillis,
      modified_ms: queue.modifiedMillis,
    });
  }

  getQueue(name: string): StoredQueue | undefined {
    const row = this.statements['getQueue']!.get(name) as QueueRow | undefined;
    return row === undefined ? undefined : toQueue(row);
  }

  listQueues(): StoredQueue[] {
    return (this.statements['listQueues']!.all() as QueueRow[]).map(toQueue);
  }

  insert(message: StoredMessage): number {
    const result = this.statements['insert']!.run({
      queue: message.queue,
      message_id: message.messageId,
      body: message.body,
      md5_of_body: message.md5OfBody,
      message_attributes: JSON.stringify(message.messageAttributes),
      system_attributes: JSON.stringify(message.systemAttributes),
      sender_id: message.senderId,
      sent_ms: message.sentMillis,
      visible_at_ms: message.visibleAtMillis,
      receive_count: message.receiveCount,
      first_receive_ms: message.firstReceiveMillis ?? null,
      receipt_handle: message.receiptHandle ?? null,
      dead_letter_source_arn: message.deadLetterSourceArn ?? null,
      message_group_id: message.messageGroupId ?? null,
      message_deduplication_id: message.messageDeduplicationId ?? null,
      sequence_number: message.sequenceNumber ?? null,
    });
    return Number(result.lastInsertRowid);
  }

  setSequenceNumber(messageId: string, sequenceNumber: string): void {
    this.statements['setSequenceNumber']!.run(sequenceNumber, messageId);
  }

  *inOrder(queue: string): IterableIterator<StoredMessage> {
    for (const row of this.statements['inOrder']!.iterate(queue) as IterableIterator<MessageRow>) yield toMessage(row);
  }

  groupsInFlight(queue: string, now: number): string[] {
    return (this.statements['groupsInFlight']!.all(queue, now) as Array<{ grp: string }>).map((row) => row.grp);
  }

  findDuplicate(queue: string, key: string, now: number): DeduplicationRecord | undefined {
    this.statements['dropExpiredDeduplication']!.run(queue, now);
    const row = this.statements['findDuplicate']!.get(queue, key) as { message_id: string; sequence_number: string; expires_ms: number } | undefined;
    return row === undefined ? undefined : { messageId: row.message_id, sequenceNumber: row.sequence_number, expiresAtMillis: row.expires_ms };
  }

  recordDeduplication(queue: string, key: string, record: DeduplicationRecord): void {
    this.statements['recordDeduplication']!.run(queue, key, record.messageId, record.sequenceNumber, record.expiresAtMillis);
  }

  visible(queue: string, nowMs: number, limit: number): StoredMessage[] {
    return (this.statements['visible']!.all(queue, nowMs, limit) as MessageRow[]).map(toMessage);
  }

  getMessage(messageId: string): StoredMessage | undefined {
    const row = this.statements['getMessage']!.get(messageId) as MessageRow | undefined;
    return row === undefined ? undefined : toMessage(row);
  }

  markReceived(
    messageId: string,
    update: { visibleAtMillis: number; receiveCount: number; firstReceiveMillis: number; receiptHandle: string },
  ): void {
    this.statements['markReceived']!.run(update.visibleAtMillis, update.receiveCount, update.firstReceiveMillis, update.receiptHandle, messageId);
  }

  setVisibleAt(messageId: string, visibleAtMillis: number): void {
    this.statements['setVisibleAt']!.run(visibleAtMillis, messageId);
  }

  // A moved message goes to the back of its new queue: a new seq, so delete and insert.
  moveTo(messageId: string, queue: string, nowMs: number, deadLetterSourceArn: string): void {
    this.transaction(() => {
      const row = this.statements['getMessage']!.get(messageId) as MessageRow | undefined;
      if (!row) return;
      this.statements['delete']!.run(messageId);
      this.statements['insert']!.run({ ...row, queue, visible_at_ms: nowMs, receive_count: 0, first_receive_ms: null, receipt_handle: null, dead_letter_source_arn: deadLetterSourceArn });
    });
  }

  delete(messageId: string): void {
    this.statements['delete']!.run(messageId);
  }

  purge(queue: string): number {
    return this.statements['purge']!.run(queue).changes;
  }

  expire(queue: string, sentBefore: number): number {
    return this.statements['expire']!.run(queue, sentBefore).changes;
  }

  counts(queue: string, nowMs: number): MessageCounts {
    const row = this.statements['counts']!.get({ queue, nowMs }) as { visible: number | null; in_flight: number | null; delayed: number | null };
    return { visible: row.visible ?? 0, inFlight: row.in_flight ?? 0, delayed: row.delayed ?? 0 };
  }

  nextVisibleAt(queue: string, nowMs: number): number | undefined {
    const row = this.statements['nextVisibleAt']!.get(queue, nowMs) as { at: number | null };
    return row.at ?? undefined;
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toQueue(row: QueueRow): StoredQueue {
  return {
    name: row.name,
    url: row.url,
    arn: row.arn,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    createdMillis: row.created_ms,
    modifiedMillis: row.modified_ms,
  };
}

function toMessage(row: MessageRow): StoredMessage {
  return {
    queue: row.queue,
    messageId: row.message_id,
    body: row.body,
    md5OfBody: row.md5_of_body,
    messageAttributes: JSON.parse(row.message_attributes) as Record<string, MessageAttributeValue>,
    systemAttributes: JSON.parse(row.system_attributes) as Record<string, MessageAttributeValue>,
    senderId: row.sender_id,
    sentMillis: row.sent_ms,
    visibleAtMillis: row.visible_at_ms,
    receiveCount: row.receive_count,
    firstReceiveMillis: row.first_receive_ms ?? undefined,
    receiptHandle: row.receipt_handle ?? undefined,
    deadLetterSourceArn: row.dead_letter_source_arn ?? undefined,
    messageGroupId: row.message_group_id ?? undefined,
    messageDeduplicationId: row.message_deduplication_id ?? undefined,
    sequenceNumber: row.sequence_number ?? undefined,
  };
}
