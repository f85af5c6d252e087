import { Presets, SingleBar } from 'cli-progress';

/** How the load run reports progress; the command draws a bar, tests count. */
export interface Progress {
  start(total: number): void;
  increment(): void;
  stop(): void;
}

/** A cli-progress bar on stderr (drawn only when stderr is a terminal), so stdout keeps the summary. */
export function terminalProgress(): Progress {
  const bar = new SingleBar(
    { format: 'load {bar} {value}/{total} requests | {duration}s', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    increment: () => bar.increment(),
    stop: () => bar.stop(),
  };
}

export const silentProgress: Progress = { start: () => {}, increment: () => {}, stop: () => {} };
