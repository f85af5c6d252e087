/** The group storage contract as tests, registered once per implementation. */
import { afterEach, describe, expect, test } from 'vitest';
import { DuplicateGroupError, type GroupRecord, type GroupStorage } from '../../../src/xray/groups/index.ts';

const record = (name: string, extra: Partial<GroupRecord> = {}): GroupRecord => ({
  name,
  arn: `arn:aws:xray:us-east-1:000000000000:group/${name}/ID${name.toUpperCase()}`,
  filterExpression: `annotation.flow = "${name}"`,
  insightsEnabled: false,
  notificationsEnabled: false,
  ...extra,
});

export function registerGroupStorageConformance(implementation: string, factory: () => GroupStorage): void {
  describe(`${implementation} conforms to the group storage contract`, () => {
    const open: GroupStorage[] = [];
    const newStorage = (): GroupStorage => {
      const storage = factory();
      open.push(storage);
      return storage;
    };
    afterEach(() => {
      for (const storage of open.splice(0)) storage.close();
    });

    test('inserts, gets and lists by name, in code unit order', () => {
      const storage = newStorage();
      for (const name of ['slow', 'Faults', 'api-errors', 'b_2']) storage.insert(record(name));
      expect(storage.list().map((g) => g.name)).toEqual(['Faults', 'api-errors', 'b_2', 'slow']);
      expect(storage.get('slow')).toEqual(record('slow'));
      expect(storage.get('SLOW')).toBeUndefined();
    });

    test('keeps a group without filter and the insights flags as given', () => {
      const storage = newStorage();
      const group = record('all', { filterExpression: undefined, insightsEnabled: true, notificationsEnabled: true });
      storage.insert(group);
      expect(storage.get('all')).toEqual(group);
    });

    test('a duplicate name or ARN is refused and changes nothing', () => {
      const storage = newStorage();
      storage.insert(record('a'));
      expect(() => storage.insert(record('a', { arn: 'arn:other' }))).toThrow(DuplicateGroupError);
      expect(() => storage.insert(record('b', { arn: record('a').arn }))).toThrow(DuplicateGroupError);
      expect(storage.list()).toEqual([record('a')]);
    });

    test('replace changes a known group only; delete says whether there was one', () => {
      const storage = newStorage();
      storage.insert(record('a'));
      expect(storage.replace(record('a', { filterExpression: 'fault' }))).toBe(true);
      expect(storage.get('a')?.filterExpression).toBe('fault');
      expect(storage.replace(record('nope'))).toBe(false);
      expect(storage.get('nope')).toBeUndefined();
      expect(storage.delete('a')).toBe(true);
      expect(storage.delete('a')).toBe(false);
      expect(storage.list()).toEqual([]);
    });

    test('names and filters are kept byte for byte, hostile ones included', () => {
      const storage = newStorage();
      const filter = 'annotation.q = "\'; DROP TABLE groups; --" AND user CONTAINS "%_\\\\ zoë 🚀"';
      storage.insert(record('x', { filterExpression: filter }));
      expect(storage.get('x')?.filterExpression).toBe(filter);
      expect(storage.list()).toHaveLength(1);
    });
  });
}
