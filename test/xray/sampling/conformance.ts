/** The sampling rule storage contract as tests, registered once per implementation. */
import { afterEach, describe, expect, test } from 'vitest';
import { DuplicateSamplingRuleError, type SamplingRuleRecord, type SamplingRuleStorage } from '../../../src/xray/sampling/index.ts';

const record = (name: string, extra: Partial<SamplingRuleRecord> = {}): SamplingRuleRecord => ({
  name,
  arn: `arn:aws:xray:us-east-1:000000000000:sampling-rule/${name}`,
  resourceArn: '*',
  priority: 100,
  fixedRate: 0.05,
  reservoirSize: 1,
  serviceName: 'checkout',
  serviceType: '*',
  host: '*',
  httpMethod: 'GET',
  urlPath: `/${name}/*`,
  version: 1,
  attributes: {},
  createdAt: 1_750_000_000.125,
  modifiedAt: 1_750_000_010.5,
  ...extra,
});

export function registerSamplingRuleStorageConformance(implementation: string, factory: () => SamplingRuleStorage): void {
  describe(`${implementation} conforms to the sampling rule storage contract`, () => {
    const open: SamplingRuleStorage[] = [];
    const newStorage = (): SamplingRuleStorage => {
      const storage = factory();
      open.push(storage);
      return storage;
    };
    afterEach(() => {
      for (const storage of open.splice(0)) storage.close();
    });

    test('inserts, gets and lists by name, in code unit order', () => {
      const storage = newStorage();
      for (const name of ['slow', 'Health', 'api-errors', 'b_2']) storage.insert(record(name));
      expect(storage.list().map((r) => r.name)).toEqual(['Health', 'api-errors', 'b_2', 'slow']);
      expect(storage.get('slow')).toEqual(record('slow'));
      expect(storage.get('SLOW')).toBeUndefined();
    });

    test('keeps every field as given: fractions of rates and times, attributes, whole numbers', () => {
      const storage = newStorage();
      const rule = record('all', {
        resourceArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders', priority: 9999, fixedRate: 0.333, reservoirSize: 2_147_483_647,
        serviceType: 'AWS::Lambda::Function', host: 'api.example.com', httpMethod: 'DELETE', attributes: { tier: 'gold', region: 'eu' },
        createdAt: 0, modifiedAt: 1_750_000_000.999,
      });
      storage.insert(rule);
      expect(storage.get('all')).toEqual(rule);
      expect(storage.list()).toEqual([rule]);
    });

    test('keeps a SamplingRateBoost, replaces it, and gives none for a rule without one', () => {
      const storage = newStorage();
      const boosted = record('boosted', { samplingRateBoost: { maxRate: 0.125, cooldownWindowMinutes: 15 } });
      storage.insert(boosted);
      storage.insert(record('plain'));
      expect(storage.get('boosted')).toEqual(boosted);
      expect(storage.get('plain')).not.toHaveProperty('samplingRateBoost');
      const changed = { ...boosted, samplingRateBoost: { maxRate: 1, cooldownWindowMinutes: 0 } };
      expect(storage.replace(changed)).toBe(true);
      expect(storage.list()).toEqual([changed, record('plain')]);
    });

    test('a duplicate name or ARN is refused and changes nothing', () => {
      const storage = newStorage();
      storage.insert(record('a'));
      expect(() => storage.insert(record('a', { arn: 'arn:other' }))).toThrow(DuplicateSamplingRuleError);
      expect(() => storage.insert(record('b', { arn: record('a').arn }))).toThrow(DuplicateSamplingRuleError);
      expect(storage.list()).toEqual([record('a')]);
    });

    test('replace changes a known rule only; delete says whether there was one', () => {
      const storage = newStorage();
      storage.insert(record('a'));
      expect(storage.replace(record('a', { fixedRate: 0, attributes: { k: 'v' }, modifiedAt: 1_750_000_100 }))).toBe(true);
      expect(storage.get('a')).toMatchObject({ fixedRate: 0, attributes: { k: 'v' }, modifiedAt: 1_750_000_100 });
      expect(storage.replace(record('nope'))).toBe(false);
      expect(storage.get('nope')).toBeUndefined();
      expect(storage.delete('a')).toBe(true);
      expect(storage.delete('a')).toBe(false);
      expect(storage.list()).toEqual([]);
    });

    test('a record changed by its caller afterwards stays as stored', () => {
      const storage = newStorage();
      const attributes: Record<string, string> = { k: 'v' };
      storage.insert(record('a', { attributes }));
      attributes.k = 'changed';
      expect(storage.get('a')?.attributes).toEqual({ k: 'v' });
    });

    test('names and match fields are kept byte for byte, hostile ones included', () => {
      const storage = newStorage();
      const path = "/q?'; DROP TABLE sampling_rules; --%_\\ zoë 🚀";
      storage.insert(record('x"; --', { urlPath: path, attributes: { '"k"': "'v'" } }));
      expect(storage.get('x"; --')).toMatchObject({ urlPath: path, attributes: { '"k"': "'v'" } });
      expect(storage.list()).toHaveLength(1);
    });
  });
}
