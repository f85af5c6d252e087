import { describe, expect, test } from 'vitest';
import type { Logger } from '../../src/xray/log/logger.ts';
import { RetentionSweeper } from '../../src/xray/retention.ts';
import { validateDocument } from '../../src/xray/segments/validate.ts';
import { MemoryTraceStore } from '../../src/xray/store/index.ts';
import type { SegmentRecord } from '../../src/xray/store/index.ts';
import { newTraceId, segment } from './support/documents.ts';

const DAY = 24 * 60 * 60;
const NOW = 1_750_000_000;

function record(start: number): SegmentRecord {
  const result = validateDocument(JSON.stringify(segment(newTraceId(start), start)));
  if (!result.ok) throw new Error(result.message);
  return result.record;
}

describe('RetentionSweeper', () => {
  test('deletes traces older than the retention at start and on every sweep', async () => {
    const lines: string[] = [];
    const logger: Logger = { info: (line) => lines.push(line), warn: () => {}, error: () => {} };
    let clock = NOW * 1000;
    const store = new MemoryTraceStore({ nowSeconds: () => clock / 1000 });
    const old = record(NOW - 31 * DAY);
    const recent = record(NOW - 29 * DAY);
    store.write([old, recent]);

    const sweeper = new RetentionSweeper({ store, retentionDays: 30, logger, nowMs: () => clock });
    expect(store.getTraces([old.traceId, recent.traceId]).map((t) => t.id)).toEqual([recent.traceId]);

    clock += 2 * DAY * 1000;
    expect(await sweeper.sweep()).toBe(1);
    expect(store.getTraces([recent.traceId])).toEqual([]);
    expect(await sweeper.sweep()).toBe(0);
    expect(lines).toEqual(['xray retention: deleted 1 trace older than 30 days', 'xray retention: deleted 1 trace older than 30 days']);
    await sweeper.shutdown();
  });

  test('a sweep that fails is logged, not thrown, and an asynchronous store is awaited', async () => {
    const errors: string[] = [];
    const logger: Logger = { info: () => {}, warn: () => {}, error: (line) => errors.push(line) };
    const cutoffs: number[] = [];
    let fail = true;
    const store = {
      deleteTracesBefore: async (epochSeconds: number): Promise<number> => {
        cutoffs.push(epochSeconds);
        if (fail) throw new Error('database is locked');
        return 3;
      },
    };
    const sweeper = new RetentionSweeper({ store, retentionDays: 1, logger, nowMs: () => NOW * 1000 });
    await sweeper.shutdown();
    expect(errors).toEqual(['xray retention: sweep failed: database is locked']);
    fail = false;
    expect(await sweeper.sweep()).toBe(3);
    expect(cutoffs).toEqual([NOW - DAY, NOW - DAY]);
  });

  test('refuses a retention that is not positive', () => {
    const store = new MemoryTraceStore();
    expect(() => new RetentionSweeper({ store, retentionDays: 0, logger: console })).toThrow('retention days must be a number > 0, got 0');
  });
});
