import { existsSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { lowerThreadPriority } from '../../../src/xray/writer/thread-priority.ts';

const linux = existsSync('/proc/thread-self');

describe('lowerThreadPriority', () => {
  test('leaves the main thread (the whole process on most systems) alone', () => {
    const before = os.getPriority();
    expect(lowerThreadPriority(5)).toBeUndefined();
    expect(os.getPriority()).toBe(before);
  });

  test('refuses a negative or fractional increment', () => {
    expect(() => lowerThreadPriority(-1)).toThrow(RangeError);
    expect(() => lowerThreadPriority(1.5)).toThrow(RangeError);
  });

  test.runIf(linux)('in a worker thread, raises that thread\'s nice value only', async () => {
    const processNice = os.getPriority();
    const worker = new Worker(new URL('../../../src/xray/writer/bootstrap.mjs', import.meta.url), {
      workerData: { entry: new URL('./support/priority-thread.ts', import.meta.url).href },
    });
    const seen = await new Promise<{ before: number; returned: number | undefined; after: number; processNice: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    const expected = Math.min(19, seen.before + 3);
    expect(seen.returned).toBe(expected);
    expect(seen.after).toBe(expected);
    // The main thread, which receives datagrams, keeps its priority.
    expect(seen.processNice).toBe(processNice);
    expect(os.getPriority()).toBe(processNice);
  });
});
