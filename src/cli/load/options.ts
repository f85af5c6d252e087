/** What `xray-tracer load` was asked to do, checked. */
export interface LoadPlan {
  /** The stage URL requests go to, without a trailing slash, e.g. `http://127.0.0.1:3000/prod`. */
  readonly url: string;
  /** Request paths, cycled through in order. */
  readonly paths: ReadonlyArray<string>;
  readonly count: number;
  readonly concurrency: number;
  /** A request that takes longer counts as failed. */
  readonly timeoutMillis: number;
}

export interface LoadFlags {
  readonly requests?: string;
  readonly path?: ReadonlyArray<string>;
  readonly concurrency?: string;
  readonly url?: string;
  readonly timeout?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000/prod';
export const DEFAULT_PATHS: ReadonlyArray<string> = ['/foo', '/bar', '/baz'];
export const DEFAULT_COUNT = 50;
export const DEFAULT_CONCURRENCY = 4;
export const MAX_COUNT = 1_000_000;
export const MAX_CONCURRENCY = 256;

export class LoadOptionError extends Error {
  override readonly name = 'LoadOptionError';
}

export function planLoad(flags: LoadFlags): LoadPlan {
  const count = wholeNumber(flags.requests, DEFAULT_COUNT, '-n/--requests', 1, MAX_COUNT);
  const concurrency = wholeNumber(flags.concurrency, DEFAULT_CONCURRENCY, '--concurrency', 1, MAX_CONCURRENCY);
  const timeoutSeconds = wholeNumber(flags.timeout, 30, '--timeout', 1, 3600);
  const rawUrl = flags.url ?? DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new LoadOptionError(`--url "${rawUrl}" is not a URL (e.g. ${DEFAULT_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LoadOptionError(`--url "${rawUrl}" must be http or https, not ${url.protocol}`);
  }
  if (url.search !== '' || url.hash !== '') throw new LoadOptionError(`--url "${rawUrl}" must not have a query or fragment; put them in --path`);
  const paths = flags.path !== undefined && flags.path.length > 0 ? [...flags.path] : [...DEFAULT_PATHS];
  for (const path of paths) {
    if (!path.startsWith('/')) throw new LoadOptionError(`--path "${path}" must start with / (e.g. /foo)`);
  }
  return {
    url: url.toString().replace(/\/+$/, ''),
    paths,
    count,
    concurrency: Math.min(concurrency, count),
    timeoutMillis: timeoutSeconds * 1000,
  };
}

function wholeNumber(text: string | undefined, fallback: number, flag: string, min: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim())) throw new LoadOptionError(`${flag} "${text}" is not a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw new LoadOptionError(`${flag} ${value} is out of range ${min}..${max}`);
  return value;
}
