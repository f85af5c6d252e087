import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { SqliteSamplingRuleStorage } from '../../../src/xray/sampling/index.ts';
import { SAMPLING_RULES_SCHEMA_VERSION } from '../../../src/xray/sampling/sqlite-rules.ts';
import { registerSamplingRuleStorageConformance } from './conformance.ts';

const root = mkdtempSync(join(tmpdir(), 'xray-sampling-'));
let files = 0;
const newFile = (): string => join(root, `rules-${++files}`, 'sampling-rules.db');
afterAll(() => rmSync(root, { recursive: true, force: true }));

registerSamplingRuleStorageConformance('SqliteSamplingRuleStorage', () => new SqliteSamplingRuleStorage({ file: newFile() }));

describe('SqliteSamplingRuleStorage on disk', () => {
  test('refuses a file of another schema version', () => {
    const file = newFile();
    new SqliteSamplingRuleStorage({ file }).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SAMPLING_RULES_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new SqliteSamplingRuleStorage({ file })).toThrow(/sampling rules schema version 2 is not the supported version 1/);
  });
});
