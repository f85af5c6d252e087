import type { CloudResource, InvokeRequest, InvokeResult, LambdaInvoker, QueueService, SegmentSink, TraceHeader } from '../core/types.ts';
import { RoleCredentials, ROLE_KEY_PREFIX } from '../iam/credentials.ts';
import type { RoleCredential } from '../iam/credentials.ts';
import { IdGenerator } from '../tracing/ids.ts';
import type { Clock, Random } from '../tracing/ids.ts';
import { formatTraceHeader } from '../tracing/trace-header.ts';
import { AsyncInvocations } from './async-invocations.ts';
import { AsyncJournal } from './async-journal.ts';
import type { AttemptResult, InvocationDone, TraceDecision } from './attempt.ts';
import type { EnvironmentSpec } from './environment.ts';
import type { LambdaFunctionConfig } from './functions.ts';
import { consoleLogger } from '../core/runtime.ts';
import type { Logger } from '../core/runtime.ts';
import { FunctionLogs } from './logs.ts';
import type { DestinationSender } from './destinations.ts';
import { runtimeModulesDirectory } from './runtime-modules.ts';
import type { FunctionLogSink, LogDestination } from './logs.ts';
import { EnvironmentPool, PoolStoppedError, ThrottledError } from './pool.ts';
import type { RuntimeError } from './protocol.ts';
import { functionSegment, serviceSegment } from './segments.ts';
import type { AttemptRecord, FunctionIdentity, SpanTimes } from './segments.ts';

/** An invocation through the Lambda API: a version to run and whether to return the log's tail. */
export interface DetailedInvokeRequest extends InvokeRequest {
  /** '$LATEST' or a published version number. @default '$LATEST' */
  readonly executedVersion?: string;
  /** LogType Tail: answer the last 4 KB of the invocation's log. */
  readonly tailLog?: boolean;
  /** The ARN as the caller named it (qualified by a version or alias): context.invokedFunctionArn. */
  readonly invokedFunctionArn?: string;
  /** ClientContext (JSON text), handed to synchronous invocations as context.clientContext. */
  readonly clientContextJson?: string;
}

export interface DetailedInvokeResult extends InvokeResult {
  readonly executedVersion: string;
  /** The invocation's log lines (START to REPORT), when asked for. */
  readonly log?: string;
}

/** What one run records besides its outcome. */
interface RunOptions {
  readonly executedVersion: string;
  readonly invokedFunctionArn?: string;
  readonly clientContextJson?: string;
  /** Receives the run's log lines. */
  readonly capture?: string[];
}

export interface LambdaServiceOptions {
  readonly functions: readonly LambdaFunctionConfig[];
  /** AWS_ENDPOINT_URL of every environment: the local AWS endpoint. */
  readonly endpointUrl: string;
  /** Each function's environment gets its role's credentials from these (the endpoint verifies them). @default a random set of its own */
  readonly roleCredentials?: RoleCredentials;
  /** AWS_XRAY_DAEMON_ADDRESS of every environment, `host:port`. */
  readonly daemonAddress: string;
  /** Where Lambda's own segments go. */
  readonly segmentSink: SegmentSink;
  /** Delivers failed asynchronous events to SQS dead-letter queues and on-failure destinations, when there is no `destinations`. */
  readonly queueService?: QueueService;
  /**
   * Delivers asynchronous invocations' destinations (SQS, SNS, Lambda, EventBridge) and dead-letter
   * messages through the services' APIs, signed with each function's role. @default none (queueService for SQS only)
   */
  readonly destinations?: DestinationSender;
  /** @default consoleLogger */
  readonly logger?: Logger;
  /** Function output is appended here too, if set. */
  readonly logFile?: string;
  /** Each function's lines go to its CloudWatch Logs group and environment's stream here, if set. */
  readonly logSink?: FunctionLogSink;
  /** Reads every function output line for embedded metric format metrics. */
  readonly lineMetrics?: { fromLogLine(functionName: string, line: string, timestampMs: number): void };
  /** Told of each synchronous invocation refused for want of concurrency (AWS/Lambda Throttles). */
  readonly onThrottle?: (functionName: string, nowMs: number) => void;
  /** Told when a run holds an environment (Init included) and when it gives it back (AWS/Lambda ConcurrentExecutions). */
  readonly onConcurrency?: { started(functionName: string): void; finished(functionName: string): void };
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly accountId?: string;
  /** Epoch milliseconds. @default high-resolution wall clock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: Random;
  /** Extra variables per function, applied last (e.g. the HTTP flow's TARGET_URL, NODE_EXTRA_CA_CERTS). */
  readonly environmentOverrides?: (fn: CloudResource) => Record<string, string>;
  /** Concurrent environments per function (ReservedConcurrentExecutions lowers it). @default 4 */
  readonly maxEnvironmentsPerFunction?: number;
  /** Invocations of one function that may wait for an environment before throttling. @default 1000 */
  readonly maxWaitingPerFunction?: number;
  /** Waits before the retries of a failed asynchronous invocation (AWS: about 1 and 2 minutes). @default [1000, 2000] */
  readonly retryDelaysMs?: readonly number[];
  /** How long the Init phase may take. @default 10000 */
  readonly initTimeoutMs?: number;
  /**
   * The folder on every environment's NODE_PATH that holds the AWS SDK, as the managed runtime's
   * /var/runtime/node_modules; null for none. @default runtimeModulesDirectory()
   */
  readonly runtimeModules?: string | null;
  /** Journal of accepted asynchronous events; those not finished run again on the next start. @default none (in memory) */
  readonly asyncJournalFile?: string;
}

/** Synchronous invocation payloads are limited to 6 MB each way, asynchronous events to 1 MB. */
const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;

interface FunctionRuntime {
  readonly config: LambdaFunctionConfig;
  readonly identity: FunctionIdentity;
  readonly pool: EnvironmentPool;
}

function highResolutionClock(): number {
  return performance.timeOrigin + performance.now();
}

/** Strips a version or alias qualifier: `name:qualifier` or `arn:...:function:name:qualifier`. */
function unqualified(name: string): string {
  const parts = name.split(':');
  if (parts[0] === 'arn' && parts.length === 8) return parts.slice(0, 7).join(':');
  if (parts.length === 2) return parts[0] ?? name;
  return name;
}

/**
 * Lambda: runs functions in execution environments (child processes, one invocation at a time,
 * reused warm), enforces timeout and memory, retries failed asynchronous events and delivers them
 * to their dead-letter queue or on-failure destination, and emits the segments Lambda emits.
 */
/** A function without a role gets a role-shaped key the endpoint issued to nobody: every call it signs is refused. */
const NO_ROLE: RoleCredential = { roleArn: '', accessKeyId: `${ROLE_KEY_PREFIX}NOROLE`, secretAccessKey: 'no-role', sessionToken: 'no-role' };

export class LambdaService implements LambdaInvoker {
  private readonly functions = new Map<string, FunctionRuntime>();
  private readonly roleCredentials: RoleCredentials;
  private readonly ids: IdGenerator;
  private readonly clock: Clock;
  private readonly logs: FunctionLogs;
  private readonly logger: Logger;
  private readonly region: string;
  private readonly accountId: string;
  private readonly asyncInvocations: AsyncInvocations;
  private readonly journal: AsyncJournal | undefined;
  private readonly doneListeners = new Set<(done: InvocationDone) => void>();
  private runtimeModules: string | null | undefined;
  private started = false;

  constructor(private readonly options: LambdaServiceOptions) {
    this.roleCredentials = options.roleCredentials ?? RoleCredentials.ephemeral();
    this.clock = options.clock ?? highResolutionClock;
    this.ids = new IdGenerator(options.random, this.clock);
    this.logger = options.logger ?? consoleLogger;
    this.logs = new FunctionLogs(this.logger, options.logFile, this.clock, options.logSink,
      options.lineMetrics === undefined ? undefined : (name, text, nowMs) => options.lineMetrics?.fromLogLine(name, text, nowMs));
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    for (const config of options.functions) this.addFunction(config);
    this.journal = options.asyncJournalFile === undefined ? undefined : new AsyncJournal(options.asyncJournalFile);
    this.asyncInvocations = new AsyncInvocations({
      ...(this.journal ? { journal: this.journal } : {}),
      runAttempt: (fn, payload, trace, serviceSegmentId, requestId, executedVersion) => this.runAttempt(this.runtimeOf(fn), payload, trace, serviceSegmentId, requestId, { executedVersion }),
      identity: (fn) => this.runtimeOf(fn).identity,
      ids: this.ids,
      clock: this.clock,
      logger: this.logger,
      sendSegment: (document) => this.options.segmentSink.send(document),
      queueService: options.queueService,
      ...(options.destinations ? {
        destinations: { sender: options.destinations, credentials: (fn: LambdaFunctionConfig) => (fn.roleArn !== undefined ? this.roleCredentials.forRole(fn.roleArn) : NO_ROLE) },
      } : {}),
      retryDelaysMs: options.retryDelaysMs ?? [1000, 2000],
    });
  }

  private addFunction(config: LambdaFunctionConfig): void {
    const cap = Math.max(1, Math.min(this.options.maxEnvironmentsPerFunction ?? 4, config.reservedConcurrency ?? Infinity));
    const runtime: FunctionRuntime = {
      config,
      identity: { name: config.name, arn: config.arn, accountId: this.accountId, codeDirectory: config.codeDirectory },
      pool: new EnvironmentPool({
        spec: () => this.environmentSpec(config),
        maxEnvironments: cap,
        maxWaiting: this.options.maxWaitingPerFunction ?? 1000,
        clock: this.clock,
        onOutput: (traceId, line, stream, logStreamName) =>
          this.logs.line(config.name, traceId, line, stream, { groupName: config.logGroupName, streamName: logStreamName }),
      }),
    };
    this.functions.set(config.name, runtime);
    this.functions.set(config.arn, runtime);
  }

  private runtimeOf(config: LambdaFunctionConfig): FunctionRuntime {
    const runtime = this.functions.get(config.name);
    if (!runtime) throw new Error(`unknown function ${config.name}`);
    return runtime;
  }

  /** The functions this service runs. */
  get functionConfigs(): LambdaFunctionConfig[] {
    return [...new Set(this.functions.values())].map((runtime) => runtime.config);
  }

  /** Opens the log file and resumes the asynchronous events a previous run left unfinished. */
  async start(): Promise<void> {
    this.logs.start();
    this.started = true;
    if (!this.journal) return;
    const pending = this.journal.pending((message) => this.logger.warn(message));
    const runnable = pending.flatMap(({ functionName, ...event }) => {
      const runtime = this.functions.get(functionName);
      if (runtime) return [{ config: runtime.config, event, functionName }];
      this.logger.warn(`asynchronous invocation ${event.requestId} of ${functionName} dropped: the function no longer exists`);
      return [];
    });
    this.journal.rewrite(runnable.map(({ functionName, event }) => ({ functionName, ...event })));
    if (runnable.length > 0) this.logger.info(`resuming ${runnable.length} asynchronous invocation(s) left unfinished by the last run`);
    for (const { config, event } of runnable) this.asyncInvocations.accept(config, event, true);
  }

  /** Stops retrying, kills every environment and closes the log file. Events still queued are reported and dropped. */
  async stop(): Promise<void> {
    this.started = false;
    // No more retries; killing the environments ends the runs in progress, then the queue drains.
    this.asyncInvocations.halt();
    await Promise.all([...new Set(this.functions.values())].map((runtime) => runtime.pool.stop()));
    await this.asyncInvocations.drain();
    await this.logs.stop();
  }

  /** Resolves when every accepted asynchronous event has finished (delivered, or sent to its DLQ). */
  async drain(): Promise<void> {
    await this.asyncInvocations.drain();
  }

  /** Calls `listener` after every run of a handler, failed or not; returns a function that stops it. */
  onInvocationDone(listener: (done: InvocationDone) => void): () => void {
    this.doneListeners.add(listener);
    return () => this.doneListeners.delete(listener);
  }

  private reportDone(done: InvocationDone): void {
    for (const listener of this.doneListeners) {
      try {
        listener(done);
      } catch (error) {
        this.logger.error(`invocation listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** The environments currently running for a function (for tests and status). */
  environmentCount(functionName: string): number {
    return this.functions.get(unqualified(functionName))?.pool.size ?? 0;
  }

  environmentVariables(config: LambdaFunctionConfig, logStreamName: string): Record<string, string> {
    const credential = config.roleArn !== undefined ? this.roleCredentials.forRole(config.roleArn) : NO_ROLE;
    if (this.runtimeModules === undefined) this.runtimeModules = this.options.runtimeModules !== undefined ? this.options.runtimeModules : (runtimeModulesDirectory() ?? null);
    return {
      // As Lambda's (/var/runtime/node_modules:/var/runtime:/var/task); a function's Environment may change it.
      NODE_PATH: [...(this.runtimeModules !== null ? [this.runtimeModules] : []), config.codeDirectory].join(':'),
      ...config.environment,
      // Reserved variables, as Lambda sets them (a function's own Environment cannot override them).
      AWS_LAMBDA_FUNCTION_NAME: config.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: config.logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      AWS_REGION: this.region,
      AWS_DEFAULT_REGION: this.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
      LAMBDA_TASK_ROOT: config.codeDirectory,
      _HANDLER: config.handler,
      AWS_XRAY_DAEMON_ADDRESS: this.options.daemonAddress,
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      AWS_ACCESS_KEY_ID: credential.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
      AWS_SESSION_TOKEN: credential.sessionToken,
      AWS_ENDPOINT_URL: this.options.endpointUrl,
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      ...this.options.environmentOverrides?.(config.resource),
    };
  }

  private environmentSpec(config: LambdaFunctionConfig): EnvironmentSpec {
    // Each environment writes its own log stream, named as Lambda names them.
    const day = new Date(this.clock()).toISOString().slice(0, 10).replace(/-/g, '/');
    const stream = `${day}/[$LATEST]${this.ids.segmentId()}${this.ids.segmentId()}`;
    return {
      functionName: config.name,
      taskRoot: config.codeDirectory,
      memoryMb: config.memoryMb,
      environment: this.environmentVariables(config, stream),
      initTimeoutMs: this.options.initTimeoutMs ?? 10_000,
    };
  }

  /** Continues the caller's trace, or starts one; an upstream decision not to sample is kept. */
  private decideTrace(config: LambdaFunctionConfig, incoming: TraceHeader | undefined): TraceDecision {
    if (incoming) return { root: incoming.root, parent: incoming.parent, sampled: incoming.sampled ?? config.tracingActive };
    return { root: this.ids.traceId(), parent: undefined, sampled: config.tracingActive };
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const { statusCode, payload, functionError, errorMessage } = await this.invokeDetailed(request);
    return {
      statusCode,
      ...(payload !== undefined ? { payload } : {}),
      ...(functionError !== undefined ? { functionError } : {}),
      ...(errorMessage !== undefined ? { errorMessage } : {}),
    };
  }

  /** `invoke`, with the version that runs and, if asked, the invocation's log. */
  async invokeDetailed(request: DetailedInvokeRequest): Promise<DetailedInvokeResult> {
    if (!this.started) throw new Error('LambdaService.invoke called before start()');
    const executedVersion = request.executedVersion ?? '$LATEST';
    const runtime = this.functions.get(unqualified(request.functionName));
    if (!runtime) {
      return { statusCode: 404, executedVersion, errorMessage: `Function not found: ${request.functionName} (ResourceNotFoundException)` };
    }
    const eventJson = JSON.stringify(request.payload ?? null);
    const limit = request.invocationType === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    if (Buffer.byteLength(eventJson) > limit) {
      return { statusCode: 413, executedVersion, errorMessage: `Request must be smaller than ${limit} bytes for the ${request.invocationType} invocation type (RequestTooLargeException)` };
    }
    const trace = this.decideTrace(runtime.config, request.trace);
    const serviceSegmentId = this.ids.segmentId();
    const requestId = this.ids.requestId();
    if (request.invocationType === 'Event') {
      this.asyncInvocations.accept(runtime.config, {
        payload: request.payload ?? null, trace, serviceSegmentId, requestId, acceptedAt: this.clock(),
        ...(executedVersion !== '$LATEST' ? { executedVersion } : {}),
      });
      return { statusCode: 202, executedVersion };
    }
    const receivedAt = this.clock();
    let attempt: AttemptResult;
    const capture = request.tailLog === true ? [] as string[] : undefined;
    try {
      attempt = await this.runAttempt(runtime, request.payload ?? null, trace, serviceSegmentId, requestId, {
        executedVersion,
        ...(capture ? { capture } : {}),
        ...(request.invokedFunctionArn !== undefined ? { invokedFunctionArn: request.invokedFunctionArn } : {}),
        ...(request.clientContextJson !== undefined ? { clientContextJson: request.clientContextJson } : {}),
      });
    } catch (error) {
      if (!(error instanceof ThrottledError) && !(error instanceof PoolStoppedError)) throw error;
      const status = error instanceof ThrottledError ? 429 : 503;
      if (error instanceof ThrottledError) this.options.onThrottle?.(runtime.config.name, this.clock());
      if (trace.sampled) {
        this.options.segmentSink.send(serviceSegment(runtime.identity, {
          id: serviceSegmentId, traceId: trace.root, parentId: trace.parent, requestId, status,
          times: { start: receivedAt, end: this.clock() },
        }));
      }
      return { statusCode: status, executedVersion, errorMessage: `${error.message} (${error.name})` };
    }
    if (trace.sampled) {
      this.options.segmentSink.send(serviceSegment(runtime.identity, {
        id: serviceSegmentId, traceId: trace.root, parentId: trace.parent, requestId, status: 200,
        times: { start: receivedAt, end: this.clock() },
        links: linksOf(request.links, trace.root),
      }));
    }
    return { ...attempt.result, executedVersion, ...(capture ? { log: capture.map((line) => `${line}\n`).join('') } : {}) };
  }

  /** One run of the handler: an environment (warm or cold), the invocation, the function segment. */
  private async runAttempt(runtime: FunctionRuntime, payload: unknown, trace: TraceDecision, serviceSegmentId: string, requestId: string, run: RunOptions): Promise<AttemptResult> {
    const { config, identity, pool } = runtime;
    const log = (text: string, stream: 'stdout' | 'stderr' = 'stdout', destination?: LogDestination): void => {
      this.logs.line(config.name, trace.root, text, stream, destination);
      run.capture?.push(text);
    };
    const functionSegmentId = this.ids.segmentId();
    const ids = { initialization: this.ids.segmentId(), invocation: this.ids.segmentId(), overhead: this.ids.segmentId(), exception: this.ids.segmentId() };
    const timeoutMs = config.timeoutSeconds * 1000;
    const lease = await pool.acquire();
    this.options.onConcurrency?.started(config.name);
    const init = lease.kind === 'warm' ? undefined : lease.init;

    let error: RuntimeError | undefined;
    let payloadJson = 'null';
    let maxRssKb = 0;
    let invocation: SpanTimes;
    let timedOut = false;
    if (lease.kind === 'init-failed') {
      error = lease.error;
      invocation = { start: lease.init.end, end: lease.init.end };
      this.options.onConcurrency?.finished(config.name);
      log(`INIT_REPORT Init Duration: ${(lease.init.end - lease.init.start).toFixed(2)} ms Phase: init Status: error Error Type: ${error.errorType}`, 'stderr',
        { groupName: config.logGroupName, streamName: lease.logStreamName });
    } else {
      const pooled = lease.pooled;
      pooled.traceId = trace.root;
      pooled.capture = run.capture;
      const destination = { groupName: config.logGroupName, streamName: pooled.logStreamName };
      log(`START RequestId: ${requestId} Version: ${run.executedVersion}`, 'stdout', destination);
      const start = this.clock();
      const deadlineMs = Date.now() + timeoutMs;
      const outcome = await pooled.environment.invoke({
        type: 'invoke',
        requestId,
        eventJson: JSON.stringify(payload),
        traceHeader: formatTraceHeader({ root: trace.root, parent: functionSegmentId, sampled: trace.sampled }),
        deadlineMs,
        invokedFunctionArn: run.invokedFunctionArn ?? config.arn,
        functionVersion: run.executedVersion,
        ...(run.clientContextJson !== undefined ? { clientContextJson: run.clientContextJson } : {}),
      }, timeoutMs, `${new Date(deadlineMs).toISOString()} ${requestId} Task timed out after ${config.timeoutSeconds.toFixed(2)} seconds`);
      invocation = { start, end: this.clock() };
      if (outcome.kind === 'result') {
        payloadJson = outcome.payloadJson;
        maxRssKb = outcome.maxRssKb;
        if (Buffer.byteLength(payloadJson) > MAX_SYNC_PAYLOAD_BYTES) {
          error = { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`, trace: [] };
        }
      } else if (outcome.kind === 'error') {
        error = outcome.error;
        maxRssKb = outcome.maxRssKb;
      } else {
        timedOut = outcome.error.errorType === 'Sandbox.Timedout';
        error = timedOut ? outcome.error : { ...outcome.error, errorMessage: `RequestId: ${requestId} Error: ${outcome.error.errorMessage}` };
        if (timedOut) log(outcome.error.errorMessage, 'stderr', destination);
      }
      pooled.capture = undefined;
      pool.release(pooled);
      this.options.onConcurrency?.finished(config.name);
      log(`END RequestId: ${requestId}`, 'stdout', destination);
      const duration = invocation.end - invocation.start;
      log([
        `REPORT RequestId: ${requestId}`,
        `Duration: ${duration.toFixed(2)} ms`,
        `Billed Duration: ${Math.ceil(duration)} ms`,
        `Memory Size: ${config.memoryMb} MB`,
        `Max Memory Used: ${Math.round(maxRssKb / 1024)} MB`,
        ...(init ? [`Init Duration: ${(init.end - init.start).toFixed(2)} ms`] : []),
        ...(timedOut ? ['Status: timeout'] : []),
        ...(trace.sampled ? [`XRAY TraceId: ${trace.root} SegmentId: ${functionSegmentId} Sampled: true`] : []),
      ].join('\t'), 'stdout', destination);
    }
    const overhead = { start: invocation.end, end: this.clock() };

    if (trace.sampled) {
      const record: AttemptRecord = { functionSegmentId, ids, invocation, overhead, ...(init ? { initialization: init } : {}), ...(error ? { error } : {}) };
      this.options.segmentSink.send(functionSegment(identity, trace.root, serviceSegmentId, record));
    }
    const times = { start: init?.start ?? invocation.start, end: overhead.end };
    if (this.doneListeners.size > 0) this.reportDone({ functionName: config.name, requestId, traceId: trace.root, payload, failed: error !== undefined, times });
    if (error) {
      return {
        result: { statusCode: 200, functionError: 'Unhandled', errorMessage: error.errorMessage, payload: { errorType: error.errorType, errorMessage: error.errorMessage, trace: error.trace } },
        failed: true,
        error,
        times,
      };
    }
    return { result: { statusCode: 200, payload: JSON.parse(payloadJson) as unknown }, failed: false, error: undefined, times };
  }
}

/** The other traces' spans an invocation serves, each once, none in its own trace. */
function linksOf(links: InvokeRequest['links'], ownTrace: string): Array<{ traceId: string; id: string }> {
  const seen = new Set<string>();
  const result: Array<{ traceId: string; id: string }> = [];
  for (const link of links ?? []) {
    if (link.parent === undefined || link.root === ownTrace || seen.has(`${link.root};${link.parent}`)) continue;
    seen.add(`${link.root};${link.parent}`);
    result.push({ traceId: link.root, id: link.parent });
  }
  return result;
}
