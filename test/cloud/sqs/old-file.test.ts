import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { SqliteMessageStore } from '../../../src/cloud/sqs/sqlite-store.ts';
import { userVersion } from '../../support/sqlite-user-version.ts';

const root = mkdtempSync(join(tmpdir(), 'sqs-old-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a file written before the SQS store shared the versioned opener', () => {
  // Written at commit a215a7f: one queue with one message.
  test('sqs.db opens with its queue and message, migrated to user_version 1 (FIFO columns)', () => {
    const file = join(mkdtempSync(join(root, 'old-')), 'sqs.db');
    copyFileSync(join(import.meta.dirname, 'fixtures', 'sqs.db'), file);
    const store = new SqliteMessageStore(file);
    expect(store.listQueues().map((queue) => [queue.name, queue.attributes])).toEqual([['orders', { VisibilityTimeout: '30' }]]);
    expect(store.getMessage('m-1')).toMatchObject({ queue: 'orders', body: 'hello', messageAttributes: { kind: { dataType: 'String', stringValue: 'order' } }, receiveCount: 0 });
    expect(store.getMessage('m-1')?.messageGroupId).toBeUndefined();
    expect(store.findDuplicate('orders', 'any', 0)).toBeUndefined();
    store.close();
    expect(userVersion(file)).toBe(1);
  });
});
