import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { MemorySettingsStore, SqliteSettingsStore, type SettingsStore } from '../../../src/xray/settings/index.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function sqliteFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'xray-settings-'));
  dirs.push(dir);
  return path.join(dir, 'settings.db');
}

describe.each([
  ['memory', () => new MemorySettingsStore()],
  ['sqlite', () => new SqliteSettingsStore({ file: sqliteFile() })],
] as Array<[string, () => SettingsStore]>)('%s settings store', (_kind, open) => {
  test('get, put, delete, and list by prefix in key order (% and _ are not wildcards)', () => {
    const store = open();
    store.put('tags/b', [1]);
    store.put('tags/a', { x: 'y' });
    store.put('tagsX', 1);
    store.put('t%gs/c', 2);
    expect(store.get('tags/a')).toEqual({ x: 'y' });
    expect(store.list('tags/')).toEqual([{ key: 'tags/a', value: { x: 'y' } }, { key: 'tags/b', value: [1] }]);
    expect(store.list('t_gs/')).toEqual([]);
    expect(store.delete('tags/a')).toBe(true);
    expect(store.delete('tags/a')).toBe(false);
    expect(store.get('tags/a')).toBeUndefined();
    store.close();
  });

  test('a transaction that throws changes nothing', () => {
    const store = open();
    store.put('k', 1);
    expect(() => store.transaction(() => {
      store.put('k', 2);
      store.put('other', 3);
      throw new Error('refused');
    })).toThrow('refused');
    expect(store.get('k')).toBe(1);
    expect(store.get('other')).toBeUndefined();
    store.close();
  });
});

test('the SQLite store keeps its values across a reopen', () => {
  const file = sqliteFile();
  const first = new SqliteSettingsStore({ file });
  first.put('encryption/config', { type: 'KMS' });
  first.close();
  const second = new SqliteSettingsStore({ file });
  expect(second.get('encryption/config')).toEqual({ type: 'KMS' });
  second.close();
});
