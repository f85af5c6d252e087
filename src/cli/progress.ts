import { Presets, SingleBar } from 'cli-progress';

/** How a long command reports progress; the command draws a bar, tests count. */
export interface Progress {
  start(total: number): void;
  increment(by?: number): void;
  stop(): void;
}

/**
 * A cli-progress bar on stderr (drawn only when stderr is a terminal), so stdout keeps the summary.
 * `command` and `unit` label it, e.g. `load` and `requests`.
 */
export function terminalProgress(command: string, unit: string): Progress {
  const bar = new SingleBar(
    { format: `${command} {bar} {value}/{total} ${unit} | {duration}s`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    increment: (by = 1) => bar.increment(by),
    stop: () => bar.stop(),
  };
}

export const silentProgress: Progress = { start: () => {}, increment: () => {}, stop: () => {} };
