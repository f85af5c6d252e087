/** Checks of the options the X-Ray API commands share: --endpoint, --since, --group. */

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:2001';
const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** An option the user gave cannot be used; the command exits 2 without asking the service. */
export class OptionError extends Error {
  override readonly name = 'OptionError';
}

/** `30s`, `15m`, `1h`, `2d`, `1.5h`: seconds. */
export function parseSince(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  const seconds = match === null ? Number.NaN : Number(match[1]) * UNITS[match[2]!]!;
  if (!(seconds > 0)) throw new OptionError(`--since "${text}" must be a duration such as 30s, 15m, 1h or 2d`);
  return seconds;
}

/** The X-Ray API's base URL without a trailing slash; undefined: the local service's. */
export function parseEndpoint(raw: string | undefined, option = '--endpoint'): string {
  const text = raw ?? DEFAULT_ENDPOINT;
  let endpoint: URL;
  try {
    endpoint = new URL(text);
  } catch {
    throw new OptionError(`${option} "${text}" is not a URL (e.g. ${DEFAULT_ENDPOINT})`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new OptionError(`${option} "${text}" must be http or https, not ${endpoint.protocol}`);
  }
  return endpoint.href.replace(/\/$/, '');
}

export function parseGroup(group: string | undefined): string | undefined {
  if (group !== undefined && group.trim() === '') throw new OptionError('--group must name a group');
  return group;
}
