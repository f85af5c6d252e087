/**
 * The console's read-only view of CloudWatch Logs, beside the traces, as local extensions of the
 * API (like `/local/TelemetrySummaries`): `POST /local/TraceLogLines` (a trace's lines),
 * `/local/LogGroups` and `/local/SearchLogs` (a group's lines by filter pattern, or a Logs
 * Insights query's rows). The X-Ray service holds no logs: whoever starts it
 * (the CLI's `up`, with the local cloud) hands it a `ConsoleLogSource`; without one the routes
 * answer 404 `LogsUnavailableException`. Same origin as the console and JSON bodies only, behind
 * the API's guard (Host check, no cross-site requests, no CORS), like every route of this port.
 */
import { ApiError } from '../http/errors.ts';
import { optionalNumber, optionalString, requiredNumber, requiredString } from '../http/json-fields.ts';
import type { Router } from '../http/router.ts';

export interface ConsoleLogLine {
  readonly group: string;
  readonly stream: string;
  readonly timestampMs: number;
  readonly message: string;
}

export interface ConsoleLogSearch {
  readonly group: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly filterPattern?: string;
  /** A Logs Insights query instead of a filter pattern. */
  readonly query?: string;
  readonly limit: number;
}

export type ConsoleLogSearchResult =
  | { readonly kind: 'lines'; readonly lines: readonly ConsoleLogLine[]; readonly more: boolean }
  | { readonly kind: 'rows'; readonly fields: readonly string[]; readonly rows: ReadonlyArray<Readonly<Record<string, string>>> };

/** Thrown by a source for a request it refuses (a bad pattern or query, an unknown group): a 400 with its message. */
export class ConsoleLogRequestError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

export interface ConsoleLogSource {
  /** The trace's lines in every group, oldest first; undefined when the logs are not available now (the cloud restarting). */
  traceLines(traceId: string, limit: number): readonly ConsoleLogLine[] | undefined;
  groups(): readonly string[] | undefined;
  search(request: ConsoleLogSearch): ConsoleLogSearchResult | undefined;
}

export const CONSOLE_LOG_PATHS = ['/local/TraceLogLines', '/local/LogGroups', '/local/SearchLogs'] as const;

const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const MAX_LINES = 10_000;

export function addConsoleLogRoutes(router: Router, source: ConsoleLogSource | undefined): Router {
  const available = <T>(value: T | undefined): T => {
    if (value === undefined) throw new ApiError(404, 'LogsUnavailableException', 'No CloudWatch Logs here: they are served with the local cloud (npm start).');
    return value;
  };
  const guarded = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (error instanceof ConsoleLogRequestError) throw new ApiError(400, error.type, error.message);
      throw error;
    }
  };
  return router
    .postJson('/local/TraceLogLines', (body) => {
      onlyMembers(body, ['TraceId', 'Limit']);
      const traceId = requiredString(body, 'TraceId');
      if (!TRACE_ID.test(traceId)) throw new ApiError(400, 'InvalidRequestException', `TraceId "${traceId.slice(0, 60)}" is not an X-Ray trace id`);
      const limit = Math.min(MAX_LINES, optionalNumber(body, 'Limit') ?? 1000);
      return { Lines: available(source?.traceLines(traceId, limit)).map(wireLine) };
    })
    .postJson('/local/LogGroups', (body) => {
      onlyMembers(body, []);
      return { Groups: available(source?.groups()) };
    })
    .postJson('/local/SearchLogs', (body) => {
      onlyMembers(body, ['Group', 'StartMs', 'EndMs', 'FilterPattern', 'Query', 'Limit']);
      const group = requiredString(body, 'Group');
      const startMs = requiredNumber(body, 'StartMs');
      const endMs = requiredNumber(body, 'EndMs');
      const filterPattern = optionalString(body, 'FilterPattern');
      const query = optionalString(body, 'Query');
      if (filterPattern !== undefined && query !== undefined) throw new ApiError(400, 'InvalidRequestException', 'Give FilterPattern or Query, not both');
      const limit = Math.min(MAX_LINES, optionalNumber(body, 'Limit') ?? 1000);
      const result = available(guarded(() => source?.search({
        group, startMs, endMs, limit,
        ...(filterPattern !== undefined ? { filterPattern } : {}),
        ...(query !== undefined ? { query } : {}),
      })));
      return result.kind === 'lines'
        ? { Lines: result.lines.map(wireLine), More: result.more }
        : { Fields: result.fields, Rows: result.rows };
    });
}

/** The request is read whole before the source is asked: a malformed one is refused naming what is wrong, logs or not. */
function onlyMembers(body: Readonly<Record<string, unknown>>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).find((name) => !allowed.includes(name));
  if (unknown !== undefined) throw new ApiError(400, 'InvalidRequestException', `${unknown.slice(0, 60)} is not a member of this request (members: ${allowed.join(', ') || 'none'})`);
}

function wireLine(line: ConsoleLogLine): Record<string, unknown> {
  return { Group: line.group, Stream: line.stream, TimestampMs: line.timestampMs, Message: line.message };
}
