/** What `xray-tracer traces` was asked to do, checked. */
import { OptionError, parseEndpoint, parseGroup, parseSince } from '../xray-api/index.ts';

export interface TracesPlan {
  /** The X-Ray API, e.g. `http://127.0.0.1:2001`. */
  readonly endpoint: string;
  /** Sent as is; the service parses it, so its errors are the API's. Undefined: every trace. */
  readonly filter: string | undefined;
  readonly group: string | undefined;
  /** Epoch seconds. */
  readonly startTime: number;
  readonly endTime: number;
  readonly json: boolean;
  /** Summaries shown at most; paging stops there. */
  readonly limit: number;
}

export interface TracesFlags {
  readonly filter?: string;
  readonly since?: string;
  readonly group?: string;
  readonly json?: boolean;
  readonly endpoint?: string;
  readonly limit?: string;
}

export const DEFAULT_SINCE = '1h';
export const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 100_000;

export function planTraces(flags: TracesFlags, nowSeconds: number): TracesPlan {
  const since = parseSince(flags.since ?? DEFAULT_SINCE);
  const endpoint = parseEndpoint(flags.endpoint);
  const limit = flags.limit === undefined ? DEFAULT_LIMIT : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new OptionError(`--limit "${flags.limit}" must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return {
    endpoint,
    filter: flags.filter === undefined || flags.filter.trim() === '' ? undefined : flags.filter,
    group: parseGroup(flags.group),
    startTime: nowSeconds - since,
    endTime: nowSeconds,
    json: flags.json === true,
    limit,
  };
}
