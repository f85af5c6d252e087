/**
 * The service graph tables of the SQLite store:
 * - trace_graph: each trace's contribution (graph/contribution.ts) as last summed, packed
 *   (graph/aggregate-packed.ts), so that a change can be applied by difference and GetTraceGraph
 *   reads no segment;
 * - graph_minutes: the sum of every stored trace's contribution, one row per minute.
 *
 * Changes go through a `MinuteSums`: it reads the rows of the minutes it is about to touch, applies
 * each trace's old contribution out and new one in, and writes back only those rows, all inside
 * the caller's transaction.
 */
import type Database from 'better-sqlite3';
import { AggregateAccumulator, type Aggregate, type MinuteAggregate } from '../graph/aggregate.ts';
import { packAggregate, unpackAggregate } from '../graph/aggregate-packed.ts';

export const GRAPH_SCHEMA = `
CREATE TABLE trace_graph (
  trace_seq    INTEGER PRIMARY KEY,
  contribution TEXT NOT NULL
) STRICT;
CREATE TABLE graph_minutes (
  minute    INTEGER PRIMARY KEY,
  aggregate TEXT NOT NULL
) STRICT;
`;

type Statement = Database.Statement<unknown[], unknown>;

/** Called with a stored row that cannot be read: it is left out of the answer. */
export type SkipRow = (where: string, what: string, error: unknown) => void;

/**
 * Latest epoch second a graph minute may start at: year 5138, far beyond any real trace, and far
 * below where seconds stop being exact (2^53) or a minute stops fitting the INTEGER key.
 */
export const MAX_GRAPH_EPOCH_SECONDS = 1e11;
/** Counts and sums a cell may hold: microseconds of a year of 10^6 calls a second stay below it. */
const MAX_CELL_VALUE = 2 ** 53;

/**
 * Why a contribution cannot be added to the minute sums, or undefined: a minute that is not a
 * whole epoch second within MAX_GRAPH_EPOCH_SECONDS, or a value that is not a finite number (an
 * older version accepted segments of start_time 1e300, whose minute no INTEGER column holds).
 */
export function unstorable(aggregate: Aggregate): string | undefined {
  for (const [minute, cells] of aggregate.minutes) {
    if (!Number.isSafeInteger(minute) || Math.abs(minute) > MAX_GRAPH_EPOCH_SECONDS) {
      return `graph minute ${minute} is not an epoch second between ${-MAX_GRAPH_EPOCH_SECONDS} and ${MAX_GRAPH_EPOCH_SECONDS}`;
    }
    for (const cell of [...cells.nodes.values(), ...cells.edges.values()]) {
      const numbers = [cell.presence, cell.real, cell.roots, cell.ok, cell.errorOther, cell.throttle, cell.fault, cell.responseMicros];
      if (!numbers.every((value) => Number.isFinite(value) && Math.abs(value) <= MAX_CELL_VALUE)) return `a count of minute ${minute} is out of range`;
      for (const time of [cell.startTime, cell.endTime]) {
        if (!Number.isFinite(time) || Math.abs(time) > MAX_GRAPH_EPOCH_SECONDS) return `time ${time} of minute ${minute} is out of range`;
      }
      for (const histogram of [cell.responseTime, cell.duration, cell.age]) {
        for (const [value, count] of histogram) {
          if (!Number.isFinite(value) || !Number.isFinite(count)) return `a histogram of minute ${minute} holds ${value}: ${count}`;
        }
      }
    }
  }
  return undefined;
}

export class SqliteGraph {
  private readonly statements: {
    selectContribution: Statement;
    upsertContribution: Statement;
    selectMinute: Statement;
    selectMinutes: Statement;
    upsertMinute: Statement;
    deleteMinute: Statement;
  };

  constructor(db: Database.Database, private readonly skip: SkipRow) {
    this.statements = {
      selectContribution: db.prepare('SELECT contribution FROM trace_graph WHERE trace_seq = ?').pluck(),
      upsertContribution: db.prepare(`
        INSERT INTO trace_graph (trace_seq, contribution) VALUES (?, ?)
        ON CONFLICT (trace_seq) DO UPDATE SET contribution = excluded.contribution`),
      selectMinute: db.prepare('SELECT aggregate FROM graph_minutes WHERE minute = ?').pluck(),
      selectMinutes: db.prepare('SELECT minute, aggregate FROM graph_minutes WHERE minute > ? AND minute < ? ORDER BY minute'),
      upsertMinute: db.prepare(`
        INSERT INTO graph_minutes (minute, aggregate) VALUES (?, ?)
        ON CONFLICT (minute) DO UPDATE SET aggregate = excluded.aggregate`),
      deleteMinute: db.prepare('DELETE FROM graph_minutes WHERE minute = ?'),
    };
  }

  /** The packed contribution last stored for a trace, if any. */
  contributionOf(seq: number): string | undefined {
    return this.statements.selectContribution.get(seq) as string | undefined;
  }

  saveContribution(seq: number, packed: string): void {
    this.statements.upsertContribution.run(seq, packed);
  }

  /** The stored minutes that overlap [startTime, endTime). */
  minutes(startTime: number, endTime: number): Aggregate {
    const minutes = new Map<number, MinuteAggregate>();
    const rows = this.statements.selectMinutes.all(startTime - 60, endTime) as Array<{ minute: number; aggregate: string }>;
    for (const row of rows) {
      let stored: MinuteAggregate | undefined;
      try {
        const aggregate = unpackAggregate(row.aggregate);
        const problem = unstorable(aggregate);
        if (problem !== undefined) throw new RangeError(problem);
        stored = aggregate.minutes.get(row.minute);
      } catch (error) {
        this.skip('service graph', `graph minute ${row.minute}`, error);
        continue;
      }
      if (stored !== undefined) minutes.set(row.minute, stored);
    }
    return { minutes };
  }

  /** A change of the minute sums, to apply inside one transaction. */
  sums(): MinuteSums {
    return new MinuteSums(this.statements, this.skip);
  }
}

export class MinuteSums {
  private readonly sum = new AggregateAccumulator();
  private readonly loaded = new Set<number>();

  constructor(
    private readonly statements: { selectMinute: Statement; upsertMinute: Statement; deleteMinute: Statement },
    private readonly skip: SkipRow,
  ) {}

  /** Replaces a trace's previous contribution (if any) by its next one. */
  update(previous: Aggregate | undefined, next: Aggregate): void {
    if (previous !== undefined) this.load(previous);
    this.load(next);
    this.sum.update(previous, next);
  }

  /** Takes a dropped trace's contribution out. */
  subtract(contribution: Aggregate): void {
    this.load(contribution);
    this.sum.subtract(contribution);
  }

  /** Writes the minutes that were touched; a minute left empty loses its row. */
  save(): void {
    const { minutes } = this.sum.aggregate;
    for (const minute of this.loaded) {
      const cells = minutes.get(minute);
      if (cells === undefined) this.statements.deleteMinute.run(minute);
      else this.statements.upsertMinute.run(minute, packAggregate({ minutes: new Map([[minute, cells]]) }));
    }
  }

  private load(aggregate: Aggregate): void {
    for (const minute of aggregate.minutes.keys()) {
      if (this.loaded.has(minute)) continue;
      this.loaded.add(minute);
      const stored = this.statements.selectMinute.get(minute) as string | undefined;
      if (stored === undefined) continue;
      let sum: Aggregate;
      try {
        sum = unpackAggregate(stored);
        const problem = unstorable(sum);
        if (problem !== undefined) throw new RangeError(problem);
      } catch (error) {
        // The minute starts again from what is added now; its unreadable row is overwritten.
        this.skip('graph minute sums', `graph minute ${minute}`, error);
        continue;
      }
      this.sum.add(sum);
    }
  }
}
