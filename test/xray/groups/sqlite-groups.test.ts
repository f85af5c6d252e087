import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { Groups, SqliteGroupStorage } from '../../../src/xray/groups/index.ts';
import { GROUPS_SCHEMA_VERSION } from '../../../src/xray/groups/sqlite-groups.ts';
import { registerGroupStorageConformance } from './conformance.ts';

const root = mkdtempSync(join(tmpdir(), 'xray-groups-'));
let files = 0;
const newFile = (): string => join(root, `groups-${++files}`, 'groups.db');
afterAll(() => rmSync(root, { recursive: true, force: true }));

registerGroupStorageConformance('SqliteGroupStorage', () => new SqliteGroupStorage({ file: newFile() }));

describe('SqliteGroupStorage on disk', () => {
  test('groups survive a restart, Default settings included', () => {
    const file = newFile();
    let ids = 0;
    const open = (): Groups => new Groups({ storage: new SqliteGroupStorage({ file }), newId: () => `ID${++ids}` });
    const first = open();
    first.create('faults', { filterExpression: 'fault' });
    first.create('slow', { filterExpression: 'responsetime > 2', insightsEnabled: true });
    first.update({ name: 'Default' }, { insightsEnabled: true });
    const before = first.list();
    first.close();

    const second = open();
    expect(second.list()).toEqual(before);
    expect(second.get({ name: 'faults' }).arn).toBe('arn:aws:xray:us-east-1:000000000000:group/faults/ID1');
    expect(second.get({ name: 'Default' }).insightsEnabled).toBe(true);
    second.close();
  });

  test('refuses a file of another schema version', () => {
    const file = newFile();
    new SqliteGroupStorage({ file }).close();
    const db = new Database(file);
    db.pragma(`user_version = ${GROUPS_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new SqliteGroupStorage({ file })).toThrow(/groups schema version 2 is not the supported version 1/);
  });
});
