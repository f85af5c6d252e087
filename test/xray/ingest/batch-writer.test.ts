import { afterEach, describe, expect, test, vi } from 'vitest';
import { BatchWriter, StoreBusyError } from '../../../src/xray/ingest/batch-writer.ts';
import { HeldWriter } from '../support/held-writer.ts';
import type { Logger } from '../../../src/xray/log/logger.ts';
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
const warnings: string[] = [];
const logger: Logger = { info: () => {}, warn: (line) => warnings.push(line), error: (line) => errors.push(line) };

/** Lets settled promises run their callbacks; no time passes. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(() => vi.useRealTimers());

describe('BatchWriter', () => {
  test('writes a batch as soon as it is full', () => {
    const writer = new RecordingWriter();
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 3, flushIntervalMs: 60_000 });
    for (let i = 0; i < 7; i++) batches.add(record(i));
    expect(writer.batches.map((batch) => batch.length)).toEqual([3, 3]);
    expect(batches.stats()).toEqual({ written: 6, failed: 0, dropped: 0, refused: 0, pending: 1 });
  });

  test('writes a partial batch after the flush interval', () => {
    vi.useFakeTimers();
    const writer = new RecordingWriter();
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 100, flushIntervalMs: 50 });
    batches.add(record(1));
    vi.advanceTimersByTime(30);
    batches.add(record(2));
    expect(writer.batches).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(writer.batches).toEqual([[record(1).id, record(2).id]]);
  });

  test('shutdown writes what is pending and refuses more', async () => {
    const writer = new RecordingWriter();
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 100, flushIntervalMs: 60_000 });
    batches.add(record(1));
    await batches.shutdown();
    expect(writer.batches).toEqual([[record(1).id]]);
    expect(() => batches.add(record(2))).toThrow('batch writer is shut down');
  });

  test('a failing write is counted and logged, and later batches still go through', () => {
    const writer = new RecordingWriter();
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 2, flushIntervalMs: 60_000 });
    writer.failNext = true;
    for (let i = 0; i < 4; i++) batches.add(record(i));
    expect(batches.stats()).toEqual({ written: 2, failed: 2, dropped: 0, refused: 0, pending: 0 });
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
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 2, flushIntervalMs: 60_000, maxWritesInFlight: 2 });
    for (let i = 0; i < 9; i++) batches.add(record(i));
    expect(started.map((b) => b.length)).toEqual([2, 2]);
    expect(batches.stats()).toEqual({ written: 0, failed: 0, dropped: 0, refused: 0, pending: 9 });

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
    expect(batches.stats()).toEqual({ written: 9, failed: 0, dropped: 0, refused: 0, pending: 0 });
  });

  test('a rejected asynchronous write is counted as failed', async () => {
    const writer = { write: (): Promise<void> => Promise.reject(new Error('disk full')) };
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 3, flushIntervalMs: 60_000 });
    for (let i = 0; i < 3; i++) batches.add(record(i));
    await batches.shutdown();
    expect(batches.stats()).toEqual({ written: 0, failed: 3, dropped: 0, refused: 0, pending: 0 });
    expect(errors.at(-1)).toBe('xray daemon: could not store 3 documents: disk full');
  });

  test('past the pending limit new records are dropped and counted, not buffered without bound', () => {
    const writer = { write: (): Promise<void> => new Promise(() => {}) };
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 2, flushIntervalMs: 60_000, maxWritesInFlight: 1, maxPendingRecords: 5 });
    for (let i = 0; i < 8; i++) batches.add(record(i));
    expect(batches.stats()).toEqual({ written: 0, failed: 0, dropped: 3, refused: 0, pending: 5 });
  });

  test('rejects nonsense settings', () => {
    const writer = new RecordingWriter();
    expect(() => new BatchWriter({ writer, logger, maxBatchSize: 0 })).toThrow('maxBatchSize must be at least 1, got 0');
  });
});

describe('BatchWriter.commit: for senders that answer only once their documents are committed', () => {
  test('resolves only when the write holding its records is committed, and at once (no flush interval)', async () => {
    const writer = new HeldWriter();
    const batches = new BatchWriter({ writer, logger, flushIntervalMs: 60_000 });
    let committed = false;
    const commit = batches.commit([record(1), record(2)]).then(() => (committed = true));
    const write = await writer.nextWrite();
    expect(write.ids).toEqual([record(1).id, record(2).id]);
    await settle();
    expect(committed).toBe(false);
    write.commit();
    await commit;
    expect(committed).toBe(true);
    expect(batches.stats()).toEqual({ written: 2, failed: 0, dropped: 0, refused: 0, pending: 0 });
  });

  test('records waiting behind writes in flight go out together and each caller hears of its own', async () => {
    const writer = new HeldWriter();
    const batches = new BatchWriter({ writer, logger, flushIntervalMs: 60_000, maxWritesInFlight: 1 });
    const first = batches.commit([record(1)]);
    const firstWrite = await writer.nextWrite();
    const done: number[] = [];
    const second = batches.commit([record(2)]).then(() => done.push(2));
    const third = batches.commit([record(3), record(4)]).then(() => done.push(3));
    firstWrite.commit();
    await first;
    const groupWrite = await writer.nextWrite();
    expect(groupWrite.ids).toEqual([record(2).id, record(3).id, record(4).id]);
    await settle();
    expect(done).toEqual([]);
    groupWrite.commit();
    await Promise.all([second, third]);
    expect(done).toEqual([2, 3]);
  });

  test('with the writer stalled and the queue full, a commit is refused whole at once with a retryable error', async () => {
    const writer = new HeldWriter();
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 2, flushIntervalMs: 60_000, maxWritesInFlight: 1, maxPendingRecords: 3 });
    const inFlight = batches.commit([record(1), record(2)]);
    const write = await writer.nextWrite();
    const refused = batches.commit([record(3), record(4)]);
    await expect(refused).rejects.toBeInstanceOf(StoreBusyError);
    await expect(refused).rejects.toThrow('the store is behind (2 documents waiting to be written); nothing of this request was stored, send it again later');
    expect(((await refused.catch((error: unknown) => error)) as StoreBusyError).retryAfterSeconds).toBe(1);
    // Nothing of the refused call was queued; one that fits still is.
    expect(batches.stats()).toEqual({ written: 0, failed: 0, dropped: 0, refused: 2, pending: 2 });
    const fits = batches.commit([record(5)]);
    expect(batches.stats().pending).toBe(3);
    // UDP records meanwhile are dropped and counted.
    batches.add(record(6));
    expect(batches.stats()).toMatchObject({ dropped: 1, pending: 3 });

    write.commit();
    await inFlight;
    (await writer.nextWrite()).commit();
    await fits;
    await settle();
    expect(writer.committed).toEqual([record(1).id, record(2).id, record(5).id]);
    expect(batches.stats()).toEqual({ written: 3, failed: 0, dropped: 1, refused: 2, pending: 0 });
  });

  test('a call bigger than the whole allowance still goes through when nothing waits', async () => {
    const writer = new RecordingWriter();
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 10, flushIntervalMs: 60_000, maxPendingRecords: 2 });
    await batches.commit([record(1), record(2), record(3)]);
    expect(writer.batches).toEqual([[record(1).id, record(2).id, record(3).id]]);
  });

  test('a failed write rejects the callers with its error; they are counted as refused, not lost', async () => {
    const writer = new HeldWriter();
    const batches = new BatchWriter({ writer, logger, flushIntervalMs: 60_000 });
    const commit = batches.commit([record(1), record(2)]);
    (await writer.nextWrite()).fail(new Error('disk full'));
    await expect(commit).rejects.toThrow('disk full');
    expect(batches.stats()).toEqual({ written: 0, failed: 0, dropped: 0, refused: 2, pending: 0 });
  });

  test('after shutdown a commit is refused with a retryable error', async () => {
    const batches = new BatchWriter({ writer: new RecordingWriter(), logger });
    await batches.shutdown();
    await expect(batches.commit([record(1)])).rejects.toThrow('the service is stopping; nothing of this request was stored, send it again later');
  });

  test('UDP drops are logged at most once a second, the rest at shutdown, with the count in all', async () => {
    let nowMs = 0;
    warnings.length = 0;
    const writer = new HeldWriter();
    const batches = new BatchWriter({ writer, logger, maxBatchSize: 1, flushIntervalMs: 60_000, maxWritesInFlight: 1, maxPendingRecords: 1, nowMs: () => nowMs });
    batches.add(record(1));
    const write = await writer.nextWrite();
    for (let i = 2; i <= 4; i++) batches.add(record(i));
    nowMs = 999;
    batches.add(record(5));
    expect(warnings).toEqual(['xray daemon: the store is behind (1 documents waiting): dropped 1 UDP document since the last report, 1 in all']);
    nowMs = 1000;
    batches.add(record(6));
    expect(warnings.at(-1)).toBe('xray daemon: the store is behind (1 documents waiting): dropped 4 UDP documents since the last report, 5 in all');
    batches.add(record(7));
    write.commit();
    await batches.shutdown();
    expect(warnings.at(-1)).toBe('xray daemon: the store is behind (1 documents waiting): dropped 1 UDP document since the last report, 6 in all');
    expect(batches.stats()).toEqual({ written: 1, failed: 0, dropped: 6, refused: 0, pending: 0 });
  });
});
