/**
 * The whole local cloud from a cloud assembly: the parts of src/cloud started in dependency order
 * with their addresses handed to one another, stopped in reverse, data kept on disk.
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { BoundListener } from './endpoint/listener.ts';
import { LocalAws } from './endpoint/local-aws.ts';
import { ApiGateway } from './gateway/gateway.ts';
import { CloudWatchLogs, GatewayLogs, LogsApi } from './logs/index.ts';
import { HttpsTarget } from './https-target/https-target.ts';
import { PolicyAuthorizer } from './iam/authorizer.ts';
import { RoleCredentials } from './iam/credentials.ts';
import { LambdaService } from './lambda/service.ts';
import { CloudWatchMetrics } from './metrics/index.ts';
import { startMinuteTicks } from './metrics/minute-ticks.ts';
import { EndpointDestinations } from './lambda/destinations.ts';
import { CentralizedSampler } from './sampling/centralized-sampler.ts';
import { HttpSamplingApi } from './sampling/sampling-api.ts';
import { provisionSamplingRules } from './xray-config/template-rules.ts';
import { provisionGroups } from './xray-config/template-groups.ts';
import { lambdaFunctionsFromModel } from './lambda/functions.ts';
import type { LambdaFunctionConfig } from './lambda/functions.ts';
import { readCloudModel } from './template/reader.ts';
import { readCloudAssembly } from './template/assembly.ts';
import { bindHttpEndpoints, localUrlsOf } from './http-api/bind.ts';
import { HttpEndpoints } from './http-api/http-endpoints.ts';
import type { ServedEndpoint } from './http-api/http-endpoints.ts';
import { endpointRecords, writeEndpointsFile } from './http-api/endpoints-file.ts';
import type { EndpointRecord } from './http-api/endpoints-file.ts';
import type { TemplateCloudModel } from './template/model.ts';
import { supportReport } from './template/support.ts';
import type { SupportReport } from './template/support.ts';
import type { Random } from './tracing/ids.ts';
import { UdpSegmentSink } from './tracing/udp-sink.ts';
import { consoleLogger } from './core/runtime.ts';
import type { Logger } from './core/runtime.ts';
import type { CloudResource } from './core/types.ts';

export interface LocalCloudOptions {
  /** The synthesized cloud assembly. @default 'cdk.out' */
  readonly assemblyDir?: string;
  /** SQS messages, DynamoDB tables, Lambda's async journal, the function log. @default './.xray-tracer' */
  readonly dataDir?: string;
  /** The X-Ray daemon every segment goes to, `host:port`. @default '127.0.0.1:2000' */
  readonly daemonAddress?: string;
  /**
   * The X-Ray API, e.g. `http://127.0.0.1:2001`: the templates' AWS::XRay::SamplingRule resources
   * are created in it, and API Gateway samples by its sampling rules. Without it every traced
   * request is sampled and those resources are not created (a warning each).
   */
  readonly xrayApiUrl?: string;
  /**
   * The local X-Ray service's OTLP/HTTP traces URL, e.g. `http://127.0.0.1:4318/v1/traces`: functions
   * whose template sets OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the OpenTelemetry flavour, X-Ray's
   * OTLP endpoint on AWS) export there instead. @default - the template's value is kept
   */
  readonly otlpTracesUrl?: string;
  /**
   * The ClientID API Gateway's sampler reports with. The X-Ray service keeps a gone client's share
   * of each reservoir for ~20 s, so a restart in the same process (a reload) passes the ClientID
   * of the first start, or the restarted gateway may get no quota for a while.
   * @default a new one (newSamplingClientId)
   */
  readonly samplingClientId?: string;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** API Gateway. 0 picks a free port. @default 3000 */
  readonly gatewayPort?: number;
  /** The AWS endpoint (SNS, SQS, DynamoDB). 0 picks a free port. @default 4566 */
  readonly endpointPort?: number;
  /** The local HTTPS target of the HTTP flow. @default 0 */
  readonly targetPort?: number;
  /** A TARGET_URL to use instead of the local HTTPS target (which is then not started). */
  readonly targetUrl?: string;
  /** Enforce the roles' policies on the handlers' calls. @default true */
  readonly iam?: boolean;
  /** Refuse access keys that are not the roles' (the user's own CLI and SDK keys act as the account's administrator otherwise). @default false */
  readonly strictIam?: boolean;
  /** Concurrent environments per function. @default half the CPUs, 1 to 4 (see defaultEnvironmentsPerFunction) */
  readonly maxEnvironmentsPerFunction?: number;
  /** Waits before async retries. @default Lambda service's default */
  readonly retryDelaysMs?: readonly number[];
  /** Operational messages and handler log lines. @default the console */
  readonly logger?: Logger;
  readonly random?: Random;
  /** Host names the listeners accept besides local ones and IP addresses (`--allowed-host`). @default none */
  readonly allowedHosts?: readonly string[];
}

export interface LocalCloud {
  readonly model: TemplateCloudModel;
  /** e.g. http://127.0.0.1:3000 */
  readonly gatewayUrl: string;
  /** One URL per API stage, e.g. http://127.0.0.1:3000/prod/ */
  readonly stageUrls: readonly string[];
  /** The HTTP APIs and function URLs served, each on its own port (src/cloud/http-api). */
  readonly httpEndpoints: readonly ServedEndpoint[];
  /** Every API's local base URL (REST stages, HTTP API stages, function URLs), as written to endpoints.json. */
  readonly endpoints: readonly EndpointRecord[];
  /** `<dataDir>/endpoints.json`, written on each start. */
  readonly endpointsFile: string;
  /** AWS_ENDPOINT_URL for SDK clients: SNS, SQS and DynamoDB. */
  readonly endpointUrl: string;
  /** The HTTP flow's TARGET_URL (the local HTTPS target unless one was given). */
  readonly targetUrl: string | undefined;
  readonly logFile: string;
  readonly dataDir: string;
  readonly lambda: LambdaService;
  readonly aws: LocalAws;
  /** CloudWatch Logs (`logs.db`): the functions' and the stages' log groups. */
  readonly logs: CloudWatchLogs;
  /** CloudWatch metrics: the store the services and function output feed, served on the endpoint. */
  readonly metrics: CloudWatchMetrics;
  /** What was started, for the start-up banner: only what was really created. */
  readonly started: { functions: string[]; topics: string[]; queues: string[]; tables: string[] };
  /** What of the templates runs (support.ts): counts by kind, and every resource, property or refusal that does not. */
  readonly support: SupportReport;
  /** Template and service warnings, each naming what runs differently or not at all (`support.notRun` is listed apart). */
  readonly warnings: readonly string[];
  /** Stops everything in reverse order of start; data stays on disk. */
  stop(): Promise<void>;
}

export const DEFAULT_DATA_DIR = '.xray-tracer';

/**
 * Six functions cold-starting several Node processes each at once starve a small machine until
 * inits pass their 10 s limit; queued invocations on fewer warm environments finish sooner.
 */
export function defaultEnvironmentsPerFunction(cpus = availableParallelism()): number {
  return Math.max(1, Math.min(4, Math.floor(cpus / 2)));
}
export const FUNCTION_LOG_FILE = 'logs/functions.log';

/** The functions whose template declares TARGET_URL: the HTTP flow. */
function declaresTargetUrl(fn: CloudResource): boolean {
  return declaresVariable(fn, 'TARGET_URL');
}

function declaresVariable(fn: CloudResource, name: string): boolean {
  const environment = fn.properties['Environment'];
  if (typeof environment !== 'object' || environment === null) return false;
  const variables = (environment as Record<string, unknown>)['Variables'];
  return typeof variables === 'object' && variables !== null && name in variables;
}

/** Where an OpenTelemetry-instrumented function exports its spans here: the local receiver, as on AWS X-Ray's OTLP endpoint. */
function otlpOverride(fn: CloudResource, otlpTracesUrl: string | undefined): Record<string, string> {
  if (otlpTracesUrl === undefined || !declaresVariable(fn, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')) return {};
  return { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpTracesUrl };
}

/** Whether a service's lookup finds the resource (lookups throw the service's not-found error). */
function exists(lookup: () => unknown): boolean {
  try {
    lookup();
    return true;
  } catch {
    return false;
  }
}

function names(model: TemplateCloudModel, type: string): string[] {
  return model.byType(type).map((resource) => resource.physicalId);
}

/**
 * Binds the AWS endpoint's port first (queue URLs, function environments and the model are built
 * on its URL; requests wait until it serves), then starts, in order: the UDP segment sink, the
 * HTTPS target, the templates' sampling rules and the sampler that reads them (with an X-Ray API),
 * the Lambda service, the AWS endpoint (SNS, SQS with its event source mappings, DynamoDB, the IAM
 * check), then API Gateway. On a failure part-way, what already started is stopped again before
 * the error is thrown.
 */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? consoleLogger;
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const logFile = join(dataDir, FUNCTION_LOG_FILE);
  const daemonAddress = options.daemonAddress ?? '127.0.0.1:2000';
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    const failures: unknown[] = [];
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, `local cloud: ${failures.length} part(s) failed to stop`);
  };

  try {
    // Queue URLs in function environments are built on the endpoint's URL, so its port comes first.
    const listener = await BoundListener.bind(host, options.endpointPort ?? 4566);
    stops.push(() => listener.close());
    const endpointUrl = listener.url;
    // HTTP APIs and function URLs before the model too: their URL attributes resolve to these ports.
    const assemblyDir = options.assemblyDir ?? 'cdk.out';
    const gatewayPort = options.gatewayPort ?? 3000;
    const httpListeners = await bindHttpEndpoints(await readCloudAssembly(assemblyDir), { host, firstPort: gatewayPort === 0 ? 0 : gatewayPort + 1, warn: (line) => logger.warn(line) });
    stops.push(async () => { await Promise.all(httpListeners.map((bound) => bound.listener.close())); });
    const model = await readCloudModel({ assemblyDir, endpointUrl, localUrls: localUrlsOf(httpListeners) });
    const { functions, warnings: functionWarnings, notices: runtimeNotices } = lambdaFunctionsFromModel(model);
    // Runs, but not as on Lambda: said once, at start.
    for (const notice of runtimeNotices) logger.warn(notice);

    const sink = new UdpSegmentSink({ daemonAddress, logger });
    await sink.start();
    stops.push(() => sink.stop());

    let targetUrl = options.targetUrl;
    let caFile: string | undefined;
    if (targetUrl === undefined && functions.some((fn) => declaresTargetUrl(fn.resource))) {
      const target = new HttpsTarget({
        host,
        port: options.targetPort ?? 0,
        caFile: join(dataDir, 'https-target-ca.pem'),
        allowedHosts: options.allowedHosts,
        warn: (line) => logger.warn(line),
      });
      await target.start();
      stops.push(() => target.stop());
      targetUrl = target.url;
      caFile = target.caFile;
    }

    const groupWarnings = await provisionGroups(model, { xrayApiUrl: options.xrayApiUrl, logger });
    // Before the sampler first reads the rules, so that the templates' rules apply from the first request.
    const ruleWarnings = await provisionSamplingRules(model, { xrayApiUrl: options.xrayApiUrl, logger });
    const sampler = options.xrayApiUrl !== undefined && model.byType('AWS::ApiGateway::RestApi').length > 0
      ? new CentralizedSampler({
        api: new HttpSamplingApi({ url: options.xrayApiUrl }),
        logger,
        ...(options.random !== undefined ? { random: options.random } : {}),
        ...(options.samplingClientId !== undefined ? { clientId: options.samplingClientId } : {}),
      })
      : undefined;
    if (sampler !== undefined) {
      await sampler.start();
      stops.push(() => sampler.stop());
    }

    // Before Lambda and the gateway, which write to it; stopped after them.
    const logs = new CloudWatchLogs({ file: join(dataDir, 'logs.db'), logger });
    stops.push(async () => logs.stop());
    const logWarnings = logs.provision(model);
    logs.start();
    const gatewayLogs = GatewayLogs.fromModel(model, (group, stream, event) => logs.write(group, stream, event));

    // Per install: derived from a secret in the data folder, so a restart keeps the keys.
    const roleCredentials = RoleCredentials.forDataFolder(dataDir);
    const authorizer = options.iam === false ? undefined : PolicyAuthorizer.fromModel(model, roleCredentials);
    const overrides = (fn: CloudResource): Record<string, string> => ({
      ...otlpOverride(fn, options.otlpTracesUrl),
      ...(targetUrl === undefined || !declaresTargetUrl(fn)
        ? {}
        : { TARGET_URL: targetUrl, ...(caFile !== undefined ? { NODE_EXTRA_CA_CERTS: caFile } : {}) }),
    });
    // CloudWatch metrics: EMF lines of the functions' output, the services' own metrics, the API.
    const metrics = new CloudWatchMetrics({ dataDirectory: dataDir, logger });
    stops.push(async () => metrics.close());
    const aws = new LocalAws({
      model,
      lambda: (sqs) => new LambdaService({
        functions,
        endpointUrl,
        roleCredentials,
        daemonAddress,
        segmentSink: sink,
        queueService: sqs,
        // Destinations and dead-letter messages go through the endpoint, signed with the function's role.
        destinations: new EndpointDestinations({ endpointUrl, region: model.region }),
        logger,
        logFile,
        logSink: (destination, event) => logs.write(destination.groupName, destination.streamName, event.traceId === undefined
          ? { timestampMs: event.timestampMs, message: event.message }
          : { timestampMs: event.timestampMs, message: event.message, traceId: event.traceId }),
        lineMetrics: metrics.sink,
        onThrottle: (functionName, nowMs) => metrics.services.lambdaThrottled(functionName, nowMs),
        onConcurrency: metrics.services.concurrency,
        region: model.region,
        accountId: model.accountId,
        environmentOverrides: overrides,
        asyncJournalFile: join(dataDir, 'lambda-async.jsonl'),
        ...(options.random !== undefined ? { random: options.random } : {}),
        maxEnvironmentsPerFunction: options.maxEnvironmentsPerFunction ?? defaultEnvironmentsPerFunction(),
        ...(options.retryDelaysMs !== undefined ? { retryDelaysMs: options.retryDelaysMs } : {}),
      }),
      segments: sink,
      snsObserver: {
        published: (topicName, sizeBytes, nowMs) => metrics.services.snsPublished(topicName, sizeBytes, nowMs),
        delivered: (topicName, delivered, nowMs) => metrics.services.snsDelivered(topicName, delivered, nowMs),
      },
      sqsObserver: {
        sent: (queueName, nowMs) => metrics.services.sqs(queueName, 'NumberOfMessagesSent', 1, nowMs),
        received: (queueName, count, nowMs) => metrics.services.sqs(queueName, 'NumberOfMessagesReceived', count, nowMs),
        deleted: (queueName, nowMs) => metrics.services.sqs(queueName, 'NumberOfMessagesDeleted', 1, nowMs),
      },
      onStreamBatchInvoked: (functionName, ageMs, nowMs) => metrics.services.iteratorAge(functionName, ageMs, nowMs),
      roleCredentials,
      ...(authorizer ? { authorizer } : {}),
      dataDirectory: dataDir,
      listener,
      ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.strictIam === true ? { strictIam: true } : {}),
      logger,
    });
    aws.endpoint.register(new LogsApi(logs, { region: model.region, accountId: model.accountId }));
    const { lambda } = aws;
    aws.endpoint.register(metrics.api);
    lambda.onInvocationDone((done) => metrics.services.lambdaDone({ functionName: done.functionName, failed: done.failed, durationMs: done.times.end - done.times.start, endMs: done.times.end }));
    // Before the endpoint serves: SNS deliveries and event source mappings invoke from its start.
    await lambda.start();
    // Stopped after the endpoint: SNS deliveries still draining on its stop go into Lambda's journal.
    stops.push(() => lambda.stop());
    await aws.start();
    stops.push(() => aws.stop());
    // AWS/Lambda ConcurrentExecutions and SQS's gauges are cut once a minute.
    const stopTicks = startMinuteTicks((nowMs) => metrics.services.tick(nowMs, aws.sqs));
    stops.push(async () => stopTicks());

    const gateway = new ApiGateway({
      model,
      awsEndpointUrl: aws.url,
      // Lambda proxy integrations invoke in process; resource policies (AWS::Lambda::Permission) are not modelled.
      lambda,
      roleCredentials,
      host,
      port: gatewayPort,
      segmentSink: sink,
      onRequestDone: (done) => metrics.services.apiRequest(done),
      ...(sampler !== undefined ? { sampler } : {}),
      logger,
      ...(options.random !== undefined ? { random: options.random } : {}),
      ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
      onRequest: (record) => gatewayLogs.record(record),
    });
    await gateway.start();
    stops.push(() => gateway.stop());

    const httpEndpoints = new HttpEndpoints({
      model,
      bound: httpListeners,
      lambda,
      roleCredentials,
      authorizer,
      iam: options.iam !== false,
      logger,
      ...(options.random !== undefined ? { random: options.random } : {}),
      ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
    });
    await httpEndpoints.start();
    stops.push(() => httpEndpoints.stop());
    const endpoints = endpointRecords(model, gateway.stageUrls(), httpEndpoints.served);
    const endpointsFile = writeEndpointsFile(dataDir, endpoints, Date.now());

    return {
      model,
      gatewayUrl: gateway.url,
      stageUrls: gateway.stageUrls().map((stage) => `${stage.url}/`),
      httpEndpoints: httpEndpoints.served,
      endpoints,
      endpointsFile,
      endpointUrl: aws.url,
      targetUrl,
      logFile,
      dataDir,
      lambda,
      aws,
      logs,
      metrics,
      started: {
        functions: functions.map((fn: LambdaFunctionConfig) => fn.name),
        // Asked of the services: a FIFO queue or topic of the templates was refused, not created.
        topics: names(model, 'AWS::SNS::Topic').filter((arn) => exists(() => aws.sns.topic(arn))),
        queues: names(model, 'AWS::SQS::Queue').filter((url) => exists(() => aws.sqs.queue(url))),
        tables: names(model, 'AWS::DynamoDB::Table'),
      },
      support: supportReport(model.resources),
      warnings: [...model.warnings, ...functionWarnings, ...groupWarnings, ...ruleWarnings, ...logWarnings, ...(authorizer?.warnings ?? []), ...aws.warnings, ...gateway.warnings, ...httpEndpoints.warnings],
      stop: stopAll,
    };
  } catch (error) {
    await stopAll().catch((stopError: unknown) => logger.error(`local cloud: while stopping after a failed start: ${String(stopError)}`));
    throw error;
  }
}
