import { OptionError, parseEndpoint, parseSince } from '../xray-api/index.ts';
import type { PullSource } from './source.ts';

export interface PullFlags {
  readonly sourceEndpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly since?: string;
  readonly filter?: string;
  readonly limit?: string;
  readonly endpoint?: string;
}

export interface PullPlan {
  /** The local service the traces are put into. */
  readonly endpoint: string;
  readonly source: PullSource;
  /** Seconds back from now. */
  readonly since: number;
  readonly filter?: string | undefined;
  readonly limit: number;
}

export const DEFAULT_PULL_LIMIT = 1000;
const MAX_PULL_LIMIT = 100_000;

export function planPull(flags: PullFlags): PullPlan {
  const endpoint = parseEndpoint(flags.endpoint);
  const sourceEndpoint = flags.sourceEndpoint === undefined ? undefined : parseEndpoint(flags.sourceEndpoint, '--source-endpoint');
  if (sourceEndpoint !== undefined && sourceEndpoint === endpoint) {
    throw new OptionError(`--source-endpoint ${sourceEndpoint} is the service the traces are put into (--endpoint); name another X-Ray API`);
  }
  if (sourceEndpoint !== undefined && flags.profile !== undefined) {
    throw new OptionError('--profile picks AWS credentials; --source-endpoint reads another X-Ray API without them: give one of the two');
  }
  for (const [option, value] of [['--region', flags.region], ['--profile', flags.profile]] as const) {
    if (value !== undefined && value.trim() === '') throw new OptionError(`${option} must not be empty`);
  }
  const limit = flags.limit === undefined ? DEFAULT_PULL_LIMIT : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PULL_LIMIT) {
    throw new OptionError(`--limit "${flags.limit ?? ''}" must be a whole number from 1 to ${MAX_PULL_LIMIT}`);
  }
  if (flags.filter !== undefined && flags.filter.trim() === '') throw new OptionError('--filter must not be empty');
  return {
    endpoint,
    source: { endpoint: sourceEndpoint, region: flags.region, profile: flags.profile },
    since: parseSince(flags.since ?? '1h'),
    filter: flags.filter,
    limit,
  };
}
