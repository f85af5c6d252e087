/**
 * Account-wide settings of the X-Ray API that are not traces, groups or sampling rules: encryption,
 * resource policies, tags, telemetry counts, the Transaction Search destination and indexing rules.
 * Each feature keeps its own typed records under its own key prefix; this is only where they live.
 */
export interface SettingsStore {
  /** The value stored under `key`, parsed, or undefined. */
  get(key: string): unknown;
  /** Stores a JSON value; durable when it returns. */
  put(key: string, value: unknown): void;
  /** Returns false when nothing was stored under `key`. */
  delete(key: string): boolean;
  /** Every (key, value) whose key starts with `prefix`, in key order. */
  list(prefix: string): Array<{ readonly key: string; readonly value: unknown }>;
  /** Runs `action` as one change: all of its puts and deletes or none. */
  transaction<T>(action: () => T): T;
  close(): void;
}
