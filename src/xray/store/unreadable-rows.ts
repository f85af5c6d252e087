/**
 * Rows the store cannot use: a document or summary that does not parse, numbers that do not fit
 * the graph's minutes (an older version accepted start_time 1e300). One such row must not fail a
 * read, a refresh or a start-up: it is skipped, counted, and logged once naming the trace.
 */
import { errorText } from '../../common/preview.ts';

/** Distinct rows logged; past this, one line says that further ones are only counted. */
const MAX_LOGGED = 100;

export class UnreadableRows {
  private readonly logged = new Set<string>();
  private skipped = 0;

  constructor(private readonly warn: (message: string) => void) {}

  /** `where` is what was being done ("summaries", "graph minute 28333333"), `what` the row (a trace id). */
  report(where: string, what: string, error: unknown): void {
    this.skipped++;
    // Once a row: a trace met by the refresh and then by every read is one line.
    const key = what;
    if (this.logged.has(key) || this.logged.size > MAX_LOGGED) return;
    this.logged.add(key);
    if (this.logged.size > MAX_LOGGED) {
      this.warn(`xray store: more than ${MAX_LOGGED} unusable rows; further ones are skipped without a line each`);
      return;
    }
    this.warn(`xray store: skipped ${what} (${where}), which cannot be used: ${errorText(error, 300)}`);
  }

  /** Rows skipped since the store opened, each time one was met. */
  get count(): number {
    return this.skipped;
  }
}
