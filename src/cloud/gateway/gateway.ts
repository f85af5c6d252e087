import { clipText, errorText } from '../../common/preview.ts';
import { consoleLogger } from '../core/runtime.ts';
import type { Logger } from '../core/runtime.ts';
import { createServer } from 'node:http';
import { HttpGuard } from '../../common/http-guard.ts';
import { BodyTooLarge, readBody } from '../../common/read-body.ts';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerTimeouts } from '../../common/server-timeouts.ts';
import { applyServerTimeouts } from '../../common/server-timeouts.ts';
import { RoleCredentials } from '../iam/credentials.ts';
import type { RoleCredential } from '../iam/credentials.ts';
import { SAMPLE_EVERYTHING } from '../sampling/sampler.ts';
import type { Sampler } from '../sampling/sampler.ts';
import { IdGenerator } from '../tracing/ids.ts';
import type { Clock, Random } from '../tracing/ids.ts';
import { formatTraceHeader, tryParseTraceHeader } from '../tracing/trace-header.ts';
import type { CloudModel, LambdaInvoker, SegmentSink } from '../core/types.ts';
import type { ApiRequestDone } from '../metrics/service-metrics.ts';
import { DEFAULT_TIMEOUT_MILLIS, readRestApis } from './api-model.ts';
import { Authorizers } from './authorizers.ts';
import { ApiKeys } from './api-keys.ts';
import type { AuthorizerContext } from './authorizers.ts';
import type { Integration, RestApi } from './api-model.ts';
import { IntegrationNetworkError, IntegrationTimeoutError, SignedHttpClient } from './aws-service-client.ts';
import type { AwsServiceClient, ServiceResponse } from './aws-service-client.ts';
import { parseAwsIntegrationUri, xrayServiceName } from './aws-uri.ts';
import { isLocalService, resourceOfTarget, shapeServiceCall, unsupportedServiceWarnings } from './service-call.ts';
import { describeCall } from './call-details.ts';
import * as answers from './gateway-responses.ts';
import type { GatewayAnswer } from './gateway-responses.ts';
import { buildIntegrationRequest } from './integration-request.ts';
import { functionFromUri, invokeLambdaProxy, proxyEvent } from './lambda-proxy.ts';
import { invokeLambdaCustom } from './lambda-custom.ts';
import { buildMethodResponse, selectIntegrationResponse } from './integration-response.ts';
import { BodyNotJsonError, contextObject, headerValue, mappingVariables } from './mapping-variables.ts';
import type { InputSource, RequestContextSource } from './mapping-variables.ts';
import { mapParameters } from './parameter-mapping.ts';
import type { ParameterSources } from './parameter-mapping.ts';
import { callHttpIntegration, integrationUrl, proxiedAnswer, singleHeaders } from './http-integration.ts';
import { Router } from './router.ts';
import type { RouteMatch } from './router.ts';
import type { RequestRecordListener } from './request-log.ts';
import { STAGE_ORIGIN, stageArn, stageSegment, stageServiceName } from './stage-segment.ts';
import type { IntegrationCall } from './stage-segment.ts';
import { Throttle } from './throttle.ts';
import { validateRequest } from './request-validation.ts';
import { applyGatewayResponse, errorContext } from './gateway-response-overrides.ts';
import type { OverrideInputs } from './gateway-response-overrides.ts';
import { TemplateError, VelocityEngine } from './vtl.ts';
import type { TemplateEngine } from './vtl.ts';

/** Where the gateway's operational messages go (the shape of the other services' loggers). */
export interface ApiGatewayOptions {
  /** The resolved templates; every AWS::ApiGateway::RestApi in it is served. */
  readonly model: CloudModel;
  /** Where AWS integrations call the services, e.g. `http://127.0.0.1:4566`. */
  readonly awsEndpointUrl: string;
  /** @default 3000 (as SAM's local API); 0 picks a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Receives the stage segments of stages with TracingEnabled; none are sent without it. */
  readonly segmentSink?: SegmentSink;
  /** Decides requests that come without a sampling decision. @default every request is sampled */
  readonly sampler?: Sampler;
  /** Epoch milliseconds. @default Date.now */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: Random;
  /** @default the console */
  readonly logger?: Logger;
  /** Host names accepted besides local ones (`--allowed-host`). */
  readonly allowedHosts?: readonly string[];
  /** Enforce the stages' MethodSettings throttling (429 Too Many Requests). @default true */
  readonly throttling?: boolean;
  /** AWS integrations sign with their Credentials role's keys from these. @default a random set of its own */
  readonly roleCredentials?: RoleCredentials;
  /** Invokes the functions of AWS_PROXY (Lambda proxy) integrations; without it they answer 500. */
  readonly lambda?: LambdaInvoker;
  /** @default a SigV4-signing HTTP client for awsEndpointUrl */
  readonly serviceClient?: AwsServiceClient;
  /** @default velocityjs */
  readonly templateEngine?: TemplateEngine;
  /** How long a client may take to send a request; tests make them short. @default DEFAULT_SERVER_TIMEOUTS */
  readonly timeouts?: ServerTimeouts;
  /** Told of every request served on a stage once answered (execution and access logs). */
  readonly onRequest?: RequestRecordListener;
  /** Told of every request a stage answered (CloudWatch's AWS/ApiGateway metrics). */
  readonly onRequestDone?: (done: StageRequestDone) => void;
}

/** A request a stage answered, as CloudWatch counts it. */
export type StageRequestDone = ApiRequestDone;

/** API Gateway accepts payloads up to 10 MB. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface Outcome {
  readonly answer: GatewayAnswer;
  readonly call: IntegrationCall | undefined;
}

interface TraceState {
  readonly traceId: string;
  readonly segmentId: string;
  readonly parentId: string | undefined;
  readonly sampled: boolean;
}

/**
 * A local API Gateway for the REST APIs of the templates: serves `/<stage>/<path>`, runs AWS and
 * MOCK integrations with their mapping templates, signs service calls with the integration role's
 * credentials, and emits the stage's X-Ray segment. See README.md for what it covers.
 */
export class ApiGateway {
  readonly warnings: ReadonlyArray<string>;
  private readonly apis: ReadonlyArray<RestApi>;
  private readonly router: Router;
  private readonly clock: Clock;
  private readonly ids: IdGenerator;
  private readonly random: Random;
  private readonly sampler: Sampler;
  private readonly logger: Logger;
  private readonly client: AwsServiceClient;
  private readonly roleCredentials: RoleCredentials;
  /** The client the gateway made itself, and so closes on stop(). */
  private readonly ownClient: SignedHttpClient | undefined;
  private readonly engine: TemplateEngine;
  private readonly throttle: Throttle | undefined;
  private readonly authorizers: Authorizers;
  private readonly apiKeys: ApiKeys;
  private readonly guard: HttpGuard;
  private server: Server | undefined;
  private boundPort: number | undefined;

  constructor(private readonly options: ApiGatewayOptions) {
    this.roleCredentials = options.roleCredentials ?? RoleCredentials.ephemeral();
    const { apis, warnings } = readRestApis(options.model);
    this.apis = apis;
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
    this.apiKeys = new ApiKeys(options.model, this.random, this.clock);
    this.warnings = [...warnings, ...unsupportedServiceWarnings(apis), ...apis.flatMap((api) => Authorizers.warnings(api)), ...this.apiKeys.warnings];
    this.router = new Router(apis);
    this.ids = new IdGenerator(this.random, this.clock);
    this.sampler = options.sampler ?? SAMPLE_EVERYTHING;
    this.logger = options.logger ?? consoleLogger;
    this.ownClient = options.serviceClient ? undefined : new SignedHttpClient({ endpointUrl: options.awsEndpointUrl, clock: this.clock });
    this.client = options.serviceClient ?? (this.ownClient as SignedHttpClient);
    this.engine = options.templateEngine ?? new VelocityEngine();
    this.throttle = options.throttling === false ? undefined : new Throttle(this.clock);
    this.authorizers = new Authorizers(options.lambda, { nowMs: this.clock, segmentId: () => this.ids.segmentId() });
    // A page's request would publish, invoke and trace as the user's: other origins are refused, links too.
    this.guard = new HttpGuard({ name: 'api gateway', allowedHosts: options.allowedHosts, warn: (line) => this.logger.warn(line), nowMs: this.clock });
  }

  /** The base URL, e.g. `http://127.0.0.1:3000`; only after start(). */
  get url(): string {
    if (this.boundPort === undefined) throw new Error('ApiGateway.url read before start()');
    return `http://${this.options.host ?? '127.0.0.1'}:${this.boundPort}`;
  }

  /** One URL per API stage, e.g. `http://127.0.0.1:3000/prod` for "The X-Ray Tracer". */
  stageUrls(): Array<{ api: string; stage: string; url: string }> {
    return this.apis.flatMap((api) => api.stages.map((stage) => ({ api: api.name, stage: stage.name, url: `${this.url}/${stage.name}` })));
  }

  /** The API keys of the templates with their values (generated ones included), for scripts and tests. */
  apiKeyValues(): Array<{ logicalId: string; id: string; value: string }> {
    return this.apiKeys.keys.map((key) => ({ logicalId: key.logicalId, id: key.id, value: key.value }));
  }

  async start(): Promise<void> {
    if (this.server) return;
    for (const warning of this.warnings) this.logger.warn(`api gateway: ${warning}`);
    // AWS generates a key's value when the template gives none; here it is only known from this line.
    for (const key of this.apiKeys.keys) if (key.generated) this.logger.info(`api gateway: API key ${key.logicalId} (${key.id}) has the generated value ${key.value}`);
    const server = createServer((request, response) => {
      // A defect met by one request ends that request only, never the process (and the cloud in it).
      this.serve(request, response).catch((error: unknown) => {
        const stack = error instanceof Error && typeof error.stack === 'string' ? `\n${clipText(error.stack, 4000)}` : '';
        this.logger.error(`api gateway: ${clipText(request.method ?? '', 40)} ${clipText(request.url ?? '', 200)} failed: ${errorText(error)}${stack}`);
        try {
          if (!response.headersSent) send(response, answers.internalServerError(), {});
          else response.destroy();
        } catch {
          response.destroy();
        }
      });
    });
    applyServerTimeouts(server, this.options.timeouts);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 3000, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    this.ownClient?.close();
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refusal = this.guard.refusal(request);
    if (refusal) {
      send(response, answers.refusedForBrowsers(refusal.status, refusal.message), { connection: 'close' });
      return;
    }
    const startedAtMs = this.clock();
    const method = (request.method ?? 'GET').toUpperCase();
    let body: string;
    let bodyBytes: Buffer;
    try {
      bodyBytes = await readBody(request, MAX_BODY_BYTES);
      body = bodyBytes.toString('utf8');
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        // The rest of the body is not read: it must not be parsed as a next request.
        send(response, answers.requestTooLarge(), { connection: 'close' });
        return;
      }
      // The client went away mid-body (or a timeout closed it): nobody to answer, nothing went wrong here.
      this.logger.warn(`api gateway: ${method} ${(request.url ?? '').slice(0, 100)}: the request body could not be read (${(error as Error).message})`);
      response.destroy();
      return;
    }
    const target = requestUrl(request.url ?? '/');
    if (target === undefined) {
      send(response, answers.invalidRequestTarget(request.url ?? ''), {});
      return;
    }
    const route = this.router.match(method, target.pathname);
    if (route === undefined) {
      const named = this.router.stageOf(target.pathname);
      const headersSent = headersOf(request);
      send(response, applyGatewayResponse(answers.missingAuthenticationToken(), named?.api, () => {
        const context = { stage: named?.stage.name, httpMethod: method, path: target.pathname, apiId: named?.api.id, accountId: this.options.model.accountId };
        return this.overrideInputs(answers.missingAuthenticationToken(), context, headersSent, {}, {}, named?.stage.variables ?? {});
      }), {});
      this.logger.info(`api gateway: ${method} ${target.pathname} -> 403 (no resource or method)`);
      return;
    }

    const headers = headersOf(request);
    const trace = this.traceFor(route, headers, method, target.pathname);
    const requestId = this.ids.requestId();
    const extendedRequestId = this.extendedRequestId();
    const clientIp = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const contextSource: RequestContextSource & { authorizer?: AuthorizerContext; apiKey?: { id: string; value: string } } = {
      accountId: this.options.model.accountId,
      apiId: route.api.id,
      stage: route.stage.name,
      httpMethod: method,
      path: target.pathname,
      resourcePath: route.resource.path,
      resourceId: route.resource.id,
      requestId,
      extendedRequestId,
      requestTimeEpoch: startedAtMs,
      sourceIp: clientIp,
      userAgent: headerValue(headers, 'user-agent'),
      protocol: `HTTP/${request.httpVersion}`,
      domainName: headerValue(headers, 'host') ?? '127.0.0.1',
      traceId: trace?.traceId,
    };
    const queryParameters: Record<string, string> = {};
    for (const [name, value] of target.searchParams) queryParameters[name] = value;
    const input: InputSource = { body, pathParameters: route.pathParameters, queryParameters, headers };

    const raw: RawRequest = { rawHeaders: request.rawHeaders, query: target.searchParams, body: bodyBytes, localPort: request.socket.localPort };
    const { region, accountId } = this.options.model;
    const methodArn = `arn:aws:execute-api:${region}:${accountId}:${route.api.id}/${route.stage.name}/${method}${pathAfterStage(route, target.pathname)}`;
    const { policy } = route.api.extras;
    // The default endpoint of an API that disabled it answers 403 Forbidden, as execute-api does.
    const policyRefusal = route.api.extras.executeApiEndpointDisabled ? answers.forbidden()
      : policy === undefined ? undefined
      : 'unsupported' in policy ? answers.notImplemented(`the API's resource policy cannot be evaluated by the local API Gateway: ${policy.unsupported}`)
        : policy.check(methodArn, clientIp);
    const authorization = policyRefusal !== undefined ? undefined : await this.authorizers.authorize(route.api, route.method.options.authorizationType, route.method.options.authorizerId, {
      methodArn,
      headers,
      query: queryParameters,
      stageVariables: route.stage.variables,
      context: contextObject(contextSource),
      requestEvent: () => {
        const { body: _body, isBase64Encoded: _base64, ...event } = this.proxyEventFor(route, contextSource, trace, raw);
        return event;
      },
      region,
      sourceArn: `arn:aws:execute-api:${region}:${accountId}:${route.api.id}/authorizers/${route.method.options.authorizerId ?? ''}`,
      timeoutMs: DEFAULT_TIMEOUT_MILLIS,
      trace: trace ? { root: trace.traceId, sampled: trace.sampled } : undefined,
    });
    if (authorization?.allowed === true) contextSource.authorizer = authorization.context;
    else if (authorization !== undefined) this.logger.warn(`api gateway: ${method} ${target.pathname} (${route.method.logicalId}): not authorized: ${authorization.failure}`);
    let keyRefusal: GatewayAnswer | undefined;
    if (route.method.options.apiKeyRequired && policyRefusal === undefined && authorization?.allowed !== false) {
      const value = route.api.extras.apiKeySource === 'AUTHORIZER' ? authorization?.context.usageIdentifierKey : headerValue(headers, 'x-api-key');
      const checked = this.apiKeys.check(value, route.api.id, route.stage.name, route.resource.path, method);
      if (checked.ok) contextSource.apiKey = { id: checked.key.id, value: checked.key.value };
      else {
        keyRefusal = checked.answer;
        this.logger.warn(`api gateway: ${method} ${target.pathname} (${route.method.logicalId}): ${checked.reason}`);
      }
    }

    const limits = this.throttle ? route.stage.throttlingFor(route.resource.path, method) : undefined;
    const admitted = limits === undefined || this.throttle === undefined ||
      this.throttle.admit(`${route.api.id}/${route.stage.name}/${method} ${route.resource.path}`, limits);
    const refused = policyRefusal !== undefined ? policyRefusal
      : authorization !== undefined && !authorization.allowed ? authorization.answer
      : keyRefusal !== undefined ? keyRefusal
      : !admitted ? answers.throttled()
        : validateRequest(route.api, route.method, { headers, query: queryParameters, path: route.pathParameters, contentType: headerValue(headers, 'content-type'), body });
    const outcome: Outcome = refused === undefined
      ? await this.integrate(route, input, contextSource, trace, headers, raw)
      : { answer: refused, call: undefined };
    const answer = applyGatewayResponse(outcome.answer, route.api, () =>
      this.overrideInputs(outcome.answer, contextObject(contextSource), headers, queryParameters, route.pathParameters, route.stage.variables));

    const responseHeaders: Record<string, string> = { 'x-amzn-requestid': requestId, 'x-amz-apigw-id': extendedRequestId };
    if (trace) responseHeaders['x-amzn-trace-id'] = formatTraceHeader({ root: trace.traceId, sampled: trace.sampled });
    send(response, answer, responseHeaders);
    const endedAtMs = this.clock();

    if (trace?.sampled && this.options.segmentSink) {
      const document = stageSegment({
        traceId: trace.traceId,
        id: trace.segmentId,
        parentId: trace.parentId,
        apiName: route.api.name,
        apiId: route.api.id,
        stage: route.stage.name,
        accountId: this.options.model.accountId,
        region: this.options.model.region,
        requestId,
        extendedRequestId,
        startTime: startedAtMs / 1000,
        endTime: endedAtMs / 1000,
        url: `http://${contextSource.domainName}${target.pathname}${target.search}`,
        method,
        clientIp,
        userAgent: contextSource.userAgent,
        status: answer.status,
        contentLength: answer.rawBody?.length ?? Buffer.byteLength(answer.body),
        call: outcome.call,
        authorizerCall: authorization?.call,
      });
      try {
        this.options.segmentSink.send(document);
      } catch (error) {
        this.logger.warn(`api gateway: segment of ${requestId} not sent: ${errorText(error)}`);
      }
    }
    if (this.options.onRequest) {
      try {
        this.options.onRequest({
          apiId: route.api.id, stage: route.stage.name, requestId, extendedRequestId, httpMethod: method, path: target.pathname,
          resourcePath: route.resource.path, pathParameters: route.pathParameters, queryParameters, requestHeaders: headers, requestBody: body,
          status: answer.status, responseHeaders: { ...answer.headers, ...responseHeaders }, responseBody: answer.body,
          responseLength: answer.rawBody?.length ?? Buffer.byteLength(answer.body), startedAtMs, endedAtMs,
          sourceIp: clientIp, userAgent: contextSource.userAgent, protocol: contextSource.protocol, domainName: contextSource.domainName,
          accountId: this.options.model.accountId, traceId: trace?.traceId, call: outcome.call,
        });
      } catch (error) {
        this.logger.warn(`api gateway: request log of ${requestId} not written: ${errorText(error)}`);
      }
    }
    this.options.onRequestDone?.({
      apiName: route.api.name, stage: route.stage.name, method, resourcePath: route.resource.path, status: answer.status,
      latencyMs: endedAtMs - startedAtMs,
      integrationLatencyMs: outcome.call === undefined ? undefined : (outcome.call.endTime - outcome.call.startTime) * 1000,
      detailedMetrics: route.stage.metricsEnabledFor(route.resource.path, method),
      endMs: endedAtMs,
    });
    this.logger.info(`api gateway: ${method} ${target.pathname} -> ${answer.status} (${endedAtMs - startedAtMs} ms)` +
      ` requestId=${requestId}${trace ? ` trace=${trace.traceId}` : ''}`);
  }

  /** What a gateway response's parameters and templates read: the request, and `$context` with `error`. */
  private overrideInputs(
    answer: GatewayAnswer,
    context: Record<string, unknown>,
    headers: Readonly<Record<string, string>>,
    query: Readonly<Record<string, string>>,
    path: Readonly<Record<string, string>>,
    stageVariables: Readonly<Record<string, string>>,
  ): OverrideInputs {
    const withError = { ...context, error: errorContext(answer) };
    return {
      accept: headerValue(headers, 'accept'),
      sources: { methodRequest: { header: headers, querystring: query, path }, context: withError, stageVariables },
      variables: mappingVariables({ body: '', pathParameters: path, queryParameters: query, headers }, withError, stageVariables),
      engine: this.engine,
    };
  }

  /**
   * Continues the caller's trace (X-Amzn-Trace-Id) or starts one. The caller's Sampled=1/0 stands;
   * without one the sampler decides, matching rules on the stage as AWS does: its segment's name
   * and origin, the stage ARN, and the request's Host header, method and path (`/prod/foo`).
   */
  private traceFor(route: RouteMatch, headers: Readonly<Record<string, string>>, method: string, path: string): TraceState | undefined {
    if (!route.stage.tracingEnabled) return undefined;
    const incoming = tryParseTraceHeader(headerValue(headers, 'x-amzn-trace-id'));
    const { region } = this.options.model;
    return {
      traceId: incoming?.root ?? this.ids.traceId(),
      segmentId: this.ids.segmentId(),
      parentId: incoming?.parent,
      sampled: incoming?.sampled ?? this.sampler.shouldSample({
        serviceName: stageServiceName(route.api.name, route.stage.name),
        serviceType: STAGE_ORIGIN,
        host: headerValue(headers, 'host'),
        httpMethod: method,
        urlPath: path,
        resourceArn: stageArn(region, route.api.id, route.stage.name),
      }),
    };
  }

  private async integrate(
    route: RouteMatch,
    input: InputSource,
    contextSource: RequestContextSource,
    trace: TraceState | undefined,
    headers: Readonly<Record<string, string>>,
    raw: RawRequest,
  ): Promise<Outcome> {
    const integration = route.method.integration;
    const where = `${route.method.httpMethod} ${route.resource.path} (${route.method.logicalId})`;
    const fail = (message: string, answer = answers.internalServerError(), call?: IntegrationCall): Outcome => {
      this.logger.warn(`api gateway: ${where}: Execution failed: ${message}`);
      return { answer, call };
    };
    if (integration === undefined) return fail('the method has no integration');
    if (route.method.options.refusal !== undefined) return fail(route.method.options.refusal, answers.notImplemented(route.method.options.refusal));
    if (integration.type === 'AWS_PROXY') {
      const proxied = await this.lambdaProxy(route, contextSource, trace, raw, integration);
      return proxied.failure === undefined ? proxied : fail(proxied.failure, proxied.answer, proxied.call);
    }
    if (!['AWS', 'MOCK', 'HTTP', 'HTTP_PROXY'].includes(integration.type)) return fail(`integration type ${integration.type} is not supported locally`);
    if ((integration.type === 'HTTP' || integration.type === 'HTTP_PROXY') && integration.connectionType !== 'INTERNET') {
      return fail(`Integration.ConnectionType ${integration.connectionType} is not supported locally`);
    }

    const stageVariables = route.stage.variables;
    const sources: ParameterSources = {
      methodRequest: { header: headers, querystring: input.queryParameters, path: input.pathParameters },
      context: contextObject(contextSource),
      stageVariables,
    };
    if (integration.type === 'HTTP_PROXY') {
      const proxied = await this.httpProxy(route, integration, sources, trace, raw);
      return 'failure' in proxied ? fail(proxied.failure, proxied.gatewayAnswer, proxied.call) : proxied;
    }
    let built;
    try {
      built = buildIntegrationRequest(
        integration,
        { contentType: headerValue(headers, 'content-type'), body: input.body },
        mappingVariables(input, contextObject(contextSource), stageVariables),
        sources,
        this.engine,
      );
    } catch (error) {
      if (error instanceof TemplateError && error.cause instanceof BodyNotJsonError) {
        return fail(`request body is not JSON: ${error.cause.message}`, answers.badRequestBody(error.cause.message));
      }
      return fail(`configuration error: unable to transform request: ${errorText(error)}`);
    }
    if (built.kind === 'unsupported-media-type') {
      return fail(`no request template for Content-Type ${built.contentType} and passthrough ${integration.passthroughBehavior}`, answers.unsupportedMediaType());
    }

    let backend: ServiceResponse;
    let call: IntegrationCall | undefined;
    let lambdaError: { errorMessage: string | undefined } | undefined;
    const callStartMs = this.clock();
    if (integration.type === 'MOCK') {
      backend = { status: mockStatus(built.body), headers: {}, body: '' };
    } else if (functionFromUri(integration.uri ?? '') !== undefined) {
      const { region, accountId } = this.options.model;
      const result = await invokeLambdaCustom(this.options.lambda, {
        uri: integration.uri ?? '',
        body: built.body,
        headers: built.parameters.header,
        stageVariables,
        region,
        sourceArn: `arn:aws:execute-api:${region}:${accountId}:${route.api.id}/${route.stage.name}/${route.method.httpMethod}${route.resource.path}`,
        timeoutMs: integration.timeoutMillis,
        trace: trace ? { root: trace.traceId, sampled: trace.sampled } : undefined,
      }, { nowMs: this.clock, segmentId: () => this.ids.segmentId() });
      if ('failure' in result) return fail(result.failure, result.answer, result.call);
      ({ backend, call } = result);
      lambdaError = { errorMessage: result.lambdaError };
    } else if (integration.type === 'HTTP') {
      let url: URL;
      try {
        url = integrationUrl(integration.uri ?? '', built.parameters.path);
      } catch (error) {
        return fail(`configuration error: ${errorText(error)}`);
      }
      for (const [name, value] of Object.entries(built.parameters.querystring)) url.searchParams.set(name, value);
      const mapped = Object.entries(built.parameters.header);
      const result = await callHttpIntegration({
        method: httpMethodFor(integration, contextSource.httpMethod),
        url,
        headers: [
          ...(mapped.some(([name]) => name.toLowerCase() === 'content-type') ? [] : [['Content-Type', built.contentType] as [string, string]]),
          ['User-Agent', `AmazonAPIGateway_${route.api.id}`],
          ...mapped,
        ],
        body: Buffer.from(built.body, 'utf8'),
        timeoutMs: integration.timeoutMillis,
        insecure: integration.insecureSkipVerification,
      }, trace ? { root: trace.traceId, sampled: trace.sampled } : undefined, { nowMs: this.clock, segmentId: () => this.ids.segmentId() });
      if ('failure' in result) return fail(result.failure, result.gatewayAnswer, result.call);
      backend = { status: result.answer.status, headers: singleHeaders(result.answer.rawHeaders), body: result.answer.body.toString('utf8') };
      call = result.call;
    } else {
      const result = await this.callService(integration, built, route, trace);
      if ('failure' in result) return fail(result.failure, result.answer, result.call);
      ({ backend, call } = result);
    }

    const response = selectIntegrationResponse(integration.responses, backend.status, lambdaError);
    if (response === undefined) {
      return fail(`configuration error: no match for output mapping and no default output mapping (backend status ${backend.status})`, undefined, call);
    }
    const responseContext = {
      ...contextObject(contextSource, { status: backend.status, latency: this.clock() - callStartMs, requestId: backend.headers['x-amzn-requestid'] }),
      responseOverride: { header: {} },
    };
    // `$input` of a response template: the backend's body, and the method request's parameters (CDK's CORS template reads its Origin).
    const backendInput: InputSource = { body: backend.body, pathParameters: input.pathParameters, queryParameters: input.queryParameters, headers: input.headers };
    try {
      const methodResponse = buildMethodResponse(
        response,
        { body: backend.body, contentType: backend.headers['content-type'] },
        headerValue(headers, 'accept'),
        mappingVariables(backendInput, responseContext, stageVariables),
        { ...sources, context: responseContext, integrationResponse: { header: backend.headers, body: backend.body } },
        this.engine,
      );
      return { answer: methodResponse, call };
    } catch (error) {
      return fail(`configuration error: unable to transform response: ${errorText(error)}`, undefined, call);
    }
  }

  private async callService(
    integration: Integration,
    built: Extract<ReturnType<typeof buildIntegrationRequest>, { kind: 'request' }>,
    route: RouteMatch,
    trace: TraceState | undefined,
  ): Promise<{ backend: ServiceResponse; call: IntegrationCall | undefined } | { failure: string; answer: GatewayAnswer; call: IntegrationCall | undefined }> {
    let target;
    let credential: RoleCredential;
    try {
      target = parseAwsIntegrationUri(integration.uri ?? '', built.parameters.path);
      if (!isLocalService(target.service)) throw new Error(`the integration URI names the AWS service "${target.service}", whose API the local AWS endpoint does not serve`);
      if (integration.credentials === undefined) throw new Error('the AWS integration has no Credentials role');
      credential = this.roleCredentials.forRole(integration.credentials);
    } catch (error) {
      return { failure: `configuration error: ${errorText(error)}`, answer: answers.internalServerError(), call: undefined };
    }
    const region = target.region ?? this.options.model.region;
    const httpMethod = integration.httpMethod ?? route.method.httpMethod;
    const shaped = shapeServiceCall(
      target,
      { 'content-type': built.contentType, 'user-agent': `AmazonAPIGateway_${route.api.id}`, ...lowerKeys(built.parameters.header) },
      { ...target.query, ...built.parameters.querystring },
    );
    const requestHeaders: Record<string, string> = { ...shaped.headers };
    const callId = trace?.sampled ? this.ids.segmentId() : undefined;
    if (trace) {
      requestHeaders['x-amzn-trace-id'] = formatTraceHeader({
        root: trace.traceId,
        ...(callId !== undefined ? { parent: callId } : {}),
        sampled: trace.sampled,
      });
    }
    const query = shaped.query;
    const details = describeCall({ query, headers: requestHeaders, body: built.body });
    const startedAtMs = this.clock();
    const describe = (status: number | undefined, backend: ServiceResponse | undefined, failure?: string): IntegrationCall | undefined =>
      callId === undefined
        ? undefined
        : {
            id: callId,
            name: xrayServiceName(target.service),
            startTime: startedAtMs / 1000,
            endTime: this.clock() / 1000,
            url: `${this.options.awsEndpointUrl.replace(/\/$/, '')}${target.path}`,
            method: httpMethod,
            operation: details.operation,
            region,
            resource: { ...resourceOfTarget(target, region), ...details.resource },
            status,
            requestId: backend?.headers['x-amzn-requestid'] ?? backend?.headers['x-amz-request-id'],
            contentLength: backend === undefined ? undefined : Buffer.byteLength(backend.body),
            failure: failure === undefined ? undefined : { id: this.ids.segmentId(), message: failure },
          };
    try {
      const backend = await this.client.call({
        service: target.service,
        region,
        method: httpMethod,
        path: target.path,
        query,
        headers: requestHeaders,
        body: built.body,
        credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey, sessionToken: credential.sessionToken },
        timeoutMillis: integration.timeoutMillis,
      });
      return { backend, call: describe(backend.status, backend) };
    } catch (error) {
      const message = errorText(error);
      if (error instanceof IntegrationTimeoutError) return { failure: message, answer: answers.integrationTimeout(), call: describe(undefined, undefined, message) };
      if (error instanceof IntegrationNetworkError) return { failure: message, answer: answers.internalServerError(), call: describe(undefined, undefined, message) };
      throw error;
    }
  }

  /** An HTTP proxy integration: the client's request through to the URI, the backend's answer back as it is. */
  private async httpProxy(
    route: RouteMatch, integration: Integration, sources: ParameterSources, trace: TraceState | undefined, raw: RawRequest,
  ): Promise<Outcome | { failure: string; gatewayAnswer: GatewayAnswer; call: IntegrationCall | undefined }> {
    const deps = { nowMs: this.clock, segmentId: () => this.ids.segmentId() };
    let url: URL;
    let mapped;
    try {
      mapped = mapParameters(integration.requestParameters, 'integration.request', sources);
      url = integrationUrl(integration.uri ?? '', { ...route.pathParameters, ...mapped.path });
    } catch (error) {
      return { failure: `configuration error: ${errorText(error)}`, gatewayAnswer: answers.internalServerError(), call: undefined };
    }
    for (const [name, value] of raw.query) url.searchParams.append(name, value);
    for (const [name, value] of Object.entries(mapped.querystring)) url.searchParams.set(name, value);
    const overridden = new Set(Object.keys(mapped.header).map((name) => name.toLowerCase()));
    const headers: Array<[string, string]> = [];
    for (let i = 0; i + 1 < raw.rawHeaders.length; i += 2) {
      const name = raw.rawHeaders[i] ?? '';
      if (!overridden.has(name.toLowerCase())) headers.push([name, raw.rawHeaders[i + 1] ?? '']);
    }
    headers.push(...Object.entries(mapped.header));
    const outcome = await callHttpIntegration({
      method: httpMethodFor(integration, route.method.httpMethod === 'ANY' ? String(sources.context.httpMethod) : route.method.httpMethod),
      url, headers, body: raw.body, timeoutMs: integration.timeoutMillis, insecure: integration.insecureSkipVerification,
    }, trace ? { root: trace.traceId, sampled: trace.sampled } : undefined, deps);
    return 'failure' in outcome ? outcome : { answer: proxiedAnswer(outcome.answer), call: outcome.call };
  }

  /** A Lambda proxy integration: the request as the proxy event, the function's result as the response. */
  private lambdaProxy(route: RouteMatch, context: RequestContextSource, trace: TraceState | undefined, raw: RawRequest, integration: Integration): ReturnType<typeof invokeLambdaProxy> {
    const event = this.proxyEventFor(route, context, trace, raw);
    const { region, accountId } = this.options.model;
    return invokeLambdaProxy(this.options.lambda, {
      uri: integration.uri ?? '',
      event,
      stageVariables: route.stage.variables,
      region,
      sourceArn: `arn:aws:execute-api:${region}:${accountId}:${route.api.id}/${route.stage.name}/${route.method.httpMethod}${route.resource.path}`,
      timeoutMs: integration.timeoutMillis,
      trace: trace ? { root: trace.traceId, sampled: trace.sampled } : undefined,
      accept: headerValue(headersOfRaw(raw.rawHeaders), 'accept'),
      binaryMediaTypes: route.api.binaryMediaTypes,
    }, { nowMs: this.clock, segmentId: () => this.ids.segmentId() });
  }

  /** The version 1.0 proxy event of the request (a REQUEST authorizer's event is built on it). */
  private proxyEventFor(route: RouteMatch, context: RequestContextSource, trace: TraceState | undefined, raw: RawRequest): Record<string, unknown> {
    return proxyEvent({
      resourcePath: route.resource.path,
      resourceId: route.resource.id,
      stage: route.stage.name,
      httpMethod: context.httpMethod,
      path: pathAfterStage(route, context.path),
      rawHeaders: raw.rawHeaders,
      query: raw.query,
      pathParameters: route.pathParameters,
      stageVariables: route.stage.variables,
      body: raw.body,
      binaryMediaTypes: route.api.binaryMediaTypes,
      accountId: context.accountId,
      apiId: context.apiId,
      domainName: context.domainName,
      requestId: context.requestId,
      extendedRequestId: context.extendedRequestId,
      requestTimeEpochMs: context.requestTimeEpoch,
      protocol: context.protocol,
      sourceIp: context.sourceIp,
      localPort: raw.localPort,
      traceHeader: trace ? formatTraceHeader({ root: trace.traceId, sampled: trace.sampled }) : undefined,
      authorizer: context.authorizer,
      apiKey: context.apiKey,
    });
  }

  /** Like API Gateway's `x-amz-apigw-id`: 16 characters of base64. */
  private extendedRequestId(): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let out = '';
    for (let i = 0; i < 15; i += 1) out += alphabet[Math.floor(this.random() * 64)] ?? 'A';
    return `${out}=`;
  }
}

/** The request path after the stage: `/prod/a/b` -> `/a/b`, `/prod` -> `/`. */
function pathAfterStage(route: RouteMatch, path: string): string {
  const stagePrefix = `/${route.stage.name}`;
  return path.startsWith(stagePrefix) ? path.slice(stagePrefix.length) || '/' : path;
}

/** IntegrationHttpMethod, or the method's own for ANY (an HTTP_PROXY passes the client's). */
function httpMethodFor(integration: Integration, methodOfRequest: string): string {
  return integration.httpMethod === undefined || integration.httpMethod === 'ANY' ? methodOfRequest : integration.httpMethod;
}

/** A MOCK integration's request template answers `{"statusCode": 200}`; that status picks the response. */
function mockStatus(body: string): number {
  try {
    const parsed = JSON.parse(body) as { statusCode?: unknown };
    const status = Number(parsed.statusCode);
    return Number.isInteger(status) ? status : 200;
  } catch {
    // API Gateway reads the template leniently: CDK's CORS preflight writes `{ statusCode: 200 }`.
    const lenient = /^\s*\{\s*["']?statusCode["']?\s*:\s*["']?(\d{3})["']?\s*\}\s*$/.exec(body);
    return lenient?.[1] !== undefined ? Number(lenient[1]) : 500;
  }
}

/** What a Lambda proxy event needs of the request beyond the mapping templates' view of it. */
interface RawRequest {
  readonly rawHeaders: ReadonlyArray<string>;
  readonly query: URLSearchParams;
  readonly body: Buffer;
  readonly localPort: number | undefined;
}

function headersOf(request: IncomingMessage): Record<string, string> {
  return headersOfRaw(request.rawHeaders);
}

function headersOfRaw(rawHeaders: ReadonlyArray<string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const value = rawHeaders[i + 1] ?? '';
    // A repeated header keeps its last value, as API Gateway's single-value `headers` do.
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing !== undefined) delete headers[existing];
    headers[name] = value;
  }
  return headers;
}

function lowerKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name.toLowerCase(), value]));
}

/** node:http passes on absolute-form targets (`GET http://host/x`) that need not parse as a URL. */
function requestUrl(target: string): URL | undefined {
  try {
    return new URL(target, 'http://gateway.local');
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, answer: GatewayAnswer, extra: Readonly<Record<string, string>>): void {
  const body = answer.rawBody ?? Buffer.from(answer.body, 'utf8');
  response.writeHead(answer.status, { ...answer.headers, ...answer.headerLists, ...extra, 'content-length': String(body.length) });
  response.end(body);
}

