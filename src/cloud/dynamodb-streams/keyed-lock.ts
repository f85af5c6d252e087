/**
 * Serialises work per key (a table name): each run waits for the previous holder of every key it
 * names. Keys are taken in sorted order, so two runs over the same tables cannot deadlock.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = sorted.map((key) => this.tails.get(key) ?? Promise.resolve());
    for (const key of sorted) this.tails.set(key, held);
    await Promise.all(previous);
    try {
      return await work();
    } finally {
      release();
      for (const key of sorted) if (this.tails.get(key) === held) this.tails.delete(key);
    }
  }
}
