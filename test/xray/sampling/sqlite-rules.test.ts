import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { SamplingRules, SqliteSamplingRuleStorage } from '../../../src/xray/sampling/index.ts';
import { SAMPLING_RULES_SCHEMA_VERSION } from '../../../src/xray/sampling/sqlite-rules.ts';
import { registerSamplingRuleStorageConformance } from './conformance.ts';
import { newRule } from './support.ts';

const root = mkdtempSync(join(tmpdir(), 'xray-sampling-'));
let files = 0;
const newFile = (): string => join(root, `rules-${++files}`, 'sampling-rules.db');
afterAll(() => rmSync(root, { recursive: true, force: true }));

registerSamplingRuleStorageConformance('SqliteSamplingRuleStorage', () => new SqliteSamplingRuleStorage({ file: newFile() }));

describe('SqliteSamplingRuleStorage on disk', () => {
  test('rules survive a restart, Default settings included', () => {
    const file = newFile();
    let clock = 1_750_000_000;
    const open = (): SamplingRules => new SamplingRules({ storage: new SqliteSamplingRuleStorage({ file }), defaults: { fixedRate: 1, reservoirSize: 1 }, nowSeconds: () => clock });
    const first = open();
    first.create(newRule('health', { urlPath: '/health', fixedRate: 0, reservoirSize: 0 }));
    first.create(newRule('orders', { priority: 20, attributes: { tier: 'gold' } }));
    clock += 5;
    first.update({ name: 'Default' }, { fixedRate: 0.1 });
    const before = first.list();
    first.close();

    clock += 60;
    const second = open();
    expect(second.list()).toEqual(before);
    expect(second.get({ name: 'Default' })).toMatchObject({ fixedRate: 0.1, reservoirSize: 1, modifiedAt: 1_750_000_005 });
    expect(second.get({ arn: 'arn:aws:xray:us-east-1:000000000000:sampling-rule/orders' }).attributes).toEqual({ tier: 'gold' });
    second.close();
  });

  test('refuses a file of another schema version', () => {
    const file = newFile();
    new SqliteSamplingRuleStorage({ file }).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SAMPLING_RULES_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new SqliteSamplingRuleStorage({ file })).toThrow(/sampling rules schema version 3 is not the supported version 2/);
  });
});
