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
