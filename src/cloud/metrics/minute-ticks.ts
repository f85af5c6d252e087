/**
 * Calls `tick` just after each wall-clock minute ends, as CloudWatch's once-a-minute service
 * metrics are cut. The timer and clock are injectable; the returned function stops the ticks.
 */
export interface TickTimer {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimer: TickTimer = {
  setTimeout: (callback, delayMs) => {
    const handle = setTimeout(callback, delayMs);
    // The ticks alone do not keep the process alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function startMinuteTicks(tick: (nowMs: number) => void, options: { timer?: TickTimer; nowMs?: () => number } = {}): () => void {
  const timer = options.timer ?? systemTimer;
  const nowMs = options.nowMs ?? Date.now;
  let handle: unknown;
  let stopped = false;
  const schedule = (): void => {
    handle = timer.setTimeout(() => {
      if (stopped) return;
      tick(nowMs());
      schedule();
    }, 60_000 - (nowMs() % 60_000));
  };
  schedule();
  return () => {
    stopped = true;
    timer.clearTimeout(handle);
  };
}
