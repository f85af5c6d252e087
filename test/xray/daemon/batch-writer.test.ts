import { afterEach, describe, expect, test, vi } from 'vitest';
import { BatchWriter } from '../../../src/xray/daemon/batch-writer.ts';
import type { Logger } from '../../../src/xray/log.ts';
import type { SegmentRecord, TraceWriter } from '../../../src/xray/store/types.ts';

/** Records each batch the writer hands over, to check how records are grouped. */
class RecordingWriter implements TraceWriter {
  readonly batches: string[][] = [];
  failNext = false;
  write(records: ReadonlyArray<SegmentRecord>): void {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database is locked');
    }
    this.batches.push(records.map((record) => record.id));
  }
  refreshSummaries(): void {}
  deleteTracesBefore(): number {
    return 0;
  }
}

function record(n: number): SegmentRecord {
  const id = n.toString(16).padStart(16, '0');
  return {
    traceId: '1-5759e988-bd862e3fe1be46a994272793',
    id,
    parentId: undefined,
    type: 'segment',
    name: 'svc',
    startTime: 1,
    endTime: 2,
    inProgress: false,
    document: JSON.stringify({ id }),
  };
}

const errors: string[] = [];
const logger: Logger = { info: () => {}, warn: () => {}, error: (line) => errors.push(line) };

afterEach(() => vi.useRealTimers());

describe('BatchWriter', () => {
  test('writes a batch as soon as it is full', () => {
    const writer = new RecordingWriter();
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 3, flushIntervalMillis: 60_000 });
    for (let i = 0; i < 7; i++) batches.add(record(i));
    expect(writer.batches.map((batch) => batch.length)).toEqual([3, 3]);
    expect(batches.stats()).toEqual({ written: 6, failed: 0, dropped: 0, pending: 1 });
  });

  test('writes a partial batch after the flush interval', () => {
    vi.useFakeTimers();
    const writer = new RecordingWriter();
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 100, flushIntervalMillis: 50 });
    batches.add(record(1));
    vi.advanceTimersByTime(30);
    batches.add(record(2));
    expect(writer.batches).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(writer.batches).toEqual([[record(1).id, record(2).id]]);
  });

  test('shutdown writes what is pending and refuses more', async () => {
    const writer = new RecordingWriter();
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 100, flushIntervalMillis: 60_000 });
    batches.add(record(1));
    await batches.shutdown();
    expect(writer.batches).toEqual([[record(1).id]]);
    expect(() => batches.add(record(2))).toThrow('batch writer is shut down');
  });

  test('a failing write is counted and logged, and later batches still go through', () => {
    const writer = new RecordingWriter();
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 2, flushIntervalMillis: 60_000 });
    writer.failNext = true;
    for (let i = 0; i < 4; i++) batches.add(record(i));
    expect(batches.stats()).toEqual({ written: 2, failed: 2, dropped: 0, pending: 0 });
    expect(errors.at(-1)).toBe('xray daemon: could not store 2 documents: database is locked');
  });

  test('with an asynchronous writer, a few batches are in flight and the rest wait their turn', async () => {
    const started: string[][] = [];
    const finish: Array<() => void> = [];
    const writer = {
      write: (records: ReadonlyArray<SegmentRecord>): Promise<void> => {
        started.push(records.map((r) => r.id));
        return new Promise((resolve) => finish.push(resolve));
      },
    };
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 2, flushIntervalMillis: 60_000, maxWritesInFlight: 2 });
    for (let i = 0; i < 9; i++) batches.add(record(i));
    expect(started.map((b) => b.length)).toEqual([2, 2]);
    expect(batches.stats()).toEqual({ written: 0, failed: 0, dropped: 0, pending: 9 });

    finish.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    // A freed slot takes the next batch at once, still no bigger than maxBatchSize.
    expect(started.map((b) => b.length)).toEqual([2, 2, 2]);
    expect(batches.stats()).toMatchObject({ written: 2, pending: 7 });

    const done = batches.shutdown();
    for (let i = 0; i < 10 && finish.length > 0; i++) {
      finish.splice(0).forEach((resolve) => resolve());
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect(started.flat()).toEqual(Array.from({ length: 9 }, (_, i) => record(i).id));
    expect(batches.stats()).toEqual({ written: 9, failed: 0, dropped: 0, pending: 0 });
  });

  test('a rejected asynchronous write is counted as failed', async () => {
    const writer = { write: (): Promise<void> => Promise.reject(new Error('disk full')) };
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 3, flushIntervalMillis: 60_000 });
    for (let i = 0; i < 3; i++) batches.add(record(i));
    await batches.shutdown();
    expect(batches.stats()).toEqual({ written: 0, failed: 3, dropped: 0, pending: 0 });
    expect(errors.at(-1)).toBe('xray daemon: could not store 3 documents: disk full');
  });

  test('past the pending limit new records are dropped and counted, not buffered without bound', () => {
    const writer = { write: (): Promise<void> => new Promise(() => {}) };
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 2, flushIntervalMillis: 60_000, maxWritesInFlight: 1, maxPendingRecords: 5 });
    for (let i = 0; i < 8; i++) batches.add(record(i));
    expect(batches.stats()).toEqual({ written: 0, failed: 0, dropped: 3, pending: 5 });
  });

  test('rejects nonsense settings', () => {
    const writer = new RecordingWriter();
    expect(() => new BatchWriter({ writer, logger, maxBatchSize: 0 })).toThrow('maxBatchSize must be at least 1, got 0');
  });
});
