import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { openVersionedDatabase } from '../../../src/common/sqlite/versioned-database.ts';
import { userVersion } from '../../support/sqlite-user-version.ts';

const root = mkdtempSync(join(tmpdir(), 'versioned-db-'));
let dirs = 0;
const newDir = (): string => join(root, `db-${++dirs}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

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
