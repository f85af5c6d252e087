import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Where the local cloud's operational messages go: the one logger of src/cloud (a part that only
 * warns takes `Pick<Logger, 'warn'>`). The CLI prints them, tests capture them; structurally the
 * same as the X-Ray service's, which the cloud does not import.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** Standard output for info, standard error for the rest: the default of the parts run alone. */
export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

/** Wall-clock time in epoch milliseconds; tests inject a clock they move by hand. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** Identifiers the services hand out (message ids, receipt handles, segment ids); injectable for tests. */
export interface IdSource {
  /** A random RFC 4122 UUID. */
  uuid(): string;
  /** `bytes` random bytes as lower-case hex. */
  hex(bytes: number): string;
}

export const randomIds: IdSource = {
  uuid: () => randomUUID(),
  hex: (bytes) => randomBytes(bytes).toString('hex'),
};

/**
 * Real waiting that a stopping service ends early through the signal: at once when the signal has
 * already fired. Always through a timer, even for 0 ms, so a loop that waits between tries yields to
 * other work (a poller with no backoff must not starve the timers that would stop it).
 */
export function sleepMs(millis: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, millis));
    signal.addEventListener('abort', done, { once: true });
  });
}
