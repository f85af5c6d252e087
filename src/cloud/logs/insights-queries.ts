/**
 * Logs Insights queries: StartQuery parses the query (MalformedQueryException at once, as AWS) and
 * runs it over the groups' events of the time range; GetQueryResults answers its rows and
 * statistics; StopQuery ends a query still running. A query runs to completion within StartQuery
 * here, so GetQueryResults always finds it `Complete`; StopQuery of a finished query answers
 * `success: false`. The last 100 queries are kept.
 */
import { randomUUID } from 'node:crypto';
import type { LogStore } from './store.ts';
import type { Command } from './insights/parse.ts';
import { parseQuery } from './insights/parse.ts';
import type { LogRecord } from './insights/run.ts';
import { discoverFields, formatValue, isTimeField, runCommands } from './insights/run.ts';

/** Events a query reads at most; the statistics say how many it read. */
const MAX_SCANNED = 2_000_000;
const KEPT_QUERIES = 100;

export interface QueryRequest {
  readonly groups: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  readonly queryString: string;
  readonly limit?: number;
}

interface QueryResult {
  readonly status: 'Complete' | 'Cancelled';
  readonly results: Array<Array<{ field: string; value: string }>>;
  readonly statistics: { recordsMatched: number; recordsScanned: number; bytesScanned: number };
}

export class InsightsQueries {
  private readonly queries = new Map<string, QueryResult>();

  constructor(private readonly store: LogStore, private readonly accountId: string) {}

  /** Parses and runs the query; returns its id. Throws MalformedQueryError. */
  start(request: QueryRequest): string {
    const commands = parseQuery(request.queryString);
    const queryId = randomUUID();
    this.queries.set(queryId, this.run(commands, request));
    while (this.queries.size > KEPT_QUERIES) {
      const oldest = this.queries.keys().next().value;
      if (oldest === undefined) break;
      this.queries.delete(oldest);
    }
    return queryId;
  }

  results(queryId: string): unknown {
    const query = this.queries.get(queryId);
    if (query === undefined) throw new QueryNotFoundError(`Query ${queryId} does not exist.`);
    return query;
  }

  /** False when the query has already ended (always, here). */
  stop(queryId: string): boolean {
    if (!this.queries.has(queryId)) throw new QueryNotFoundError(`Query ${queryId} does not exist.`);
    return false;
  }

  private run(commands: readonly Command[], request: QueryRequest): QueryResult {
    let scanned = 0;
    let bytes = 0;
    const store = this.store;
    const accountId = this.accountId;
    function* records(): Generator<LogRecord> {
      for (const groupName of request.groups) {
        for (const event of store.scan({ groupName, startMs: request.startMs, endMs: request.endMs + 1 })) {
          if (scanned >= MAX_SCANNED) return;
          scanned++;
          bytes += Buffer.byteLength(event.message);
          const record = discoverFields({ ...event, accountId });
          record.set('@ptr', Buffer.from(`${groupName}\u0000${event.id}`).toString('base64'));
          yield record;
        }
      }
    }
    const { rows, fields, matched } = runCommands(commands, records(), { limit: request.limit ?? 10_000 });
    const aggregated = commands.some((command) => command.kind === 'stats');
    const results = rows.map((row) => {
      const cells = fields.filter((field) => row.has(field) && row.get(field) !== undefined)
        .map((field) => ({ field, value: formatValue(field, row.get(field), isTimeField(field, commands)) }));
      const pointer = row.get('@ptr');
      if (!aggregated && typeof pointer === 'string') cells.push({ field: '@ptr', value: pointer });
      return cells;
    });
    return { status: 'Complete', results, statistics: { recordsMatched: matched, recordsScanned: scanned, bytesScanned: bytes } };
  }
}

export class QueryNotFoundError extends Error {}
