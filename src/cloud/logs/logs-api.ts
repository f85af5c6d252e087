/**
 * The CloudWatch Logs API as the AWS SDK v3 client and the AWS CLI send it: awsJson1_1, `X-Amz-Target:
 * Logs_20140328.<Operation>`, signing name `logs`. Each operation reads its members (with the limits
 * of the API reference), names its IAM action and log group, and runs against the store.
 */
import { AwsError } from '../protocol/errors.ts';
import type { JsonProtocol } from '../protocol/json-protocol.ts';
import { JsonInput, parseJsonObject, renderJsonError, targetOperation, unknownOperation } from '../protocol/json-protocol.ts';
import type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest } from '../protocol/service.ts';
import type { CloudWatchLogs } from './cloudwatch-logs.ts';
import { RETENTION_DAYS } from './cloudwatch-logs.ts';
import { decodeToken, encodeToken, filterLogEvents, InvalidTokenError } from './filter-events.ts';
import { FilterPatternError } from './filter-pattern.ts';
import { InsightsQueries, QueryNotFoundError } from './insights-queries.ts';
import { MalformedQueryError } from './insights/parse.ts';
import { LogStoreError } from './store.ts';
import type { StoredLogEvent } from './store.ts';

const PROTOCOL: JsonProtocol = { target: 'Logs_20140328', namespace: 'com.amazonaws.logs', queryCompatible: false };
const JSON_1_1 = 'application/x-amz-json-1.1';

/** PutLogEvents' limits (API reference): events a batch, bytes a batch (each event counts 26 bytes more). */
const MAX_BATCH_EVENTS = 10_000;
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;
const DAY_MS = 86_400_000;
/** An event more than 2 hours ahead is too new; older than 14 days (or the retention) too old. */
const TOO_NEW_MS = 2 * 3_600_000;
const TOO_OLD_MS = 14 * DAY_MS;

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

interface OperationResult {
  /** The log group the call acts on, for IAM; none for the account-wide calls. */
  readonly group?: string;
  readonly run: () => unknown;
}

type Operation = (input: JsonInput) => OperationResult;

export interface LogsApiOptions {
  readonly region: string;
  readonly accountId: string;
  readonly nowMs?: () => number;
}

export class LogsApi implements AwsProtocolService {
  readonly name = 'CloudWatchLogs';
  readonly signingName = 'logs';
  private readonly operations: Readonly<Record<string, Operation>>;
  private readonly nowMs: () => number;
  readonly queries: InsightsQueries;

  constructor(private readonly logs: CloudWatchLogs, private readonly options: LogsApiOptions) {
    this.nowMs = options.nowMs ?? Date.now;
    this.queries = new InsightsQueries(logs.store, options.accountId);
    const store = logs.store;
    this.operations = {
      CreateLogGroup: (input) => {
        const group = groupName(input);
        return { group, run: () => (store.createGroup(group), {}) };
      },
      DeleteLogGroup: (input) => {
        const group = groupName(input);
        return { group, run: () => (store.deleteGroup(group), {}) };
      },
      PutRetentionPolicy: (input) => {
        const group = groupName(input);
        const days = input.optionalInteger('retentionInDays', -2_147_483_648, 2_147_483_647);
        if (days === undefined) throw missing('retentionInDays');
        if (!(RETENTION_DAYS as readonly number[]).includes(days)) {
          throw invalid(`1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
        }
        return { group, run: () => (store.setRetention(group, days), {}) };
      },
      DeleteRetentionPolicy: (input) => {
        const group = groupName(input);
        return { group, run: () => (store.setRetention(group, undefined), {}) };
      },
      DescribeLogGroups: (input) => {
        const prefix = input.optionalString('logGroupNamePrefix');
        const pattern = input.optionalString('logGroupNamePattern');
        if (prefix !== undefined && pattern !== undefined) throw invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
        const limit = input.optionalInteger('limit', 1, 50) ?? 50;
        const after = input.optionalString('nextToken');
        return {
          run: () => {
            this.logs.flush();
            let groups = store.groups({ ...(prefix !== undefined ? { prefix } : {}), ...(after !== undefined ? { after: tokenText(after) } : {}), limit: pattern === undefined ? limit + 1 : 100_000 });
            if (pattern !== undefined) groups = groups.filter((group) => group.name.toLowerCase().includes(pattern.toLowerCase()));
            const page = groups.slice(0, limit);
            const last = page.at(-1);
            return {
              logGroups: page.map((group) => ({
                logGroupName: group.name,
                creationTime: group.createdMs,
                ...(group.retentionDays !== undefined ? { retentionInDays: group.retentionDays } : {}),
                metricFilterCount: 0,
                arn: `${this.groupArn(group.name)}:*`,
                logGroupArn: this.groupArn(group.name),
                storedBytes: group.storedBytes,
                logGroupClass: 'STANDARD',
              })),
              ...(groups.length > limit && last !== undefined ? { nextToken: Buffer.from(last.name).toString('base64url') } : {}),
            };
          },
        };
      },
      CreateLogStream: (input) => {
        const group = groupName(input);
        const stream = streamName(input);
        return { group, run: () => (store.createStream(group, stream), {}) };
      },
      DescribeLogStreams: (input) => {
        const group = groupIdentifier(input);
        const prefix = input.optionalString('logStreamNamePrefix');
        const orderBy = input.optionalString('orderBy') ?? 'LogStreamName';
        if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
          throw invalid(`1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`);
        }
        if (prefix !== undefined && orderBy === 'LastEventTime') throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
        const descending = input.data.descending === true;
        const limit = input.optionalInteger('limit', 1, 50) ?? 50;
        const token = input.optionalString('nextToken');
        const offset = token === undefined ? 0 : Number(tokenText(token));
        if (!Number.isInteger(offset) || offset < 0) throw invalid('The specified nextToken is invalid.');
        return {
          group,
          run: () => {
            this.logs.flush();
            const streams = store.streams(group, { ...(prefix !== undefined ? { prefix } : {}), orderBy, descending, offset, limit: limit + 1 });
            return {
              logStreams: streams.slice(0, limit).map((stream) => ({
                logStreamName: stream.name,
                creationTime: stream.createdMs,
                ...(stream.firstEventMs !== undefined ? { firstEventTimestamp: stream.firstEventMs } : {}),
                ...(stream.lastEventMs !== undefined ? { lastEventTimestamp: stream.lastEventMs } : {}),
                ...(stream.lastIngestionMs !== undefined ? { lastIngestionTime: stream.lastIngestionMs } : {}),
                arn: `${this.groupArn(group)}:log-stream:${stream.name}`,
                storedBytes: 0,
              })),
              ...(streams.length > limit ? { nextToken: Buffer.from(String(offset + limit)).toString('base64url') } : {}),
            };
          },
        };
      },
      PutLogEvents: (input) => {
        const group = groupName(input);
        const stream = streamName(input);
        const events = readEvents(input);
        return { group, run: () => this.putLogEvents(group, stream, events) };
      },
      GetLogEvents: (input) => {
        const group = groupIdentifier(input);
        const stream = streamName(input);
        const startMs = input.optionalInteger('startTime', 0, Number.MAX_SAFE_INTEGER);
        const endMs = input.optionalInteger('endTime', 0, Number.MAX_SAFE_INTEGER);
        const limit = input.optionalInteger('limit', 1, 10_000) ?? 10_000;
        const token = input.optionalString('nextToken');
        const fromHead = input.data.startFromHead === true;
        return { group, run: () => this.getLogEvents(group, stream, { startMs, endMs, limit, token, fromHead }) };
      },
      FilterLogEvents: (input) => {
        const group = groupIdentifier(input);
        const streamNames = input.optionalStringList('logStreamNames');
        const streamPrefix = input.optionalString('logStreamNamePrefix');
        if (streamNames !== undefined && streamPrefix !== undefined) {
          throw invalid('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
        }
        if (streamNames !== undefined && (streamNames.length < 1 || streamNames.length > 100)) {
          throw invalid('1 validation error detected: Value at \'logStreamNames\' failed to satisfy constraint: Member must have length between 1 and 100');
        }
        const startMs = input.optionalInteger('startTime', 0, Number.MAX_SAFE_INTEGER);
        const endMs = input.optionalInteger('endTime', 0, Number.MAX_SAFE_INTEGER);
        const limit = input.optionalInteger('limit', 1, 10_000) ?? 10_000;
        const pattern = input.optionalString('filterPattern');
        if (pattern !== undefined && pattern.length > 1024) throw invalid('1 validation error detected: Value at \'filterPattern\' failed to satisfy constraint: Member must have length less than or equal to 1024');
        const nextToken = input.optionalString('nextToken');
        return {
          group,
          run: () => {
            this.logs.flush();
            const page = filterLogEvents(store, {
              groupName: group,
              ...(streamNames !== undefined ? { streamNames } : {}),
              ...(streamPrefix !== undefined ? { streamPrefix } : {}),
              ...(startMs !== undefined ? { startMs } : {}),
              ...(endMs !== undefined ? { endMs } : {}),
              ...(pattern !== undefined ? { pattern } : {}),
              ...(nextToken !== undefined ? { nextToken } : {}),
              limit,
            });
            return {
              events: page.events.map((event) => ({
                logStreamName: event.streamName,
                timestamp: event.timestampMs,
                message: event.message,
                ingestionTime: event.ingestionMs,
                eventId: String(event.id),
              })),
              searchedLogStreams: [],
              ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}),
            };
          },
        };
      },
      StartQuery: (input) => {
        const groups = queryGroups(input);
        const startSeconds = requiredInteger(input, 'startTime');
        const endSeconds = requiredInteger(input, 'endTime');
        const queryString = input.string('queryString');
        if (queryString.length > 10_000) throw invalid('1 validation error detected: Value at \'queryString\' failed to satisfy constraint: Member must have length less than or equal to 10000');
        const limit = input.optionalInteger('limit', 1, 10_000);
        return {
          ...(groups.length === 1 ? { group: groups[0] } : {}),
          run: () => {
            this.logs.flush();
            for (const group of groups) if (!store.hasGroup(group)) throw notFound(`Log group '${group}' does not exist for account ID '${this.options.accountId}' (Service: AWSLogs; Status Code: 400; Error Code: ResourceNotFoundException)`);
            if (endSeconds < startSeconds) throw invalid('End time should not be before the start time');
            return { queryId: this.queries.start({ groups, startMs: startSeconds * 1000, endMs: endSeconds * 1000 + 999, queryString, ...(limit !== undefined ? { limit } : {}) }) };
          },
        };
      },
      GetQueryResults: (input) => {
        const queryId = input.string('queryId');
        return { run: () => this.queries.results(queryId) };
      },
      StopQuery: (input) => {
        const queryId = input.string('queryId');
        return { run: () => ({ success: this.queries.stop(queryId) }) };
      },
    };
  }

  accepts(request: EndpointRequest): boolean {
    return targetOperation(request, PROTOCOL) !== undefined;
  }

  parse(request: EndpointRequest): AwsCall {
    const operation = targetOperation(request, PROTOCOL) ?? '';
    const handler = this.operations[operation];
    if (handler === undefined) throw unknownOperation(operation, 'CloudWatch Logs');
    const { group, run } = translated(() => handler(new JsonInput(parseJsonObject(request))));
    return {
      operation,
      permissions: [{ action: `logs:${operation}`, resourceArn: group === undefined ? '*' : `${this.groupArn(group)}:*` }],
      run: async () => ({ status: 200, headers: { 'content-type': JSON_1_1 }, body: JSON.stringify(translated(run)) }),
    };
  }

  renderError(error: AwsError): EndpointReply {
    const reply = renderJsonError(error, PROTOCOL);
    return { ...reply, headers: { ...reply.headers, 'content-type': JSON_1_1 } };
  }

  accessDenied(message: string): AwsError {
    return new AwsError('AccessDeniedException', message, { status: 400 });
  }

  private groupArn(group: string): string {
    return `arn:aws:logs:${this.options.region}:${this.options.accountId}:log-group:${group}`;
  }

  private putLogEvents(group: string, stream: string, events: ReadonlyArray<{ timestamp: number; message: string }>): unknown {
    const store = this.logs.store;
    if (!store.hasGroup(group)) throw notFound('The specified log group does not exist.');
    if (!store.hasStream(group, stream)) throw notFound('The specified log stream does not exist.');
    const nowMs = this.nowMs();
    const retentionDays = store.group(group).retentionDays;
    const expiredBeforeMs = retentionDays === undefined ? -Infinity : nowMs - retentionDays * DAY_MS;
    let tooNewStart: number | undefined;
    let tooOldEnd: number | undefined;
    let expiredEnd: number | undefined;
    const accepted: Array<{ timestampMs: number; message: string }> = [];
    events.forEach((event, index) => {
      if (event.timestamp > nowMs + TOO_NEW_MS) {
        tooNewStart ??= index;
      } else if (event.timestamp < expiredBeforeMs) {
        expiredEnd = index;
      } else if (event.timestamp < nowMs - TOO_OLD_MS) {
        tooOldEnd = index;
      } else {
        accepted.push({ timestampMs: event.timestamp, message: event.message });
      }
    });
    this.logs.flush();
    store.append(group, stream, accepted);
    const rejected = {
      ...(tooNewStart !== undefined ? { tooNewLogEventStartIndex: tooNewStart } : {}),
      ...(tooOldEnd !== undefined ? { tooOldLogEventEndIndex: tooOldEnd } : {}),
      ...(expiredEnd !== undefined ? { expiredLogEventEndIndex: expiredEnd } : {}),
    };
    // Sequence tokens are ignored (as AWS has since January 2023); one is still answered.
    return { nextSequenceToken: String(nowMs).padStart(56, '0'), ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}) };
  }

  /**
   * GetLogEvents: a page of one stream. Without a token, the newest `limit` events (or the oldest
   * with startFromHead); `f/` tokens read on, `b/` tokens back. At either end the token passed is
   * answered again, as AWS does.
   */
  private getLogEvents(group: string, stream: string, request: { startMs: number | undefined; endMs: number | undefined; limit: number; token: string | undefined; fromHead: boolean }): unknown {
    this.logs.flush();
    const store = this.logs.store;
    if (!store.hasStream(group, stream)) throw notFound('The specified log stream does not exist.');
    let forward = request.fromHead;
    let after: { timestampMs: number; id: number } | undefined;
    if (request.token !== undefined) {
      const match = /^([fb])\/(.+)$/.exec(request.token);
      if (match === null) throw invalid('The specified nextToken is invalid.');
      forward = match[1] === 'f';
      after = decodeToken(match[2] ?? '');
    }
    const events: StoredLogEvent[] = [];
    for (const event of store.scan({
      groupName: group,
      streamNames: [stream],
      ...(request.startMs !== undefined ? { startMs: request.startMs } : {}),
      ...(request.endMs !== undefined ? { endMs: request.endMs } : {}),
      ...(after !== undefined ? { after } : {}),
      descending: !forward,
    })) {
      events.push(event);
      if (events.length >= request.limit) break;
    }
    if (!forward) events.reverse();
    const first = events[0];
    const last = events.at(-1);
    const same = request.token;
    return {
      events: events.map((event) => ({ timestamp: event.timestampMs, message: event.message, ingestionTime: event.ingestionMs })),
      nextForwardToken: last !== undefined ? `f/${encodeToken(last)}` : same !== undefined && same.startsWith('f/') ? same : `f/${encodeToken(after ?? { timestampMs: 0, id: 0 })}`,
      nextBackwardToken: first !== undefined ? `b/${encodeToken(first)}` : same !== undefined && same.startsWith('b/') ? same : `b/${encodeToken(after ?? { timestampMs: Number.MAX_SAFE_INTEGER, id: 0 })}`,
    };
  }
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

function missing(name: string): AwsError {
  return invalid(`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
}

function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message);
}

/** The store's, the pattern parser's and the query parser's errors as the API answers them. */
function translated<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof LogStoreError) {
      throw error.kind === 'ResourceNotFound' ? notFound(error.message) : new AwsError('ResourceAlreadyExistsException', error.message);
    }
    if (error instanceof FilterPatternError || error instanceof InvalidTokenError) throw invalid(error.message);
    if (error instanceof MalformedQueryError) throw new AwsError('MalformedQueryException', error.message);
    if (error instanceof QueryNotFoundError) throw notFound(error.message);
    throw error;
  }
}

function groupName(input: JsonInput): string {
  if (!input.has('logGroupName')) throw missing('logGroupName');
  const name = input.string('logGroupName');
  if (!GROUP_NAME.test(name)) {
    throw invalid(`1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`);
  }
  return name;
}

/** `logGroupName`, or `logGroupIdentifier` (a name or an ARN), one of them. */
function groupIdentifier(input: JsonInput): string {
  const identifier = input.optionalString('logGroupIdentifier');
  if (identifier !== undefined && input.has('logGroupName')) throw invalid('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  if (identifier !== undefined) return /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(identifier)?.[1] ?? identifier;
  return groupName(input);
}

function queryGroups(input: JsonInput): string[] {
  const names = [
    ...(input.has('logGroupName') ? [input.string('logGroupName')] : []),
    ...(input.optionalStringList('logGroupNames') ?? []),
    ...(input.optionalStringList('logGroupIdentifiers') ?? []).map((id) => /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(id)?.[1] ?? id),
  ];
  if (names.length === 0) throw invalid('Query must specify at least one log group: logGroupName, logGroupNames or logGroupIdentifiers.');
  if (names.length > 50) throw invalid('Queries can search at most 50 log groups.');
  return names;
}

function streamName(input: JsonInput): string {
  if (!input.has('logStreamName')) throw missing('logStreamName');
  const name = input.string('logStreamName');
  if (name.length < 1 || name.length > 512 || /[:*]/.test(name)) {
    throw invalid(`1 validation error detected: Value '${name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`);
  }
  return name;
}

function requiredInteger(input: JsonInput, name: string): number {
  const value = input.optionalInteger(name, 0, Number.MAX_SAFE_INTEGER);
  if (value === undefined) throw missing(name);
  return value;
}

function tokenText(token: string): string {
  return Buffer.from(token, 'base64url').toString('utf8');
}

function readEvents(input: JsonInput): Array<{ timestamp: number; message: string }> {
  const list = input.list('logEvents');
  if (list.length < 1) throw invalid('1 validation error detected: Value \'[]\' at \'logEvents\' failed to satisfy constraint: Member must have length greater than or equal to 1');
  if (list.length > MAX_BATCH_EVENTS) throw invalid(`1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BATCH_EVENTS}`);
  let bytes = 0;
  const events = list.map((item, index) => {
    const entry = JsonInput.of(item, `logEvents[${index}]`);
    const timestamp = entry.optionalInteger('timestamp', 0, Number.MAX_SAFE_INTEGER);
    if (timestamp === undefined) throw missing(`logEvents.${index + 1}.member.timestamp`);
    const message = entry.optionalString('message');
    if (message === undefined) throw missing(`logEvents.${index + 1}.member.message`);
    if (message.length < 1) throw invalid(`1 validation error detected: Value '' at 'logEvents.${index + 1}.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1`);
    bytes += Buffer.byteLength(message) + EVENT_OVERHEAD_BYTES;
    return { timestamp, message };
  });
  if (bytes > MAX_BATCH_BYTES) throw invalid(`Log event batch is too large: ${bytes} bytes (the limit is ${MAX_BATCH_BYTES} bytes, 26 bytes counted for each event).`);
  for (let i = 1; i < events.length; i++) {
    if ((events[i]?.timestamp ?? 0) < (events[i - 1]?.timestamp ?? 0)) throw invalid('Log events in a single PutLogEvents request must be in chronological order.');
  }
  const first = events[0]?.timestamp ?? 0;
  const last = events.at(-1)?.timestamp ?? 0;
  if (last - first > DAY_MS) throw invalid('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  return events;
}
