import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { DynaliteEngine } from '../../../src/cloud/dynamodb/engine.ts';

const TARGET = 'DynamoDB_20120810.';
let engine: DynaliteEngine | undefined;

afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

describe('DynaliteEngine', () => {
  test.skipIf(process.platform === 'win32')('listens on a Unix socket in a private folder, no TCP port, and removes it on stop', async () => {
    engine = new DynaliteEngine();
    await engine.start();
    const socket = engine.address ?? '';
    expect(socket).toMatch(/dynalite\.sock$/);
    expect(statSync(socket).isSocket()).toBe(true);
    // Only this user may reach the socket: the folder is 0700.
    expect(statSync(dirname(socket)).mode & 0o777).toBe(0o700);
    await engine.stop();
    engine = undefined;
    expect(existsSync(dirname(socket))).toBe(false);
  });

  test('serves requests forwarded to it, without dynalite\'s CORS headers', async () => {
    engine = new DynaliteEngine();
    await engine.start();
    const created = await engine.forward(`${TARGET}CreateTable`, JSON.stringify({
      TableName: 'Hits',
      KeySchema: [{ AttributeName: 'path', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'path', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    expect(created.status).toBe(200);
    const put = await engine.forward(`${TARGET}PutItem`, JSON.stringify({ TableName: 'Hits', Item: { path: { S: '/a' } } }));
    expect(put.status).toBe(200);
    const got = await engine.forward(`${TARGET}GetItem`, JSON.stringify({ TableName: 'Hits', Key: { path: { S: '/a' } } }));
    expect(JSON.parse(got.body.toString())).toEqual({ Item: { path: { S: '/a' } } });
    expect(Object.keys(got.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});
