import type { TraceSummary } from '../api/types.ts';
import type { Counted, Dimension, Tally } from './breakdown.ts';
import { addToTally, countedOf, newTally } from './breakdown.ts';

interface Entry {
  readonly first: TraceSummary | undefined;
  readonly tally: Tally;
  /** Summaries counted: the first `seen` of the list. */
  seen: number;
  counted: Counted;
}

/**
 * Breakdown counts kept between renders. Analytics reads its summaries a batch at a time and the
 * list only grows (the same objects, more after them), so each render counts only the summaries
 * added since the last: 20 batches to 20,000 cost one pass, not twenty growing ones, and no render
 * of the page counts more than a batch. A list that does not start with the same summary, or is
 * shorter, is another view: counted afresh.
 */
export class CountsCache {
  private readonly entries = new Map<string, Entry>();

  /** `name` tells apart the counts kept (a set and a dimension: `a:services`). */
  count(name: string, summaries: readonly TraceSummary[], dimension: Dimension): Counted {
    let entry = this.entries.get(name);
    if (entry === undefined || entry.first !== summaries[0] || summaries.length < entry.seen) {
      entry = { first: summaries[0], tally: newTally(), seen: 0, counted: { total: 0, values: [], none: 0 } };
      this.entries.set(name, entry);
    }
    if (summaries.length > entry.seen) {
      addToTally(entry.tally, summaries, entry.seen, dimension);
      entry.seen = summaries.length;
      entry.counted = countedOf(entry.tally);
    }
    return entry.counted;
  }
}
