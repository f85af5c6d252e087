/**
 * One function URL (`AWS::Lambda::Url`, InvokeMode BUFFERED) on its own local listener: AuthType
 * NONE or AWS_IAM (SigV4 for `lambda`), a declared Cors configuration, the request as the 2.0
 * payload with `requestContext.domainName` `<url-id>.lambda-url.<region>.on.aws`, and the function's
 * result read as the 2.0 response. Lambda does not trace function URLs beyond the function itself.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
 */
import { isPreflight, preflightHeaders, responseCorsHeaders, withoutCorsHeaders } from './cors.ts';
import { incomingTraceOf, servedFrontEnd, sourceIpOf } from './front-end.ts';
import type { FrontEndOptions } from './front-end.ts';
import type { IamCheck } from './iam-auth.ts';
import { invokeFunction } from './invoke.ts';
import type { ServedListener } from './listener.ts';
import type { IncomingCall, Reply } from './listener.ts';
import type { FunctionUrlDefinition } from './model.ts';
import { v2Event, v2Response } from './payload-v2.ts';

/** Function URLs take request payloads up to 6 MB, as synchronous invocations. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
/** A function runs at most 15 minutes; its own timeout ends it sooner. */
const MAX_INVOCATION_MS = 15 * 60 * 1000;

export interface FunctionUrlServerOptions extends FrontEndOptions {
  readonly url: FunctionUrlDefinition;
  /** Checks AWS_IAM URLs; without it they answer 403 to everyone. */
  readonly iam: IamCheck | undefined;
}

const text = (status: number, body: string): Reply => ({ status, headers: { 'content-type': 'text/plain' }, body: Buffer.from(body, 'utf8') });
const forbidden = (): Reply => ({ status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' }, body: Buffer.from(JSON.stringify({ Message: 'Forbidden' })) });

export class FunctionUrlServer {
  private readonly served: ServedListener;
  private readonly name: string;

  constructor(private readonly options: FunctionUrlServerOptions) {
    this.name = `function url ${options.url.stack}/${options.url.logicalId}`;
    this.served = servedFrontEnd(this.name, options, options.url.cors, MAX_BODY_BYTES, (call) => this.handle(call));
  }

  /** `http://127.0.0.1:3002/`, with the trailing slash of a function URL. */
  get url(): string {
    return `${this.served.url}/`;
  }

  /** As on AWS: `<url-id>.lambda-url.<region>.on.aws`. */
  get domainName(): string {
    return `${this.options.url.urlId}.lambda-url.${this.options.region}.on.aws`;
  }

  start(): void {
    this.served.start();
  }

  stop(): Promise<void> {
    return this.served.stop();
  }

  private async handle(call: IncomingCall): Promise<Reply> {
    const startedMs = this.options.clock();
    const requestId = this.options.ids.requestId();
    const reply = await this.answer(call, requestId, startedMs);
    const method = call.request.method ?? 'GET';
    const path = (call.request.url ?? '/').split('?')[0] ?? '/';
    this.options.logger.info(`${this.name}: ${method} ${path} -> ${reply.status} (${this.options.clock() - startedMs} ms) requestId=${requestId}`);
    return { ...reply, headers: { ...reply.headers, 'x-amzn-requestid': requestId } };
  }

  private async answer(call: IncomingCall, requestId: string, startedMs: number): Promise<Reply> {
    const { request } = call;
    const { url, region, accountId } = this.options;
    const method = (request.method ?? 'GET').toUpperCase();
    const cors = url.cors;
    if (cors !== undefined && isPreflight(method, request.headers)) return { status: 200, headers: preflightHeaders(cors, request.headers), body: Buffer.alloc(0) };
    const withCors = (reply: Reply): Reply => cors === undefined
      ? reply
      : { ...reply, headers: { ...withoutCorsHeaders(reply.headers), ...responseCorsHeaders(cors, typeof request.headers.origin === 'string' ? request.headers.origin : undefined) } };

    const functionArn = url.functionName.startsWith('arn:') ? url.functionName : `arn:aws:lambda:${region}:${accountId}:function:${url.functionName}`;
    let authorizer: Record<string, unknown> | undefined;
    if (url.authType === 'AWS_IAM') {
      const decision = this.options.iam?.check(
        { method, target: request.url ?? '/', headers: request.headers, body: call.body },
        'lambda', 'lambda:InvokeFunctionUrl', functionArn,
      ) ?? { allowed: false, reason: 'the IAM check is off' };
      if (!decision.allowed) {
        this.options.logger.warn(`${this.name}: AWS_IAM refused the request: ${decision.reason}`);
        return withCors(forbidden());
      }
      authorizer = { iam: { ...decision.caller, cognitoIdentity: null, principalOrgId: null } };
    }
    if (this.options.lambda === undefined) return withCors(text(502, 'Internal Server Error'));

    const target = request.url ?? '/';
    const queryAt = target.indexOf('?');
    const event = v2Event({
      method,
      rawPath: queryAt === -1 ? target : target.slice(0, queryAt),
      rawQueryString: queryAt === -1 ? '' : target.slice(queryAt + 1),
      rawHeaders: request.rawHeaders.filter((_, i, all) => i % 2 === 1 ? all[i - 1]?.toLowerCase() !== 'host' : all[i]?.toLowerCase() !== 'host'),
      body: call.body,
      sourceIp: sourceIpOf(request),
      protocol: `HTTP/${request.httpVersion}`,
      requestId,
      requestTimeEpochMs: startedMs,
      accountId: url.authType === 'AWS_IAM' ? accountId : 'anonymous',
      apiId: url.urlId,
      domainName: this.domainName,
      routeKey: '$default',
      stage: '$default',
      pathParameters: {},
      stageVariables: {},
      // The host a function sees is its URL's own.
      addedHeaders: { host: this.domainName, 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', 'x-forwarded-for': sourceIpOf(request) },
      ...(authorizer !== undefined ? { authorizer } : {}),
    });
    const outcome = await invokeFunction(this.options.lambda, { functionName: url.functionName, event, trace: incomingTraceOf(request), timeoutMs: MAX_INVOCATION_MS, sourceArn: functionArn });
    if (outcome.kind !== 'result') {
      this.options.logger.warn(`${this.name}: the invocation failed (${outcome.kind}): ${outcome.message}`);
      return withCors(text(502, 'Internal Server Error'));
    }
    const made = v2Response(outcome.payload);
    if ('malformed' in made) {
      this.options.logger.warn(`${this.name}: malformed function response: ${made.malformed}`);
      return withCors(text(502, 'Internal Server Error'));
    }
    return withCors(made.answer);
  }
}
