/**
 * The real timer and clock, taken when this module loads (before any test calls vi.useFakeTimers,
 * which replaces the global ones, node:timers and performance.now alike), so fake timers neither
 * stall nor advance the polling below.
 */
const realSetTimeout = globalThis.setTimeout;
const realNowMs = performance.now.bind(performance);

export interface EventuallyOptions {
  /** What is awaited, for the failure message; a function is read at the deadline (e.g. a count so far). */
  readonly what?: string | (() => string);
  /** @default 5000 */
  readonly timeoutMs?: number;
  /** Time between checks. @default 10 */
  readonly intervalMs?: number;
}

/**
 * Waits (bounded) until `condition` holds, for what happens in another process, socket or thread;
 * throws, naming what it waited for, when it still does not at the deadline. Its clock and timer are
 * the real ones even under a test's fake timers.
 */
export async function eventually(condition: () => boolean | Promise<boolean>, options: EventuallyOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const intervalMs = options.intervalMs ?? 10;
  const startMs = realNowMs();
  for (;;) {
    if (await condition()) return;
    if (realNowMs() - startMs >= timeoutMs) {
      const what = typeof options.what === 'function' ? options.what() : (options.what ?? 'the condition');
      throw new Error(`waited ${timeoutMs} ms for ${what}`);
    }
    await new Promise((resolve) => realSetTimeout(resolve, intervalMs));
  }
}
