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
    expect(batches.stats()).toEqual({ written: 6, failed: 0, pending: 1 });
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
    expect(batches.stats()).toEqual({ written: 2, failed: 2, pending: 0 });
    expect(errors.at(-1)).toBe('xray daemon: could not store 2 documents: database is locked');
  });

  test('rejects nonsense settings', () => {
    const writer = new RecordingWriter();
    expect(() => new BatchWriter({ writer, logger, maxBatchSize: 0 })).toThrow('maxBatchSize must be at least 1, got 0');
  });
});
