/**
 * One HTTP API (`AWS::ApiGatewayV2::Api`, ProtocolType HTTP) on its own local listener: stage and
 * route selection, a declared CORS configuration, AWS_IAM routes, and Lambda proxy (payload 2.0 and
 * 1.0) or HTTP proxy integrations. API Gateway does not trace HTTP APIs: no stage segment is sent;
 * a function's own segment starts the trace. See README.md.
 */
import type { IncomingMessage } from 'node:http';
import { proxyEvent, proxyResponse } from '../gateway/lambda-proxy.ts';
import { isPreflight, preflightHeaders, responseCorsHeaders, withoutCorsHeaders } from './cors.ts';
import { incomingTraceOf, servedFrontEnd, sourceIpOf } from './front-end.ts';
import type { FrontEndOptions } from './front-end.ts';
import { forwardHttp, integrationUrl } from './http-proxy.ts';
import type { IamCheck } from './iam-auth.ts';
import { functionOfIntegrationUri, invokeFunction } from './invoke.ts';
import { jsonReply } from './listener.ts';
import type { ServedListener } from './listener.ts';
import type { IncomingCall, Reply } from './listener.ts';
import type { HttpApiDefinition, HttpRoute, HttpStage } from './model.ts';
import { isTextContentType, v2Event, v2Response } from './payload-v2.ts';
import { selectRoute, selectStage } from './routes.ts';

/** HTTP APIs accept payloads up to 10 MB. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface HttpApiServerOptions extends FrontEndOptions {
  readonly api: HttpApiDefinition;
  /** Checks AWS_IAM routes; without it (IAM off) they take every request. */
  readonly iam: IamCheck | undefined;
}

const notFound = (): Reply => jsonReply(404, { message: 'Not Found' });
const internalError = (): Reply => jsonReply(500, { message: 'Internal Server Error' });
const unavailable = (): Reply => jsonReply(503, { message: 'Service Unavailable' });

export class HttpApiServer {
  private readonly served: ServedListener;
  private readonly name: string;

  constructor(private readonly options: HttpApiServerOptions) {
    this.name = `http api ${JSON.stringify(options.api.name)}`;
    this.served = servedFrontEnd(this.name, options, options.api.cors, MAX_BODY_BYTES, (call) => this.handle(call));
  }

  /** The API's base URL, e.g. `http://127.0.0.1:3001` (its ApiEndpoint). */
  get url(): string {
    return this.served.url;
  }

  /** One URL per stage: `http://127.0.0.1:3001/` for `$default`, `.../dev/` for a named one. */
  stageUrls(): Array<{ stage: string; url: string }> {
    return this.options.api.stages.map((stage) => ({ stage: stage.name, url: stage.name === '$default' ? `${this.url}/` : `${this.url}/${encodeURIComponent(stage.name)}/` }));
  }

  start(): void {
    this.served.start();
  }

  stop(): Promise<void> {
    return this.served.stop();
  }

  private async handle(call: IncomingCall): Promise<Reply> {
    const startedMs = this.options.clock();
    const { request } = call;
    const method = (request.method ?? 'GET').toUpperCase();
    const target = request.url ?? '/';
    const queryAt = target.indexOf('?');
    const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const rawQueryString = queryAt === -1 ? '' : target.slice(queryAt + 1);
    const requestId = this.options.ids.requestId();
    const cors = this.options.api.cors;
    const origin = typeof request.headers.origin === 'string' ? request.headers.origin : undefined;

    let reply: Reply;
    let routeKey = '-';
    if (cors !== undefined && isPreflight(method, request.headers)) {
      reply = { status: 204, headers: preflightHeaders(cors, request.headers), body: Buffer.alloc(0) };
    } else {
      const selected = selectStage(this.options.api, rawPath.startsWith('/') ? rawPath : `/${rawPath}`);
      const route = selected === undefined ? undefined : selectRoute(this.options.api.routes, method, selected.routePath);
      if (selected === undefined || route === undefined) {
        reply = notFound();
      } else {
        routeKey = route.route.routeKey;
        reply = await this.integrate(call, { method, rawPath, rawQueryString, requestId, startedMs, stage: selected.stage, routePath: selected.routePath, route: route.route, pathParameters: route.pathParameters });
      }
      if (cors !== undefined) reply = { ...reply, headers: { ...withoutCorsHeaders(reply.headers), ...responseCorsHeaders(cors, origin) } };
    }
    const endedMs = this.options.clock();
    this.options.logger.info(`${this.name}: ${method} ${rawPath} (${routeKey}) -> ${reply.status} (${endedMs - startedMs} ms) requestId=${requestId}`);
    return { ...reply, headers: { ...reply.headers, 'apigw-requestid': requestId } };
  }

  private async integrate(call: IncomingCall, context: {
    method: string; rawPath: string; rawQueryString: string; requestId: string; startedMs: number;
    stage: HttpStage; routePath: string; route: HttpRoute; pathParameters: Readonly<Record<string, string>>;
  }): Promise<Reply> {
    const { request } = call;
    const { route, stage } = context;
    const { api, region, accountId } = this.options;
    const where = `${route.routeKey} (${route.logicalId})`;
    const fail = (message: string, reply = internalError()): Reply => {
      this.options.logger.warn(`${this.name}: ${where}: ${message}`);
      return reply;
    };
    const sourceArn = `arn:aws:execute-api:${region}:${accountId}:${api.id}/${stage.name}/${route.method ?? '$default'}${route.method === undefined ? '' : route.segments.length === 0 ? '/' : `/${route.segments.join('/')}`}`;

    if (route.authorizationType === 'JWT' || route.authorizationType === 'CUSTOM') {
      const kind = route.authorizationType === 'JWT' ? 'JWT' : 'Lambda (REQUEST)';
      const message = `the ${kind} authorizer ${JSON.stringify(route.authorizer?.name ?? 'unknown')} of route ${route.routeKey} is not supported by the local cloud`;
      return fail(message, jsonReply(500, { message: `Internal Server Error: ${message}` }));
    }
    let authorizer: Record<string, unknown> | undefined;
    if (route.authorizationType === 'AWS_IAM' && this.options.iam !== undefined) {
      const decision = this.options.iam.check(
        { method: context.method, target: request.url ?? '/', headers: request.headers, body: call.body },
        'execute-api', 'execute-api:Invoke', `arn:aws:execute-api:${region}:${accountId}:${api.id}/${stage.name}/${context.method}${context.routePath}`,
      );
      if (!decision.allowed) return fail(`AWS_IAM: ${decision.reason}`, jsonReply(403, { message: 'Forbidden' }));
      authorizer = { iam: { ...decision.caller, cognitoIdentity: null, principalOrgId: null } };
    }

    const integration = route.integration;
    if (integration === undefined) return fail('Execution failed: the route has no integration');
    const addedHeaders = forwardedHeaders(request);
    if (integration.type === 'HTTP_PROXY') {
      const method = integration.method === undefined || integration.method === 'ANY' ? context.method : integration.method;
      const url = integrationUrl(integration.uri ?? '', context.pathParameters, stage.variables, context.rawQueryString);
      const outcome = await forwardHttp({ url, method, rawHeaders: request.rawHeaders, body: call.body, addedHeaders, timeoutMs: integration.timeoutMs });
      if ('failure' in outcome) return fail(`Execution failed: HTTP proxy ${outcome.failure}`, outcome.timedOut ? unavailable() : internalError());
      return outcome.reply;
    }
    if (integration.type !== 'AWS_PROXY' || integration.subtype !== undefined) {
      return fail(`Execution failed: integration ${integration.subtype ?? integration.type} is not supported by the local cloud`);
    }
    const functionName = functionOfIntegrationUri(integration.uri ?? '', stage.variables);
    if (functionName === undefined) return fail(`Execution failed: integration URI ${JSON.stringify(integration.uri ?? null)} names no Lambda function`);
    if (this.options.lambda === undefined) return fail('Execution failed: no Lambda service to invoke');

    const domainName = typeof request.headers.host === 'string' ? request.headers.host : '127.0.0.1';
    const sourceIp = sourceIpOf(request);
    const protocol = `HTTP/${request.httpVersion}`;
    const event = integration.payloadFormatVersion === '2.0'
      ? v2Event({
        method: context.method, rawPath: context.rawPath, rawQueryString: context.rawQueryString, rawHeaders: request.rawHeaders, body: call.body,
        sourceIp, protocol, requestId: context.requestId, requestTimeEpochMs: context.startedMs, accountId, apiId: api.id, domainName,
        routeKey: route.routeKey, stage: stage.name, pathParameters: context.pathParameters, stageVariables: stage.variables, addedHeaders,
        ...(authorizer !== undefined ? { authorizer } : {}),
      })
      : this.v1Event(call, context, { domainName, sourceIp, protocol, authorizer });
    const outcome = await invokeFunction(this.options.lambda, { functionName, event, trace: incomingTraceOf(request), timeoutMs: integration.timeoutMs, sourceArn });
    if (outcome.kind === 'timeout') return fail(`Execution failed: ${outcome.message}`, unavailable());
    if (outcome.kind !== 'result') return fail(`Execution failed: Lambda ${outcome.kind === 'function-error' ? 'function error' : 'invocation failed'}: ${outcome.message}`);
    if (integration.payloadFormatVersion === '2.0') {
      const made = v2Response(outcome.payload);
      if ('malformed' in made) return fail(`Execution failed: malformed Lambda response: ${made.malformed}`);
      return made.answer;
    }
    const made = proxyResponse(outcome.payload, undefined, []);
    if ('malformed' in made) return fail(`Execution failed: malformed Lambda proxy response: ${made.malformed}`);
    const answer = made.answer;
    const headers: Record<string, string> = { ...answer.headers };
    const cookies: string[] = [];
    for (const [name, values] of Object.entries(answer.headerLists ?? {})) {
      if (name === 'set-cookie') cookies.push(...values);
      else headers[name] = values.join(',');
    }
    if (headers['set-cookie'] !== undefined) {
      cookies.unshift(headers['set-cookie']);
      delete headers['set-cookie'];
    }
    const text = answer.body;
    const body = (outcome.payload as { isBase64Encoded?: unknown }).isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
    return { status: answer.status, headers, cookies, body };
  }

  /** The payload format 1.0: the REST API proxy event with `version: "1.0"` and the route's path as its resource. */
  private v1Event(call: IncomingCall, context: { method: string; rawQueryString: string; requestId: string; startedMs: number; stage: HttpStage; routePath: string; route: HttpRoute; pathParameters: Readonly<Record<string, string>> },
    request: { domainName: string; sourceIp: string; protocol: string; authorizer: Record<string, unknown> | undefined }): Record<string, unknown> {
    const { route, stage } = context;
    const resourcePath = route.method === undefined ? '$default' : `/${route.segments.join('/')}`;
    const contentType = call.request.headers['content-type'];
    const event = proxyEvent({
      resourcePath,
      resourceId: route.logicalId,
      stage: stage.name === '$default' ? '' : stage.name,
      httpMethod: context.method,
      path: context.routePath,
      rawHeaders: call.request.rawHeaders,
      query: new URLSearchParams(context.rawQueryString),
      pathParameters: context.pathParameters,
      stageVariables: stage.variables,
      body: call.body,
      // HTTP APIs pass every body that is not text as base64, whatever the API declares.
      binaryMediaTypes: call.body.length > 0 && !isTextContentType(contentType) ? ['*/*'] : [],
      accountId: this.options.accountId,
      apiId: this.options.api.id,
      domainName: request.domainName,
      requestId: context.requestId,
      extendedRequestId: context.requestId,
      requestTimeEpochMs: context.startedMs,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      localPort: call.request.socket.localPort,
      traceHeader: undefined,
    });
    const requestContext = { ...(event['requestContext'] as Record<string, unknown>), stage: stage.name, routeKey: route.routeKey, ...(request.authorizer !== undefined ? { authorizer: request.authorizer } : {}) };
    return { version: '1.0', ...event, requestContext };
  }
}

/** What API Gateway adds to a request it passes on. */
function forwardedHeaders(request: IncomingMessage): Record<string, string> {
  return {
    'x-forwarded-for': sourceIpOf(request),
    'x-forwarded-proto': 'http',
    'x-forwarded-port': String(request.socket.localPort ?? ''),
  };
}
