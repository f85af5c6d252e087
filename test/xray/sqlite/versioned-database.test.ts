import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { SqliteGroupStorage } from '../../../src/xray/groups/sqlite-groups.ts';
import { SqliteSamplingRuleStorage } from '../../../src/xray/sampling/sqlite-rules.ts';
import { SqliteSettingsStore } from '../../../src/xray/settings/sqlite-settings.ts';
import { SqliteTraceStore } from '../../../src/xray/store/sqlite-store.ts';
import { SqliteMessageStore } from '../../../src/cloud/sqs/sqlite-store.ts';
import { openVersionedDatabase } from '../../../src/common/sqlite/versioned-database.ts';

const root = mkdtempSync(join(tmpdir(), 'xray-versioned-db-'));
let dirs = 0;
const newDir = (): string => join(root, `db-${++dirs}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * A copy of a file the stores wrote at commit 6dd3096, before they shared the opener: one setting,
 * one group and one sampling rule, as in the tests below.
 */
function oldFile(name: string): string {
  const file = join(mkdtempSync(join(root, 'old-')), name);
  copyFileSync(join(import.meta.dirname, 'fixtures', name), file);
  return file;
}

const pragma = (file: string, name: string): unknown => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma(name, { simple: true });
  } finally {
    db.close();
  }
};
const userVersion = (file: string): unknown => pragma(file, 'user_version');

describe('files written before the stores shared the opener', () => {
  test('settings.db opens with its settings, at user_version 1', () => {
    const file = oldFile('settings.db');
    const store = new SqliteSettingsStore({ file });
    expect(store.list('')).toEqual([{ key: 'encryption/config', value: { type: 'NONE' } }]);
    store.put('tags/a', ['x']);
    store.close();
    expect(userVersion(file)).toBe(1);
  });

  test('groups.db opens with its groups, at user_version 1', () => {
    const file = oldFile('groups.db');
    const storage = new SqliteGroupStorage({ file });
    expect(storage.list()).toEqual([
      { name: 'faults', arn: 'arn:aws:xray:us-east-1:000000000000:group/faults/ID1', filterExpression: 'fault', insightsEnabled: true, notificationsEnabled: false },
    ]);
    storage.close();
    expect(userVersion(file)).toBe(1);
  });

  test('sampling-rules.db opens with its rules, at user_version 1', () => {
    const file = oldFile('sampling-rules.db');
    const storage = new SqliteSamplingRuleStorage({ file });
    expect(storage.list()).toEqual([{
      name: 'orders', arn: 'arn:aws:xray:us-east-1:000000000000:sampling-rule/orders', resourceArn: '*', priority: 10, fixedRate: 0.25,
      reservoirSize: 2, serviceName: 'orders-api', serviceType: '*', host: '*', httpMethod: 'GET', urlPath: '/orders/*', version: 1,
      attributes: { tier: 'gold' }, createdAt: 1767268800.5, modifiedAt: 1767268801.25,
    }]);
    storage.close();
    expect(userVersion(file)).toBe(1);
  });

  // Written at commit a215a7f: one trace of one segment, and one queue with one message.
  test('traces.db opens with its trace and its 16 KB pages, at user_version 2', () => {
    const file = oldFile('traces.db');
    const store = new SqliteTraceStore({ file });
    const page = store.getTraceSummaries({ startTime: 0, endTime: 4e9, timeRangeType: 'TraceId', limit: 10 });
    expect(page.summaries.map((summary) => [summary['Id'], summary['Duration'], summary['Revision']])).toEqual([['1-6956a6c0-0123456789abcdef01234567', 0.75, 1]]);
    const [trace] = store.getTraces(['1-6956a6c0-0123456789abcdef01234567']);
    expect(trace?.segments.map((segment) => JSON.parse(segment.document).name)).toEqual(['orders-api']);
    store.close();
    expect(userVersion(file)).toBe(2);
    expect(pragma(file, 'page_size')).toBe(16384);
  });

  test('sqs.db opens with its queue and message, at user_version 0', () => {
    const file = oldFile('sqs.db');
    const store = new SqliteMessageStore(file);
    expect(store.listQueues().map((queue) => [queue.name, queue.attributes])).toEqual([['orders', { VisibilityTimeout: '30' }]]);
    expect(store.getMessage('m-1')).toMatchObject({ queue: 'orders', body: 'hello', messageAttributes: { kind: { dataType: 'String', stringValue: 'order' } }, receiveCount: 0 });
    store.close();
    expect(userVersion(file)).toBe(0);
  });
});

describe('openVersionedDatabase', () => {
  const migrations = ['CREATE TABLE a (x INTEGER) STRICT;', 'CREATE TABLE b (y TEXT) STRICT;'];

  test('creates the folder and a WAL file synced on every commit, with every migration applied', () => {
    const file = join(newDir(), 'nested', 'thing.db');
    const db = openVersionedDatabase(file, { what: 'things', migrations });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['a', 'b']);
    db.close();
  });

  test('applies only the migrations an older file lacks, and leaves a current file alone', () => {
    const file = join(newDir(), 'thing.db');
    openVersionedDatabase(file, { what: 'things', migrations: migrations.slice(0, 1) }).close();
    const db = openVersionedDatabase(file, { what: 'things', migrations });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.prepare('INSERT INTO b (y) VALUES (?)').run('kept');
    db.close();
    const again = openVersionedDatabase(file, { what: 'things', migrations });
    expect(again.prepare('SELECT y FROM b').pluck().all()).toEqual(['kept']);
    again.close();
  });

  test('refuses a file of a newer schema version, naming both, and leaves it as it was', () => {
    const file = join(newDir(), 'thing.db');
    openVersionedDatabase(file, { what: 'things', migrations }).close();
    expect(() => openVersionedDatabase(file, { what: 'things', migrations: migrations.slice(0, 1) }))
      .toThrow(`${file}: things schema version 2 is not the supported version 1; move the file away to start anew`);
    expect(userVersion(file)).toBe(2);
  });

  test('takes the page size and sync level asked for, and runs a migration given as a function in the same transaction', () => {
    const file = join(newDir(), 'thing.db');
    const db = openVersionedDatabase(file, {
      what: 'things',
      migrations: [migrations[0]!, (db) => db.prepare('INSERT INTO a (x) VALUES (?)').run(42)],
      synchronous: 'NORMAL',
      pageSizeBytes: 16384,
    });
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('page_size', { simple: true })).toBe(16384);
    expect(db.prepare('SELECT x FROM a').pluck().all()).toEqual([42]);
    db.close();
    expect(userVersion(file)).toBe(2);
  });

  test('a function migration that throws leaves the file at its old version, unchanged', () => {
    const file = join(newDir(), 'thing.db');
    openVersionedDatabase(file, { what: 'things', migrations: migrations.slice(0, 1) }).close();
    const failing = (db: Database.Database): void => {
      db.exec('CREATE TABLE c (z INTEGER)');
      throw new Error('backfill failed');
    };
    expect(() => openVersionedDatabase(file, { what: 'things', migrations: [migrations[0]!, failing] })).toThrow('backfill failed');
    expect(userVersion(file)).toBe(1);
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['a']);
    db.close();
  });
});
