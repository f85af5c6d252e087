import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { SqliteGroupStorage } from '../../../src/xray/groups/sqlite-groups.ts';
import { SqliteSamplingRuleStorage } from '../../../src/xray/sampling/sqlite-rules.ts';
import { SqliteSettingsStore } from '../../../src/xray/settings/sqlite-settings.ts';
import { SqliteTraceStore } from '../../../src/xray/store/sqlite-store.ts';
import { apiPage } from '../store/api-page.ts';

const root = mkdtempSync(join(tmpdir(), 'xray-versioned-db-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * A copy of a file a store wrote before it shared the opener (settings, groups and sampling rules at
 * commit 6dd3096, traces at a215a7f), with the data the tests below read back.
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

  test('sampling-rules.db opens with its rules, migrated to user_version 2, and takes a SamplingRateBoost', () => {
    const file = oldFile('sampling-rules.db');
    const storage = new SqliteSamplingRuleStorage({ file });
    expect(storage.list()).toEqual([{
      name: 'orders', arn: 'arn:aws:xray:us-east-1:000000000000:sampling-rule/orders', resourceArn: '*', priority: 10, fixedRate: 0.25,
      reservoirSize: 2, serviceName: 'orders-api', serviceType: '*', host: '*', httpMethod: 'GET', urlPath: '/orders/*', version: 1,
      attributes: { tier: 'gold' }, createdAt: 1767268800.5, modifiedAt: 1767268801.25,
    }]);
    const boosted = { ...storage.list()[0]!, samplingRateBoost: { maxRate: 0.5, cooldownWindowMinutes: 1 } };
    expect(storage.replace(boosted)).toBe(true);
    storage.close();
    expect(userVersion(file)).toBe(2);
    const reopened = new SqliteSamplingRuleStorage({ file });
    expect(reopened.list()).toEqual([boosted]);
    reopened.close();
  });

  // Written at commit a215a7f, before the trace store shared the opener: one trace of one segment.
  test('traces.db opens with its trace and its 16 KB pages, at user_version 2', () => {
    const file = oldFile('traces.db');
    const store = new SqliteTraceStore({ file });
    const page = apiPage(store.getTraceSummaries({ startTime: 0, endTime: 4e9, timeRangeType: 'TraceId', limit: 10 }));
    expect(page.summaries.map((summary) => [summary['Id'], summary['Duration'], summary['Revision']])).toEqual([['1-6956a6c0-0123456789abcdef01234567', 0.75, 1]]);
    const [trace] = store.getTraces(['1-6956a6c0-0123456789abcdef01234567']);
    expect(trace?.segments.map((segment) => JSON.parse(segment.document).name)).toEqual(['orders-api']);
    store.close();
    expect(userVersion(file)).toBe(2);
    expect(pragma(file, 'page_size')).toBe(16384);
  });
});
