/**
 * The local EventBridge: the default bus and custom buses, rules matched with the event-pattern
 * engine or fired by a schedule, and delivery to their targets (Lambda, SQS, SNS, another bus) with
 * the target's input, retry policy and dead-letter queue. Deliveries run after PutEvents answers, as
 * on EventBridge. The trace header of PutEvents travels to every target unchanged: EventBridge sends
 * no segment of its own; the caller's PutEvents subsegment is the EventBridge node of the map.
 */
import type { Clock, IdSource, Logger } from '../core/runtime.ts';
import { randomIds, silentLogger, sleepMs, systemClock } from '../core/runtime.ts';
import type { LambdaInvoker, QueueService, TraceHeader } from '../core/types.ts';
import { compilePattern, eventBridgePatternMessage } from '../event-patterns/index.ts';
import { eventsErrors } from './errors.ts';
import { MAX_TARGETS_PER_RULE } from './limits.ts';
import type { BusEvent, EventBus, InputTransformer, RetryPolicy, Rule, RuleState, Target } from './model.ts';
import { DEFAULT_RETRY_POLICY } from './model.ts';
import { parseSchedule } from './schedule.ts';
import { targetInput } from './target-input.ts';

/** What EventBridge needs from SNS for topic targets (SnsService has it). */
export interface TopicPublisher {
  publish(input: { topicArn: string; message: string; trace?: TraceHeader }): Promise<{ messageId: string }>;
}

export interface EventBridgeOptions {
  readonly lambda: LambdaInvoker;
  readonly queues: QueueService;
  readonly topics?: TopicPublisher;
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default "000000000000" */
  readonly accountId?: string;
  /** Drives the schedules and event ages; tests move it by hand. */
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly logger?: Logger;
  /** Wait before retry `n` (1-based). @default exponential from 1 s to 60 s */
  readonly retryDelayMs?: (retry: number) => number;
  /** How often the schedules are checked against the clock; 0 leaves it to `tick()` calls. @default 1000 */
  readonly scheduleIntervalMs?: number;
}

export interface PutRuleInput {
  readonly name: string;
  readonly eventBusName?: string;
  readonly eventPattern?: string;
  readonly scheduleExpression?: string;
  readonly state?: RuleState;
  readonly description?: string;
  readonly roleArn?: string;
}

export interface TargetInputSpec {
  readonly id: string;
  readonly arn: string;
  readonly roleArn?: string;
  readonly input?: string;
  readonly inputPath?: string;
  readonly inputTransformer?: InputTransformer;
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly deadLetterArn?: string;
  readonly messageGroupId?: string;
}

export interface EventEntry {
  readonly source: string;
  readonly detailType: string;
  /** JSON text of an object. */
  readonly detail: string;
  readonly resources?: readonly string[];
  readonly eventBusName?: string;
  readonly timeMs?: number;
  readonly trace?: TraceHeader;
}

export type EntryResult = { readonly eventId: string } | { readonly errorCode: string; readonly errorMessage: string };

/** A failed delivery: EventBridge's error code (the DLQ's ERROR_CODE) and whether a retry may help. */
class DeliveryError extends Error {
  constructor(readonly code: string, message: string, readonly retryable: boolean) {
    super(message);
  }
}

const DEFAULT_BUS = 'default';

export class EventBridgeService {
  private readonly buses = new Map<string, EventBus>();
  /** Rules by bus name, then rule name. */
  private readonly rules = new Map<string, Map<string, Rule>>();
  /** The next firing of each scheduled rule, by rule ARN. */
  private readonly nextFiring = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Fired by stop: retries waiting for their next try are abandoned (logged), not waited out. */
  private readonly stopping = new AbortController();
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  readonly region: string;
  readonly accountId: string;

  constructor(private readonly options: EventBridgeOptions) {
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIds;
    this.logger = options.logger ?? silentLogger;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.createEventBus(DEFAULT_BUS);
  }

  /** Starts checking the schedules. */
  start(): void {
    const interval = this.options.scheduleIntervalMs ?? 1000;
    if (interval > 0 && this.timer === undefined) {
      this.timer = setInterval(() => this.tick(), interval);
      this.timer.unref();
    }
  }

  /**
   * Stops the schedules and lets deliveries already under way finish; a delivery waiting to retry
   * (up to 185 times over 24 hours by default) is abandoned and logged, since the events are kept in
   * memory only.
   */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.stopping.abort();
    await this.idle();
  }

  /** Resolves when every delivery started so far has ended (delivered, or dead-lettered, or dropped). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  // Buses

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:event-bus/${name}`;
  }

  createEventBus(name: string, description?: string): EventBus {
    if (!/^[/.\-_A-Za-z0-9]{1,256}$/.test(name)) throw eventsErrors.validation(`Event bus name ${name} is not valid.`);
    if (this.buses.has(name)) throw eventsErrors.alreadyExists(`Event bus ${name} already exists.`);
    const bus: EventBus = { name, arn: this.busArn(name), description, createdAtMs: this.clock.nowMs() };
    this.buses.set(name, bus);
    this.rules.set(name, new Map());
    return bus;
  }

  deleteEventBus(name: string): void {
    if (name === DEFAULT_BUS) throw eventsErrors.validation('Cannot delete event bus default.');
    const rules = this.rules.get(name);
    if (rules !== undefined && rules.size > 0) throw eventsErrors.validation(`Cannot delete event bus ${name} because it has rules.`);
    // Deleting a bus that does not exist succeeds, as on EventBridge.
    this.buses.delete(name);
    this.rules.delete(name);
  }

  /** A bus by name or ARN. */
  bus(nameOrArn: string | undefined): EventBus {
    const name = busName(nameOrArn);
    const bus = this.buses.get(name);
    if (bus === undefined) throw eventsErrors.notFound(`Event bus ${name} does not exist.`);
    return bus;
  }

  listEventBuses(): EventBus[] {
    return [...this.buses.values()];
  }

  // Rules

  ruleArn(busNameText: string, ruleName: string): string {
    const path = busNameText === DEFAULT_BUS ? ruleName : `${busNameText}/${ruleName}`;
    return `arn:aws:events:${this.region}:${this.accountId}:rule/${path}`;
  }

  /** Creates or updates a rule; its targets stay. */
  putRule(input: PutRuleInput): Rule {
    const bus = this.bus(input.eventBusName);
    if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(input.name)) throw eventsErrors.validation(`Rule name ${input.name} is not valid.`);
    if (input.eventPattern === undefined && input.scheduleExpression === undefined) {
      throw eventsErrors.validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    let pattern;
    if (input.eventPattern !== undefined) {
      const compiled = compilePattern(input.eventPattern);
      if (!compiled.ok) throw eventsErrors.invalidPattern(eventBridgePatternMessage(compiled.reason));
      pattern = compiled.pattern;
    }
    const arn = this.ruleArn(bus.name, input.name);
    let schedule;
    if (input.scheduleExpression !== undefined) {
      if (bus.name !== DEFAULT_BUS) throw eventsErrors.validation('ScheduleExpression is supported only on the default event bus.');
      schedule = parseSchedule(input.scheduleExpression, this.clock.nowMs());
      if (schedule === undefined) throw eventsErrors.validation('Parameter ScheduleExpression is not valid.');
    }
    const rules = this.rulesOf(bus.name);
    const existing = rules.get(input.name);
    const rule: Rule = {
      name: input.name,
      arn,
      eventBusName: bus.name,
      eventPattern: input.eventPattern,
      pattern,
      schedule,
      state: input.state ?? 'ENABLED',
      description: input.description,
      roleArn: input.roleArn,
      targets: existing?.targets ?? new Map(),
    };
    rules.set(input.name, rule);
    this.nextFiring.delete(arn);
    if (schedule !== undefined) {
      const next = schedule.next(this.clock.nowMs());
      if (next !== undefined) this.nextFiring.set(arn, next);
    }
    return rule;
  }

  rule(name: string, eventBusName?: string): Rule {
    const bus = this.bus(eventBusName);
    const rule = this.rulesOf(bus.name).get(name);
    if (rule === undefined) throw eventsErrors.notFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
    return rule;
  }

  listRules(eventBusName?: string, namePrefix = ''): Rule[] {
    const bus = this.bus(eventBusName);
    return [...this.rulesOf(bus.name).values()].filter((rule) => rule.name.startsWith(namePrefix)).sort((a, b) => a.name.localeCompare(b.name));
  }

  setRuleState(name: string, eventBusName: string | undefined, state: RuleState): void {
    const rule = this.rule(name, eventBusName);
    this.rulesOf(rule.eventBusName).set(name, { ...rule, state });
  }

  deleteRule(name: string, eventBusName?: string): void {
    const bus = this.bus(eventBusName);
    const rule = this.rulesOf(bus.name).get(name);
    if (rule === undefined) return;
    if (rule.targets.size > 0) throw eventsErrors.validation("Rule can't be deleted since it has targets.");
    this.rulesOf(bus.name).delete(name);
    this.nextFiring.delete(rule.arn);
  }

  /** Adds or replaces targets; the ones EventBridge would refuse come back with their reason. */
  putTargets(ruleName: string, eventBusName: string | undefined, specs: readonly TargetInputSpec[]): Array<{ targetId: string; errorCode: string; errorMessage: string }> {
    const rule = this.rule(ruleName, eventBusName);
    const failed: Array<{ targetId: string; errorCode: string; errorMessage: string }> = [];
    const added = specs.filter((spec) => !rule.targets.has(spec.id)).length;
    if (rule.targets.size + added > MAX_TARGETS_PER_RULE) {
      throw eventsErrors.limitExceeded(`The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).`);
    }
    for (const spec of specs) {
      const refusal = targetRefusal(spec);
      if (refusal !== undefined) {
        failed.push({ targetId: spec.id, errorCode: 'ValidationException', errorMessage: refusal });
        continue;
      }
      rule.targets.set(spec.id, {
        id: spec.id,
        arn: spec.arn,
        roleArn: spec.roleArn,
        input: spec.input,
        inputPath: spec.inputPath,
        inputTransformer: spec.inputTransformer,
        retryPolicy: { ...DEFAULT_RETRY_POLICY, ...spec.retryPolicy },
        deadLetterArn: spec.deadLetterArn,
        messageGroupId: spec.messageGroupId,
      });
    }
    return failed;
  }

  removeTargets(ruleName: string, eventBusName: string | undefined, ids: readonly string[]): void {
    const rule = this.rule(ruleName, eventBusName);
    for (const id of ids) rule.targets.delete(id);
  }

  // Events

  /** One result per entry, in order: an event id, or the entry's error. */
  putEvents(entries: readonly EventEntry[]): EntryResult[] {
    const ingestedAtMs = this.clock.nowMs();
    return entries.map((entry) => {
      const refusal = entryRefusal(entry);
      if (refusal !== undefined) return refusal;
      const bus = this.buses.get(busName(entry.eventBusName));
      const event: BusEvent = {
        version: '0',
        id: this.ids.uuid(),
        'detail-type': entry.detailType,
        source: entry.source,
        account: this.accountId,
        time: isoSeconds(entry.timeMs ?? ingestedAtMs),
        region: this.region,
        resources: [...(entry.resources ?? [])],
        detail: JSON.parse(entry.detail) as unknown,
      };
      // EventBridge accepts an event for a bus that does not exist and answers its id: it goes nowhere.
      if (bus === undefined) this.logger.warn(`eventbridge: event ${event.id} was put on the event bus ${busName(entry.eventBusName)}, which does not exist; as on AWS it is accepted and goes nowhere`);
      else this.route(bus.name, event, entry.trace, ingestedAtMs, false);
      return { eventId: event.id };
    });
  }

  /** Fires the scheduled rules whose time has come by the clock. */
  tick(): void {
    const now = this.clock.nowMs();
    for (const rule of this.rulesOf(DEFAULT_BUS).values()) {
      let next = this.nextFiring.get(rule.arn);
      if (rule.schedule === undefined || next === undefined) continue;
      // A clock moved far ahead fires each missed time, up to a bound.
      for (let fired = 0; next !== undefined && next <= now && fired < 1000; fired += 1) {
        if (rule.state !== 'DISABLED') this.fireSchedule(rule, next);
        next = rule.schedule.next(next);
      }
      if (next === undefined) this.nextFiring.delete(rule.arn);
      else this.nextFiring.set(rule.arn, next);
    }
  }

  private fireSchedule(rule: Rule, atMs: number): void {
    const event: BusEvent = {
      version: '0',
      id: this.ids.uuid(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.accountId,
      time: isoSeconds(atMs),
      region: this.region,
      resources: [rule.arn],
      detail: {},
    };
    // Scheduled events carry no trace header: X-Ray does not trace them.
    for (const target of rule.targets.values()) this.track(this.deliver(rule, target, event, undefined, atMs, false));
  }

  /**
   * Hands the event to the targets of every enabled rule of the bus whose pattern matches.
   * `forwarded`: the event came from another bus, and so goes to no third one.
   */
  private route(busNameText: string, event: BusEvent, trace: TraceHeader | undefined, ingestedAtMs: number, forwarded: boolean): void {
    for (const rule of this.rulesOf(busNameText).values()) {
      if (rule.state === 'DISABLED' || rule.pattern === undefined || !rule.pattern.matches(event)) continue;
      for (const target of rule.targets.values()) this.track(this.deliver(rule, target, event, trace, ingestedAtMs, forwarded));
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** One target: tries until it succeeds, the retry policy is spent or the error cannot pass; then the DLQ. */
  private async deliver(rule: Rule, target: Target, event: BusEvent, trace: TraceHeader | undefined, ingestedAtMs: number, forwarded: boolean): Promise<void> {
    const { maximumRetryAttempts, maximumEventAgeSeconds } = target.retryPolicy;
    let retries = 0;
    for (;;) {
      try {
        await this.send(rule, target, event, trace, ingestedAtMs, forwarded);
        return;
      } catch (error) {
        // An event nested deeper than JSON.stringify can write (RangeError) cannot be sent by any retry.
        const failure = error instanceof DeliveryError
          ? error
          : error instanceof RangeError ? new DeliveryError('INVALID_JSON', error.message, false) : new DeliveryError('UNKNOWN', (error as Error).message, true);
        const ageSeconds = (this.clock.nowMs() - ingestedAtMs) / 1000;
        let exhausted: string | undefined;
        if (!failure.retryable) exhausted = undefined;
        else if (retries >= maximumRetryAttempts) exhausted = 'MaximumRetryAttempts';
        else if (ageSeconds >= maximumEventAgeSeconds) exhausted = 'MaximumEventAgeInSeconds';
        else {
          retries += 1;
          await sleepMs(this.options.retryDelayMs?.(retries) ?? Math.min(60_000, 1000 * 2 ** (retries - 1)), this.stopping.signal);
          if (this.stopping.signal.aborted) {
            this.logger.warn(`eventbridge: event ${event.id} to ${target.arn} abandoned at stop after ${retries} failed attempt(s): ${failure.message}`);
            return;
          }
          continue;
        }
        await this.deadLetter(rule, target, event, trace, failure, exhausted, retries);
        return;
      }
    }
  }

  private async send(rule: Rule, target: Target, event: BusEvent, trace: TraceHeader | undefined, ingestedAtMs: number, forwarded: boolean): Promise<void> {
    const input = targetInput(target, event, rule, ingestedAtMs);
    const service = target.arn.split(':')[2];
    if (service === 'lambda') {
      const result = await this.options.lambda.invoke({
        functionName: target.arn,
        payload: input.json,
        invocationType: 'Event',
        ...(trace !== undefined ? { trace } : {}),
        caller: { kind: 'sdk', arn: rule.arn },
      });
      if (result.statusCode < 300) return;
      const message = result.errorMessage ?? `Lambda answered ${result.statusCode}`;
      if (result.statusCode === 404) throw new DeliveryError('NO_RESOURCE', message, false);
      if (result.statusCode === 429) throw new DeliveryError('THROTTLING', message, true);
      if (result.statusCode === 413) throw new DeliveryError('INVALID_PARAMETER', message, false);
      throw new DeliveryError('SDK_CLIENT_ERROR', message, true);
    }
    if (service === 'sqs') {
      // SqsParameters.MessageGroupId rides along for a queue service that reads it (FIFO queues).
      const options = { ...(trace !== undefined ? { trace } : {}), ...(target.messageGroupId !== undefined ? { messageGroupId: target.messageGroupId } : {}) };
      await this.call(() => this.options.queues.sendMessage(target.arn, input.text, options));
      return;
    }
    if (service === 'sns') {
      const topics = this.options.topics;
      if (topics === undefined) throw new DeliveryError('NO_RESOURCE', 'SNS does not run here', false);
      await this.call(() => topics.publish({ topicArn: target.arn, message: input.text, ...(trace !== undefined ? { trace } : {}) }));
      return;
    }
    if (service === 'events' && target.arn.includes(':event-bus/')) {
      const bus = this.buses.get(busName(target.arn));
      if (bus === undefined) throw new DeliveryError('NO_RESOURCE', `Event bus ${busName(target.arn)} does not exist.`, false);
      if (forwarded) {
        // EventBridge user guide, "Sending and receiving events between event buses": an event received
        // from a sender bus is not routed on to a third bus.
        this.logger.warn(`eventbridge: event ${event.id} came from another event bus; as on AWS, rule ${rule.name} does not route it on to ${bus.name}`);
        return;
      }
      if (input.json !== event) this.logger.warn(`eventbridge: rule ${rule.name}: the input of target ${target.id} is not applied locally to an event bus target; the event goes on as it is`);
      this.route(bus.name, event, trace, ingestedAtMs, true);
      return;
    }
    throw new DeliveryError('NO_RESOURCE', `targets of ${target.arn} do not run in the local cloud`, false);
  }

  /** A call to another local service; its missing-resource errors are final. */
  private async call(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = (error as Error).message;
      if (typeof code === 'string' && /NotFound|NonExistent|DoesNotExist/.test(code)) throw new DeliveryError('NO_RESOURCE', message, false);
      if (typeof code === 'string' && /AccessDenied|Authorization/.test(code)) throw new DeliveryError('NO_PERMISSIONS', message, false);
      if (typeof code === 'string' && /Invalid|Validation|TooLong/.test(code)) throw new DeliveryError('INVALID_PARAMETER', message, false);
      throw new DeliveryError('SDK_CLIENT_ERROR', message, true);
    }
  }

  /**
   * The target's dead-letter queue gets the event with EventBridge's attributes (EventBridge user
   * guide, "Using dead-letter queues to process undelivered events"); without one the event is
   * dropped, with a warning naming it.
   */
  private async deadLetter(rule: Rule, target: Target, event: BusEvent, trace: TraceHeader | undefined, failure: DeliveryError, exhausted: string | undefined, retries: number): Promise<void> {
    const what = `eventbridge: event ${event.id} of rule ${rule.name} could not be delivered to ${target.arn} (${failure.code}: ${failure.message})`;
    if (target.deadLetterArn === undefined) {
      this.logger.warn(`${what}; the target has no dead-letter queue, the event is dropped`);
      return;
    }
    const attributes: Record<string, string> = {
      RULE_ARN: rule.arn,
      TARGET_ARN: target.arn,
      ERROR_CODE: failure.code,
      ERROR_MESSAGE: failure.message,
      RETRY_ATTEMPTS: String(retries),
      ...(exhausted !== undefined ? { EXHAUSTED_RETRY_CONDITION: exhausted } : {}),
    };
    try {
      await this.options.queues.sendMessage(target.deadLetterArn, JSON.stringify(event), { attributes, ...(trace !== undefined ? { trace } : {}) });
      this.logger.warn(`${what}; sent to the dead-letter queue ${target.deadLetterArn}`);
    } catch (error) {
      this.logger.error(`${what}; the dead-letter queue ${target.deadLetterArn} refused it too (${(error as Error).message})`);
    }
  }

  private rulesOf(name: string): Map<string, Rule> {
    let rules = this.rules.get(name);
    if (rules === undefined) {
      rules = new Map();
      this.rules.set(name, rules);
    }
    return rules;
  }
}

/** The bus name of a name or an ARN (`...:event-bus/<name>`); the default bus when none is given. */
export function busName(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_BUS;
  const marker = ':event-bus/';
  const at = nameOrArn.indexOf(marker);
  return nameOrArn.startsWith('arn:') && at >= 0 ? nameOrArn.slice(at + marker.length) : nameOrArn;
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** PutEvents' per-entry checks, with EventBridge's codes and messages. */
function entryRefusal(entry: EventEntry): EntryResult | undefined {
  const invalid = (name: string, reason: string): EntryResult => ({ errorCode: 'InvalidArgument', errorMessage: `Parameter ${name} is not valid. Reason: ${reason}` });
  if (entry.source === '') return invalid('Source', 'Source is a required argument.');
  if (entry.detailType === '') return invalid('DetailType', 'DetailType is a required argument.');
  if (entry.detail === '') return invalid('Detail', 'Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.detail);
  } catch {
    return invalid('Detail', 'Detail is malformed.');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return invalid('Detail', 'Detail is malformed.');
  if (entry.source.startsWith('aws.')) return { errorCode: 'NotAuthorizedForSourceException', errorMessage: 'Not authorized for the source.' };
  return undefined;
}

/** Why EventBridge would refuse a target, or undefined. */
function targetRefusal(spec: TargetInputSpec): string | undefined {
  const given = [spec.input, spec.inputPath, spec.inputTransformer].filter((value) => value !== undefined).length;
  if (given > 1) return 'Only one of Input, InputPath, or InputTransformer can be provided.';
  if (spec.input !== undefined) {
    try {
      JSON.parse(spec.input);
    } catch {
      return 'Input is not valid JSON text.';
    }
  }
  if (spec.arn.startsWith('arn:aws:states:')) return 'Step Functions targets do not run in the local cloud (Step Functions is not part of it).';
  if (!/^arn:aws:(lambda|sqs|sns|events):/.test(spec.arn)) return `Targets of ${spec.arn.split(':')[2] ?? spec.arn} do not run in the local cloud (Lambda, SQS, SNS and event buses do).`;
  if (spec.deadLetterArn !== undefined && !spec.deadLetterArn.startsWith('arn:aws:sqs:')) return 'DeadLetterConfig.Arn must be the ARN of an SQS queue.';
  if (spec.arn.startsWith('arn:aws:sqs:') && spec.arn.endsWith('.fifo') && spec.messageGroupId === undefined) {
    return 'SqsParameters.MessageGroupId is required for a FIFO queue target.';
  }
  return undefined;
}
