import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as Chokidar from 'chokidar';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isSourceFile, watchSources, type SourceWatcher } from '../../../src/cli/watch/source-watcher.ts';
import { eventually } from '../../support/eventually.ts';

/** Every event chokidar emits, as [event, absolute path], so a test knows what the watcher has seen. */
const seen = vi.hoisted((): Array<[string, string]> => []);
vi.mock('chokidar', async (importOriginal) => {
  const real = await importOriginal<typeof Chokidar>();
  return {
    ...real,
    watch: (...args: Parameters<typeof real.watch>) => real.watch(...args).on('all', (event, file) => { seen.push([event, file]); }),
  };
});

/** Settle timers the test fires itself: the file-system events stay real, the waiting does not. */
function manualSettle(): { schedule: (callback: () => void, delayMs: number) => () => void; delaysMs: number[]; settle: () => void } {
  const timers: Array<{ readonly callback: () => void; cancelled: boolean }> = [];
  const delaysMs: number[] = [];
  return {
    schedule: (callback, delayMs) => {
      const timer = { callback, cancelled: false };
      timers.push(timer);
      delaysMs.push(delayMs);
      return () => { timer.cancelled = true; };
    },
    delaysMs,
    settle: () => {
      for (const timer of timers.splice(0)) if (!timer.cancelled) timer.callback();
    },
  };
}

/** Index of the first event seen from `from` on for `file` (absolute) that `event` matches; -1 if none. */
function seenAt(file: string, event: (name: string) => boolean, from = 0): number {
  for (let at = from; at < seen.length; at++) if (seen[at]![1] === file && event(seen[at]![0])) return at;
  return -1;
}

describe('isSourceFile', () => {
  it.each([
    ['lambdas/http.ts', true],
    ['infra/app.ts', true],
    ['lambdas/.http.ts.swp', false],
    ['lambdas/http.ts~', false],
    ['lambdas/#http.ts#', false],
    ['.git/index', false],
    ['lambdas/node_modules/x/index.js', false],
    ['lambdas/4913.tmp', false],
  ])('%s: %s', (file, expected) => {
    expect(isSourceFile(file)).toBe(expected);
  });
});

describe('watchSources', () => {
  const fail = (error: Error): never => {
    throw error;
  };
  let dir: string;
  let watcher: SourceWatcher | undefined;
  /** Longer than anything of chokidar's own, so its timers are told apart by their delay. */
  const SETTLE_MS = 60_000;
  beforeEach(() => {
    seen.length = 0;
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.useRealTimers();
    await watcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a burst of writes in nested folders once, with the changed sources only', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'watch-'));
    mkdirSync(path.join(dir, 'lambdas'));
    mkdirSync(path.join(dir, 'infra'));
    const reports: string[][] = [];
    const timers = manualSettle();
    watcher = await watchSources({ dir, settleMs: 1500, schedule: timers.schedule, onChange: (files) => reports.push(files), onError: fail });
    const http = path.join(dir, 'lambdas', 'http.ts');
    const scratch = path.join(dir, 'lambdas', 'sedX1a2b3');
    writeFileSync(http, 'export const a = 1;\n');
    writeFileSync(path.join(dir, 'lambdas', '.http.ts.swp'), 'x');
    writeFileSync(path.join(dir, 'infra', 'app.ts'), 'export const b = 2;\n');
    writeFileSync(http, 'export const a = 3;\n');
    // `sed -i` writes a scratch file and renames it over the file it edits.
    writeFileSync(scratch, 'export const a = 4;\n');
    await eventually(() => seenAt(scratch, (event) => event === 'add') >= 0, { what: 'the watcher to see the scratch file' });
    renameSync(scratch, http);
    // All the burst holds has been seen once app.ts is added and the scratch file gone (chokidar
    // reports that unlink late, to tell atomic saves apart; http.ts is already pending).
    await eventually(
      () => seenAt(path.join(dir, 'infra', 'app.ts'), (event) => event === 'add') >= 0 && seenAt(scratch, (event) => event === 'unlink') >= 0,
      { what: () => `the watcher to see the burst: ${JSON.stringify(seen)}` },
    );
    expect(reports).toEqual([]);
    expect(new Set(timers.delaysMs)).toEqual(new Set([1500]));
    timers.settle();
    // No second report for the same burst.
    timers.settle();
    expect(reports).toEqual([[path.join('infra', 'app.ts'), path.join('lambdas', 'http.ts')]]);
  });

  it('keeps seeing a file that an editor saves by renaming a new file over it, save after save', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'watch-'));
    mkdirSync(path.join(dir, 'lambdas'));
    const file = path.join(dir, 'lambdas', 'http.ts');
    writeFileSync(file, 'v0');
    const reports: string[][] = [];
    // Real settle time here: the saves must be apart as an editor's are, or chokidar folds them.
    watcher = await watchSources({ dir, settleMs: 50, onChange: (files) => reports.push(files), onError: fail });
    for (const version of ['v1', 'v2', 'v3']) {
      const seen = reports.length;
      writeFileSync(`${file}.tmp`, version);
      renameSync(`${file}.tmp`, file);
      await eventually(() => reports.length > seen, { what: `save ${version} to be reported`, intervalMs: 20 });
      expect(reports.at(-1), `save ${version}`).toEqual([path.join('lambdas', 'http.ts')]);
    }
  });

  it('reports nothing after close, not even a burst that was still settling', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'watch-'));
    const reports: string[][] = [];
    watcher = await watchSources({ dir, settleMs: SETTLE_MS, onChange: (files) => reports.push(files), onError: fail });
    // The file-system events are real; the settle time is fake, and every write the watcher sees
    // arms a timer of SETTLE_MS (no timer of chokidar's own is that long).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const settleTimers = (): number => setTimeoutSpy.mock.calls.filter(([, delayMs]) => delayMs === SETTLE_MS).length;

    // First, that a write seen and left to settle is reported.
    writeFileSync(path.join(dir, 'a.ts'), '1');
    await eventually(() => settleTimers() > 0, { what: 'the watcher to see a.ts' });
    vi.advanceTimersByTime(SETTLE_MS);
    expect(reports).toEqual([['a.ts']]);

    // Then the same, closed while it settles.
    const armed = settleTimers();
    writeFileSync(path.join(dir, 'b.ts'), '2');
    await eventually(() => settleTimers() > armed, { what: 'the watcher to see b.ts' });
    await watcher.close();
    watcher = undefined;
    vi.advanceTimersByTime(SETTLE_MS);
    expect(reports).toEqual([['a.ts']]);
  });
});
