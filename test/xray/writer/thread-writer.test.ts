import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { validateDocument } from '../../../src/xray/segments/validate.ts';
import { SqliteTraceStore } from '../../../src/xray/store/index.ts';
import type { SegmentRecord } from '../../../src/xray/store/index.ts';
import { ThreadTraceWriter } from '../../../src/xray/writer/thread-writer.ts';
import { eventually } from '../../support/eventually.ts';
import { newTraceId, segment } from '../support/documents.ts';
import { apiPage } from '../store/api-page.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'xray-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(start: number): SegmentRecord {
  const result = validateDocument(JSON.stringify(segment(newTraceId(start), start)));
  if (!result.ok) throw new Error(result.message);
  return result.record;
}

describe('ThreadTraceWriter', () => {
  test('writes in its thread; a reader in this thread sees each write once it resolves', async () => {
    const file = path.join(dir, 'traces.db');
    const writer = await ThreadTraceWriter.start(file);
    const reader = new SqliteTraceStore({ file, readOnly: true });
    try {
      const now = Date.now() / 1000;
      const records = Array.from({ length: 50 }, (_, i) => record(now - i));
      // Several writes outstanding at once are committed in order.
      await Promise.all([writer.write(records.slice(0, 20)), writer.write(records.slice(20))]);
      const traces = reader.getTraces(records.map((r) => r.traceId));
      expect(traces.map((t) => t.id).sort()).toEqual(records.map((r) => r.traceId).sort());
      // Summaries are the writer's to refresh; once it has, the reader lists every trace.
      await writer.refresh();
      const summaries = apiPage(reader.getTraceSummaries({ startTime: now - 100, endTime: now + 1, timeRangeType: 'TraceId', limit: 100 })).summaries;
      expect(summaries.map((s) => s['Id']).sort()).toEqual(records.map((r) => r.traceId).sort());

      const old = record(now - 40 * 24 * 3600);
      await writer.write([old]);
      expect(await writer.deleteTracesBefore(now - 30 * 24 * 3600)).toBe(1);
      expect(reader.getTraces([old.traceId])).toEqual([]);
    } finally {
      reader.close();
      await writer.close();
    }
    await expect(writer.write([record(Date.now() / 1000)])).rejects.toThrow('the store writer thread exited');
  });

  test('the checkpointer thread copies the WAL into the database file between commits', async () => {
    const file = path.join(dir, 'checkpointed.db');
    const writer = await ThreadTraceWriter.start(file, { checkpointIntervalMillis: 20 });
    try {
      const before = statSync(file).size;
      const now = Date.now() / 1000;
      // About 1 MB: far below the writer's own checkpoint bound, so only the checkpointer moves it.
      await writer.write(Array.from({ length: 2000 }, (_, i) => record(now - i)));
      // A checkpoint may be seen halfway (the file grows as pages are copied): wait for all of it.
      await eventually(() => statSync(file).size > before + 500_000, { what: () => `the checkpoint to grow the file past ${before + 500_000} bytes`, intervalMs: 20 });
      expect(statSync(file).size).toBeGreaterThan(before + 500_000);
    } finally {
      await writer.close();
    }
  });

  test('a file the store cannot open fails the start with the store error', async () => {
    const notAFolder = path.join(dir, 'plain-file');
    writeFileSync(notAFolder, 'x');
    await expect(ThreadTraceWriter.start(path.join(notAFolder, 'traces.db'))).rejects.toThrow(`EEXIST: file already exists, mkdir '${notAFolder}'`);
  });
});
