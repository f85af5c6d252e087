/** Settings in memory: the same contract as `SqliteSettingsStore`, for tests and a caller's in-memory store. */
import type { SettingsStore } from './types.ts';

export class MemorySettingsStore implements SettingsStore {
  private values = new Map<string, string>();

  get(key: string): unknown {
    const text = this.values.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  put(key: string, value: unknown): void {
    // Stored as text, as SQLite does, so a caller never shares an object with the store.
    this.values.set(key, JSON.stringify(value));
  }

  delete(key: string): boolean {
    return this.values.delete(key);
  }

  list(prefix: string): Array<{ key: string; value: unknown }> {
    return [...this.values.keys()].filter((key) => key.startsWith(prefix)).sort().map((key) => ({ key, value: this.get(key) }));
  }

  transaction<T>(action: () => T): T {
    const before = new Map(this.values);
    try {
      return action();
    } catch (error) {
      this.values = before;
      throw error;
    }
  }

  close(): void {
    this.values.clear();
  }
}
