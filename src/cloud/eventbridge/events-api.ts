/**
 * EventBridge's wire protocol as the AWS SDK v3 client and the CLI send it: awsJson1_1, `X-Amz-Target:
 * AWSEvents.<Operation>`, signing name `events`. Each operation reads its members, names the IAM
 * action and resource it needs, and runs against the EventBridgeService.
 */
import type { AwsError } from '../protocol/errors.ts';
import type { JsonProtocol } from '../protocol/json-protocol.ts';
import { JsonInput, parseJsonObject, renderJsonError, targetOperation, unknownOperation } from '../protocol/json-protocol.ts';
import type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest, Permission } from '../protocol/service.ts';
import { tryParseTraceHeader } from '../tracing/trace-header.ts';
import { compilePattern, eventBridgePatternMessage } from '../event-patterns/index.ts';
import { eventsErrors } from './errors.ts';
import type { EventEntry, EventBridgeService, TargetInputSpec } from './eventbridge-service.ts';
import { busName } from './eventbridge-service.ts';
import { entryBytes, MAX_INPUT_PATHS, MAX_PUT_EVENTS_BYTES, MAX_PUT_EVENTS_ENTRIES, MAX_TARGETS_PER_CALL } from './limits.ts';
import type { EventBus, Rule, RuleState, Target } from './model.ts';

const PROTOCOL: JsonProtocol = { target: 'AWSEvents', namespace: 'com.amazonaws.events', queryCompatible: false };
const JSON_1_1 = 'application/x-amz-json-1.1';

interface Read {
  /** The resource IAM authorizes the call on (several for PutEvents over several buses). */
  readonly resources: readonly string[];
  readonly run: () => unknown;
}

type Operation = (input: JsonInput, request: EndpointRequest) => Read;

const EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'];
const STATES: ReadonlySet<string> = new Set(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);

export class EventsApi implements AwsProtocolService {
  readonly name = 'EventBridge';
  readonly signingName = 'events';
  private readonly operations: Readonly<Record<string, Operation>>;

  constructor(private readonly events: EventBridgeService) {
    const ruleArnOf = (input: JsonInput, nameMember = 'Name'): string => this.events.ruleArn(busName(input.optionalString('EventBusName')), input.string(nameMember));
    this.operations = {
      PutEvents: (input, request) => {
        const entries = readEntries(input, request);
        const buses = [...new Set(entries.map((entry) => this.events.busArn(busName(entry.eventBusName))))];
        return {
          resources: buses,
          run: () => {
            const results = this.events.putEvents(entries);
            const failed = results.filter((result) => 'errorCode' in result).length;
            return {
              FailedEntryCount: failed,
              Entries: results.map((result) => ('eventId' in result ? { EventId: result.eventId } : { ErrorCode: result.errorCode, ErrorMessage: result.errorMessage })),
            };
          },
        };
      },
      CreateEventBus: (input) => {
        const name = input.string('Name');
        const description = input.optionalString('Description');
        return { resources: [this.events.busArn(name)], run: () => ({ EventBusArn: this.events.createEventBus(name, description).arn }) };
      },
      DeleteEventBus: (input) => {
        const name = input.string('Name');
        return { resources: [this.events.busArn(name)], run: () => (this.events.deleteEventBus(name), {}) };
      },
      DescribeEventBus: (input) => {
        const name = busName(input.optionalString('Name'));
        return { resources: [this.events.busArn(name)], run: () => wireBus(this.events.bus(name)) };
      },
      ListEventBuses: (input) => {
        const prefix = input.optionalString('NamePrefix') ?? '';
        const page = pageOf(input);
        return {
          resources: [this.events.busArn('*')],
          run: () => {
            const { items, nextToken } = page(this.events.listEventBuses().filter((bus) => bus.name.startsWith(prefix)));
            return { EventBuses: items.map(wireBus), ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
          },
        };
      },
      PutRule: (input) => {
        const name = input.string('Name');
        const eventBusName = input.optionalString('EventBusName');
        const state = input.optionalString('State');
        if (state !== undefined && !STATES.has(state)) throw eventsErrors.validation(`1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]`);
        const eventPattern = input.optionalString('EventPattern');
        const scheduleExpression = input.optionalString('ScheduleExpression');
        const description = input.optionalString('Description');
        const roleArn = input.optionalString('RoleArn');
        return {
          resources: [ruleArnOf(input)],
          run: () => ({
            RuleArn: this.events.putRule({
              name,
              ...(eventBusName !== undefined ? { eventBusName } : {}),
              ...(eventPattern !== undefined ? { eventPattern } : {}),
              ...(scheduleExpression !== undefined ? { scheduleExpression } : {}),
              ...(state !== undefined ? { state: state as RuleState } : {}),
              ...(description !== undefined ? { description } : {}),
              ...(roleArn !== undefined ? { roleArn } : {}),
            }).arn,
          }),
        };
      },
      DescribeRule: (input) => {
        const name = input.string('Name');
        const bus = input.optionalString('EventBusName');
        return { resources: [ruleArnOf(input)], run: () => wireRule(this.events.rule(name, bus)) };
      },
      ListRules: (input) => {
        const bus = input.optionalString('EventBusName');
        const prefix = input.optionalString('NamePrefix') ?? '';
        const page = pageOf(input);
        return {
          resources: [this.events.ruleArn(busName(bus), '*')],
          run: () => {
            const { items, nextToken } = page(this.events.listRules(bus, prefix));
            return { Rules: items.map(wireRule), ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
          },
        };
      },
      DeleteRule: (input) => {
        const name = input.string('Name');
        const bus = input.optionalString('EventBusName');
        return { resources: [ruleArnOf(input)], run: () => (this.events.deleteRule(name, bus), {}) };
      },
      EnableRule: (input) => {
        const name = input.string('Name');
        const bus = input.optionalString('EventBusName');
        return { resources: [ruleArnOf(input)], run: () => (this.events.setRuleState(name, bus, 'ENABLED'), {}) };
      },
      DisableRule: (input) => {
        const name = input.string('Name');
        const bus = input.optionalString('EventBusName');
        return { resources: [ruleArnOf(input)], run: () => (this.events.setRuleState(name, bus, 'DISABLED'), {}) };
      },
      PutTargets: (input) => {
        const rule = input.string('Rule');
        const bus = input.optionalString('EventBusName');
        const targets = input.list('Targets');
        if (targets.length < 1 || targets.length > MAX_TARGETS_PER_CALL) throw lengthError('targets', targets.length, 1, MAX_TARGETS_PER_CALL);
        const specs = targets.map((value, index) => readTarget(JsonInput.of(value, `Targets[${index}]`)));
        return {
          resources: [ruleArnOf(input, 'Rule')],
          run: () => {
            const failed = this.events.putTargets(rule, bus, specs);
            return { FailedEntryCount: failed.length, FailedEntries: failed.map((entry) => ({ TargetId: entry.targetId, ErrorCode: entry.errorCode, ErrorMessage: entry.errorMessage })) };
          },
        };
      },
      RemoveTargets: (input) => {
        const rule = input.string('Rule');
        const bus = input.optionalString('EventBusName');
        const ids = input.optionalStringList('Ids') ?? [];
        if (ids.length < 1 || ids.length > MAX_TARGETS_PER_CALL) throw lengthError('ids', ids.length, 1, MAX_TARGETS_PER_CALL);
        return { resources: [ruleArnOf(input, 'Rule')], run: () => (this.events.removeTargets(rule, bus, ids), { FailedEntryCount: 0, FailedEntries: [] }) };
      },
      ListTargetsByRule: (input) => {
        const rule = input.string('Rule');
        const bus = input.optionalString('EventBusName');
        const page = pageOf(input);
        return {
          resources: [ruleArnOf(input, 'Rule')],
          run: () => {
            const { items, nextToken } = page([...this.events.rule(rule, bus).targets.values()]);
            return { Targets: items.map(wireTarget), ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
          },
        };
      },
      ListRuleNamesByTarget: (input) => {
        const targetArn = input.string('TargetArn');
        const bus = input.optionalString('EventBusName');
        const page = pageOf(input);
        return {
          resources: [this.events.ruleArn(busName(bus), '*')],
          run: () => {
            const names = this.events.listRules(bus).filter((rule) => [...rule.targets.values()].some((target) => target.arn === targetArn)).map((rule) => rule.name);
            const { items, nextToken } = page(names);
            return { RuleNames: items, ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
          },
        };
      },
      TestEventPattern: (input) => {
        const pattern = input.string('EventPattern');
        const eventText = input.string('Event');
        return {
          resources: ['*'],
          run: () => {
            const compiled = compilePattern(pattern);
            if (!compiled.ok) throw eventsErrors.invalidPattern(eventBridgePatternMessage(compiled.reason));
            let event: unknown;
            try {
              event = JSON.parse(eventText);
            } catch {
              throw eventsErrors.validation('Parameter Event is not valid.');
            }
            // The API reference: id, account, source, time, region, resources and detail-type are mandatory.
            if (typeof event !== 'object' || event === null || Array.isArray(event) || EVENT_FIELDS.some((field) => !(field in event))) {
              throw eventsErrors.validation('Parameter Event is not valid.');
            }
            return { Result: compiled.pattern.matches(event) };
          },
        };
      },
    };
  }

  accepts(request: EndpointRequest): boolean {
    return targetOperation(request, PROTOCOL) !== undefined;
  }

  parse(request: EndpointRequest): AwsCall {
    const operation = targetOperation(request, PROTOCOL) ?? '';
    const read = Object.hasOwn(this.operations, operation) ? this.operations[operation] : undefined;
    if (!read) throw unknownOperation(operation, 'EventBridge');
    const { resources, run } = read(new JsonInput(parseJsonObject(request)), request);
    const permissions: Permission[] = resources.map((resourceArn) => ({ action: `events:${operation}`, resourceArn }));
    return {
      operation,
      permissions,
      run: async () => ({ status: 200, headers: { 'content-type': JSON_1_1 }, body: JSON.stringify(run()) }),
    };
  }

  renderError(error: AwsError): EndpointReply {
    // The shared readers' parameter errors are EventBridge's ValidationException.
    const shaped = error.code === 'MissingParameter' || error.code === 'InvalidParameterValue' ? eventsErrors.validation(error.message) : error;
    const reply = renderJsonError(shaped, PROTOCOL);
    return { ...reply, headers: { ...reply.headers, 'content-type': JSON_1_1 } };
  }

  accessDenied(message: string): AwsError {
    return eventsErrors.accessDenied(message);
  }
}

function lengthError(member: string, length: number, min: number, max: number): AwsError {
  const bound = length < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
  return eventsErrors.validation(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length ${bound}`);
}

function checkLength(member: string, value: string, min: number, max: number): void {
  if (value.length < min || value.length > max) {
    const bound = value.length < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
    throw eventsErrors.validation(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length ${bound}`);
  }
}

function readEntries(input: JsonInput, request: EndpointRequest): EventEntry[] {
  const list = input.list('Entries');
  if (list.length < 1 || list.length > MAX_PUT_EVENTS_ENTRIES) throw lengthError('entries', list.length, 1, MAX_PUT_EVENTS_ENTRIES);
  let bytes = 0;
  const entries = list.map((value, index) => {
    const entry = JsonInput.of(value, `Entries[${index}]`);
    const time = entry.data['Time'];
    const resources = entry.optionalStringList('Resources');
    const read = {
      source: entry.optionalString('Source') ?? '',
      detailType: entry.optionalString('DetailType') ?? '',
      detail: entry.optionalString('Detail') ?? '',
      ...(resources !== undefined ? { resources } : {}),
    };
    bytes += entryBytes({ ...read, time });
    const bus = entry.optionalString('EventBusName');
    // The entry's TraceHeader wins over the request's X-Amzn-Trace-Id; an invalid one is dropped.
    const traceText = entry.optionalString('TraceHeader');
    const trace = traceText !== undefined ? tryParseTraceHeader(traceText) : request.trace;
    return {
      ...read,
      ...(bus !== undefined ? { eventBusName: bus } : {}),
      ...(time !== undefined && time !== null ? { timeMs: timeMs(time, index) } : {}),
      ...(trace !== undefined ? { trace } : {}),
    };
  });
  if (bytes > MAX_PUT_EVENTS_BYTES) throw eventsErrors.validation('Total size of the entries in the request is over the limit.');
  return entries;
}

/** A timestamp as the SDKs send it in awsJson: epoch seconds (the CLI may send ISO text). */
function timeMs(value: unknown, index: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  throw eventsErrors.validation(`Entries[${index}].Time must be a timestamp.`);
}

function readTarget(target: JsonInput): TargetInputSpec {
  const transformer = target.optionalObject('InputTransformer');
  const retry = target.optionalObject('RetryPolicy');
  const deadLetter = target.optionalObject('DeadLetterConfig');
  const sqs = target.optionalObject('SqsParameters');
  const id = target.string('Id');
  if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(id)) throw eventsErrors.validation(`${target.path}Id ${id} is not valid: 1 to 64 letters, digits, '.', '-' or '_'.`);
  let inputTransformer;
  if (transformer !== undefined) {
    const read = JsonInput.of(transformer, `${target.path}InputTransformer`);
    const paths = read.optionalObject('InputPathsMap') ?? {};
    if (Object.keys(paths).length > MAX_INPUT_PATHS) throw eventsErrors.validation(`InputPathsMap has more than ${MAX_INPUT_PATHS} entries.`);
    for (const [name, path] of Object.entries(paths)) {
      if (typeof path !== 'string') throw eventsErrors.validation(`InputPathsMap.${name} must be a JSON path string.`);
      if (name.toLowerCase().startsWith('aws.')) throw eventsErrors.validation(`InputPathsMap key ${name} is reserved: keys cannot start with "aws.".`);
    }
    const inputTemplate = read.string('InputTemplate');
    checkLength(`${read.path}InputTemplate`, inputTemplate, 1, 8192);
    inputTransformer = { inputPathsMap: paths as Record<string, string>, inputTemplate };
  }
  let retryPolicy;
  if (retry !== undefined) {
    const read = JsonInput.of(retry, `${target.path}RetryPolicy`);
    const attempts = read.optionalInteger('MaximumRetryAttempts', 0, 185);
    const age = read.optionalInteger('MaximumEventAgeInSeconds', 60, 86_400);
    retryPolicy = { ...(attempts !== undefined ? { maximumRetryAttempts: attempts } : {}), ...(age !== undefined ? { maximumEventAgeSeconds: age } : {}) };
  }
  const deadLetterArn = deadLetter !== undefined ? JsonInput.of(deadLetter, `${target.path}DeadLetterConfig`).optionalString('Arn') : undefined;
  const messageGroupId = sqs !== undefined ? JsonInput.of(sqs, `${target.path}SqsParameters`).optionalString('MessageGroupId') : undefined;
  const roleArn = target.optionalString('RoleArn');
  const input = target.optionalString('Input');
  const inputPath = target.optionalString('InputPath');
  // The API reference's length constraints of InputTransformer, Input and InputPath.
  if (input !== undefined) checkLength(`${target.path}Input`, input, 0, 8192);
  if (inputPath !== undefined) checkLength(`${target.path}InputPath`, inputPath, 0, 256);
  return {
    id,
    arn: target.string('Arn'),
    ...(roleArn !== undefined ? { roleArn } : {}),
    ...(input !== undefined ? { input } : {}),
    ...(inputPath !== undefined ? { inputPath } : {}),
    ...(inputTransformer !== undefined ? { inputTransformer } : {}),
    ...(retryPolicy !== undefined ? { retryPolicy } : {}),
    ...(deadLetterArn !== undefined ? { deadLetterArn } : {}),
    ...(messageGroupId !== undefined ? { messageGroupId } : {}),
  };
}

/** Limit (1 to 100) and an opaque offset as NextToken. */
function pageOf(input: JsonInput): <T>(items: readonly T[]) => { items: T[]; nextToken: string | undefined } {
  const limit = input.optionalInteger('Limit', 1, 100) ?? 100;
  const token = input.optionalString('NextToken');
  const offset = token === undefined ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(offset) || offset < 0) throw eventsErrors.validation('The NextToken is not valid.');
  return (items) => {
    const end = offset + limit;
    return { items: items.slice(offset, end), nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
  };
}

function wireBus(bus: EventBus): Record<string, unknown> {
  return {
    Name: bus.name,
    Arn: bus.arn,
    ...(bus.description !== undefined ? { Description: bus.description } : {}),
    CreationTime: bus.createdAtMs / 1000,
    LastModifiedTime: bus.createdAtMs / 1000,
  };
}

function wireRule(rule: Rule): Record<string, unknown> {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventBusName: rule.eventBusName,
    State: rule.state,
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.schedule !== undefined ? { ScheduleExpression: rule.schedule.expression } : {}),
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
  };
}

function wireTarget(target: Target): Record<string, unknown> {
  return {
    Id: target.id,
    Arn: target.arn,
    ...(target.roleArn !== undefined ? { RoleArn: target.roleArn } : {}),
    ...(target.input !== undefined ? { Input: target.input } : {}),
    ...(target.inputPath !== undefined ? { InputPath: target.inputPath } : {}),
    ...(target.inputTransformer !== undefined ? { InputTransformer: { InputPathsMap: target.inputTransformer.inputPathsMap, InputTemplate: target.inputTransformer.inputTemplate } } : {}),
    RetryPolicy: { MaximumRetryAttempts: target.retryPolicy.maximumRetryAttempts, MaximumEventAgeInSeconds: target.retryPolicy.maximumEventAgeSeconds },
    ...(target.deadLetterArn !== undefined ? { DeadLetterConfig: { Arn: target.deadLetterArn } } : {}),
    ...(target.messageGroupId !== undefined ? { SqsParameters: { MessageGroupId: target.messageGroupId } } : {}),
  };
}
