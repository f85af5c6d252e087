/**
 * `xray-tracer logs [group] [--follow] [--filter <pattern>] [--trace <id>]`: CloudWatch Logs of
 * the local cloud in the terminal, through the CloudWatch Logs API of the AWS endpoint as any
 * client would read them (`--endpoint-url`, default http://127.0.0.1:4566).
 * - no group: the log groups, with retention and size;
 * - a group (its full name, or a part of it that names one group, e.g. `HttpLambda`): its events of
 *   `--since` (default 10m, as `aws logs tail`), oldest first, `<time> <stream> <message>`;
 * - `--filter`: a CloudWatch filter pattern; `--trace <id>`: the lines holding that trace id, in
 *   the group or, without one, in every group;
 * - `--follow`: then every second the new events, until Ctrl-C.
 */
import {
  CloudWatchLogsClient, DescribeLogGroupsCommand, FilterLogEventsCommand, type FilteredLogEvent, type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import { OptionError, parseEndpoint, parseSince, printable, type CommandOutput } from '../xray-api/index.ts';

export const DEFAULT_LOGS_ENDPOINT = 'http://127.0.0.1:4566';

export interface LogsFlags {
  readonly follow?: boolean;
  readonly filter?: string;
  readonly trace?: string;
  readonly since?: string;
  readonly json?: boolean;
  readonly endpointUrl?: string;
}

export interface LogsRuntime extends CommandOutput {
  /** Waits between polls of --follow; resolves false when the user stopped (Ctrl-C). */
  readonly pause: (ms: number) => Promise<boolean>;
}

interface Plan {
  readonly group: string | undefined;
  readonly pattern: string | undefined;
  readonly startMs: number;
  readonly follow: boolean;
  readonly json: boolean;
  readonly endpoint: string;
}

const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

function plan(group: string | undefined, flags: LogsFlags, nowSeconds: number): Plan {
  if (flags.trace !== undefined && !TRACE_ID.test(flags.trace)) throw new OptionError(`--trace "${flags.trace}" is not an X-Ray trace id (1-<8 hex>-<24 hex>)`);
  if (flags.trace !== undefined && flags.filter !== undefined) throw new OptionError('--trace and --filter cannot be used together: --trace is the filter "<id>"');
  const since = parseSince(flags.since ?? (flags.trace !== undefined ? '1d' : '10m'));
  return {
    group,
    pattern: flags.trace !== undefined ? `"${flags.trace}"` : flags.filter,
    startMs: Math.floor((nowSeconds - since) * 1000),
    follow: flags.follow === true,
    json: flags.json === true,
    endpoint: parseEndpoint(flags.endpointUrl ?? DEFAULT_LOGS_ENDPOINT, '--endpoint-url'),
  };
}

/** Returns the exit code: 0 shown; 1 refused by the service or unreachable; 2 bad options. */
export async function runLogs(group: string | undefined, flags: LogsFlags, runtime: LogsRuntime): Promise<number> {
  const say = (message: string): void => runtime.err(`xray-tracer logs: ${printable(message)}`);
  let checked: Plan;
  try {
    checked = plan(group, flags, runtime.nowSeconds());
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    say(error.message);
    return 2;
  }
  // The user's own side of the endpoint: any key outside the roles' acts as the account (not with --strict-iam).
  const client = new CloudWatchLogsClient({
    endpoint: checked.endpoint,
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'XRAYTRACERCLI', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    if (checked.group === undefined && checked.pattern === undefined) {
      const groups = await allGroups(client);
      if (checked.json) runtime.out(JSON.stringify({ logGroups: groups }, null, 2));
      else for (const line of formatGroups(groups)) runtime.out(line);
      return 0;
    }
    const groups = checked.group === undefined ? (await allGroups(client)).map((found) => found.logGroupName ?? '') : [await resolveGroup(client, checked.group)];
    const seen = new Set<string>();
    let startMs = checked.startMs;
    for (;;) {
      const events = await eventsOf(client, groups, checked.pattern, startMs);
      for (const event of events) {
        const key = `${event.logGroupName}\u0000${event.eventId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        runtime.out(checked.json ? JSON.stringify(event) : formatEvent(event, groups.length > 1));
        startMs = Math.max(startMs, event.timestamp ?? 0);
      }
      if (!checked.follow || !(await runtime.pause(1000))) return 0;
    }
  } catch (error) {
    say(describe(error, checked.endpoint));
    return 1;
  } finally {
    client.destroy();
  }
}

async function allGroups(client: CloudWatchLogsClient): Promise<LogGroup[]> {
  const groups: LogGroup[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new DescribeLogGroupsCommand({ ...(nextToken !== undefined ? { nextToken } : {}) }));
    groups.push(...(page.logGroups ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return groups;
}

/** The group named, or the one group whose name contains the text. */
async function resolveGroup(client: CloudWatchLogsClient, text: string): Promise<string> {
  const groups = (await allGroups(client)).map((group) => group.logGroupName ?? '');
  if (groups.includes(text)) return text;
  const matching = groups.filter((name) => name.toLowerCase().includes(text.toLowerCase()));
  if (matching.length === 1 && matching[0] !== undefined) return matching[0];
  if (matching.length === 0) throw new Error(`no log group is named or contains "${text}" (xray-tracer logs lists them)`);
  throw new Error(`"${text}" names ${matching.length} log groups: ${matching.join(', ')}`);
}

type GroupEvent = FilteredLogEvent & { logGroupName: string };

async function eventsOf(client: CloudWatchLogsClient, groups: readonly string[], pattern: string | undefined, startMs: number): Promise<GroupEvent[]> {
  const events: GroupEvent[] = [];
  for (const group of groups) {
    let nextToken: string | undefined;
    do {
      const page = await client.send(new FilterLogEventsCommand({
        logGroupName: group,
        startTime: startMs,
        ...(pattern !== undefined ? { filterPattern: pattern } : {}),
        ...(nextToken !== undefined ? { nextToken } : {}),
      }));
      events.push(...(page.events ?? []).map((event) => ({ ...event, logGroupName: group })));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
  return events.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}

export function formatGroups(groups: readonly LogGroup[]): string[] {
  if (groups.length === 0) return ['no log groups'];
  const width = Math.max(...groups.map((group) => (group.logGroupName ?? '').length));
  return groups.map((group) => {
    const retention = group.retentionInDays === undefined ? 'never expire' : `${group.retentionInDays} d`;
    return `${(group.logGroupName ?? '').padEnd(width)}  ${retention.padStart(12)}  ${String(group.storedBytes ?? 0).padStart(10)} bytes`;
  });
}

export function formatEvent(event: GroupEvent, withGroup: boolean): string {
  const time = new Date(event.timestamp ?? 0).toISOString();
  const message = (event.message ?? '').replace(/\n$/, '');
  return `${time} ${withGroup ? `${event.logGroupName} ` : ''}${event.logStreamName ?? ''} ${printable(message)}`;
}

function describe(error: unknown, endpoint: string): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED' || /ECONNREFUSED|fetch failed/.test(error.message)) return `the AWS endpoint at ${endpoint} cannot be reached: is the local cloud running (npm start)?`;
    return error.name !== 'Error' && error.name !== '' ? `${error.name}: ${error.message}` : error.message;
  }
  return String(error);
}
