/** What `xray-tracer traces` was asked to do, checked. */
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

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:2001';
export const DEFAULT_SINCE = '1h';
export const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 100_000;
const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

export class TracesOptionError extends Error {
  override readonly name = 'TracesOptionError';
}

/** `30s`, `15m`, `1h`, `2d`, `1.5h`: seconds. */
export function parseSince(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  const seconds = match === null ? Number.NaN : Number(match[1]) * UNITS[match[2]!]!;
  if (!(seconds > 0)) throw new TracesOptionError(`--since "${text}" must be a duration such as 30s, 15m, 1h or 2d`);
  return seconds;
}

/** `now`: epoch seconds. */
export function planTraces(flags: TracesFlags, now: number): TracesPlan {
  const since = parseSince(flags.since ?? DEFAULT_SINCE);
  const rawEndpoint = flags.endpoint ?? DEFAULT_ENDPOINT;
  let endpoint: URL;
  try {
    endpoint = new URL(rawEndpoint);
  } catch {
    throw new TracesOptionError(`--endpoint "${rawEndpoint}" is not a URL (e.g. ${DEFAULT_ENDPOINT})`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new TracesOptionError(`--endpoint "${rawEndpoint}" must be http or https, not ${endpoint.protocol}`);
  }
  const limit = flags.limit === undefined ? DEFAULT_LIMIT : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new TracesOptionError(`--limit "${flags.limit}" must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  if (flags.group !== undefined && flags.group.trim() === '') throw new TracesOptionError('--group must name a group');
  return {
    endpoint: endpoint.href.replace(/\/$/, ''),
    filter: flags.filter === undefined || flags.filter.trim() === '' ? undefined : flags.filter,
    group: flags.group,
    startTime: now - since,
    endTime: now,
    json: flags.json === true,
    limit,
  };
}
