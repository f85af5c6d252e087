import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionLogs } from '../../../src/cloud/lambda/logs.ts';
import { capturingLogger } from './support.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'function-logs-'));

afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

describe('FunctionLogs', () => {
  it('hands each line to the logger at once and appends every line to the file in order, across turns and up to stop', async () => {
    const file = join(ROOT, 'logs', 'functions.log');
    const { lines, logger } = capturingLogger();
    const logs = new FunctionLogs(logger, file, () => Date.UTC(2026, 0, 1));
    logs.start();
    logs.line('fn', '1-00000000-000000000000000000000001', 'START RequestId: a');
    expect(lines).toEqual(['[fn 1-00000000-000000000000000000000001] START RequestId: a']);
    logs.line('fn', undefined, 'warned', 'stderr');
    await new Promise((resolve) => setImmediate(resolve));
    logs.line('fn', undefined, 'END RequestId: a');
    logs.line('other', undefined, 'last before stop');
    await logs.stop();
    logs.line('fn', undefined, 'after stop: logger only');
    expect(readFileSync(file, 'utf8')).toBe([
      '2026-01-01T00:00:00.000Z [fn 1-00000000-000000000000000000000001] START RequestId: a',
      '2026-01-01T00:00:00.000Z [fn -] warned',
      '2026-01-01T00:00:00.000Z [fn -] END RequestId: a',
      '2026-01-01T00:00:00.000Z [other -] last before stop',
      '',
    ].join('\n'));
    expect(lines).toHaveLength(5);
  });
});
