/**
 * The console's CloudWatch Logs (`src/xray/api/console-logs.ts`), read from the local cloud's log
 * store in this process: the CLI is the one component that sees both. The cloud behind it can be
 * restarted (`up --watch`): each call asks for the current one, and answers nothing while there
 * is none.
 */
import { filterLogEvents, FilterPatternError, InsightsQueries, MalformedQueryError } from '../cloud/logs/index.ts';
import type { CloudWatchLogs } from '../cloud/logs/index.ts';
import { ConsoleLogRequestError } from '../xray/index.ts';
import type { ConsoleLogLine, ConsoleLogSearch, ConsoleLogSearchResult, ConsoleLogSource } from '../xray/index.ts';

export function consoleLogSource(currentLogs: () => CloudWatchLogs | undefined, accountId: () => string): ConsoleLogSource {
  // A cloud being stopped has closed its store before it is replaced: nothing to read then.
  const current = (): CloudWatchLogs | undefined => {
    const logs = currentLogs();
    return logs?.store.isOpen === true ? logs : undefined;
  };
  return {
    traceLines(traceId, limit) {
      const logs = current();
      if (logs === undefined) return undefined;
      logs.flush();
      const lines: ConsoleLogLine[] = [];
      for (const group of logs.store.groupsOfTrace(traceId)) {
        // The invocation's own lines too (START, END, the handler's plain lines): the store indexes them under its trace.
        const page = filterLogEvents(logs.store, { groupName: group, traceId, limit });
        lines.push(...page.events.map((event) => ({ group, stream: event.streamName, timestampMs: event.timestampMs, message: event.message })));
      }
      return lines.sort((a, b) => a.timestampMs - b.timestampMs).slice(0, limit);
    },
    groups() {
      const logs = current();
      return logs?.store.groups({ limit: 10_000 }).map((group) => group.name);
    },
    search(request: ConsoleLogSearch): ConsoleLogSearchResult | undefined {
      const logs = current();
      if (logs === undefined) return undefined;
      logs.flush();
      try {
        if (!logs.store.hasGroup(request.group)) throw new ConsoleLogRequestError('ResourceNotFoundException', `Log group ${request.group} does not exist.`);
        if (request.query !== undefined) {
          const queries = new InsightsQueries(logs.store, accountId());
          const id = queries.start({ groups: [request.group], startMs: request.startMs, endMs: request.endMs, queryString: request.query, limit: request.limit });
          const result = queries.results(id) as { results: Array<Array<{ field: string; value: string }>> };
          const fields: string[] = [];
          const rows = result.results.map((row) => {
            const record: Record<string, string> = {};
            for (const cell of row) {
              if (cell.field === '@ptr') continue;
              if (!fields.includes(cell.field)) fields.push(cell.field);
              record[cell.field] = cell.value;
            }
            return record;
          });
          return { kind: 'rows', fields, rows };
        }
        const page = filterLogEvents(logs.store, {
          groupName: request.group, startMs: request.startMs, endMs: request.endMs, limit: request.limit,
          ...(request.filterPattern !== undefined ? { pattern: request.filterPattern } : {}),
        });
        return {
          kind: 'lines',
          lines: page.events.map((event) => ({ group: request.group, stream: event.streamName, timestampMs: event.timestampMs, message: event.message })),
          more: page.nextToken !== undefined,
        };
      } catch (error) {
        if (error instanceof FilterPatternError) throw new ConsoleLogRequestError('InvalidParameterException', error.message);
        if (error instanceof MalformedQueryError) throw new ConsoleLogRequestError('MalformedQueryException', error.message);
        throw error;
      }
    },
  };
}
