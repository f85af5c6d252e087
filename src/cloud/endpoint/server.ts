import { clipText, errorText, preview } from '../../common/preview.ts';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { HttpGuard } from '../../common/http-guard.ts';
import { BodyTooLarge, ClientGone, readBody } from '../../common/read-body.ts';
import type { AddressInfo } from 'node:net';
import type { Authorizer } from '../core/types.ts';
import { roleNameOf } from '../iam/credentials.ts';
import type { RoleCredentials } from '../iam/credentials.ts';
import { authFailureError, RequestAuthenticator } from './authentication.ts';
import { unservedReply } from './unserved.ts';
import type { BoundListener } from './listener.ts';
import { AwsError, commonErrors } from '../protocol/errors.ts';
import { CORAL, JSON_1_0 } from '../protocol/json-protocol.ts';
import { renderQueryError } from '../protocol/query-protocol.ts';
import type { Clock, IdSource, Logger } from '../core/runtime.ts';
import { randomIds, silentLogger, systemClock } from '../core/runtime.ts';
import type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest } from '../protocol/service.ts';
import { AuthFailure, sigV4ScopeOf } from '../protocol/sigv4.ts';
import { tryParseTraceHeader } from '../tracing/trace-header.ts';
import type { ServerTimeouts } from '../../common/server-timeouts.ts';
import { applyServerTimeouts } from '../../common/server-timeouts.ts';

export interface AwsEndpointOptions {
  /** Services registered from the start; more are added with `register`. */
  readonly services?: ReadonlyArray<AwsProtocolService>;
  /** A listener bound earlier (its URL was needed before the services were built); host and port are then its own. */
  readonly listener?: BoundListener;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** 0 picks a free port. @default 4566 */
  readonly port?: number;
  /** IAM decisions for every call; undefined turns IAM off (`--no-iam`). */
  readonly authorizer?: Authorizer;
  /** The roles' credentials: their signatures are verified (see authentication.ts). */
  readonly roleCredentials?: RoleCredentials;
  /** For the signatures' 15-minute window. @default the system clock */
  readonly clock?: Clock;
  /** For the principal named in AccessDenied messages. @default "000000000000" */
  readonly accountId?: string;
  /** @default 16 MiB (DynamoDB's request limit; SNS and SQS check their own smaller ones) */
  readonly maxBodyBytes?: number;
  /** How long a client may take to send a request; tests make them short. @default DEFAULT_SERVER_TIMEOUTS */
  readonly timeouts?: ServerTimeouts;
  readonly logger?: Logger;
  readonly ids?: IdSource;
  /** Host names accepted besides local ones (`--allowed-host`). */
  readonly allowedHosts?: readonly string[];
  /** Refuse access keys that are not the roles' (`--strict-iam`). @default false */
  readonly strictIam?: boolean;
}

/**
 * The local AWS endpoint (what `AWS_ENDPOINT_URL` points at): one HTTP server that reads each
 * request, finds the service it is for by its wire protocol, checks IAM with the caller's SigV4
 * access key id, and runs it. Every failure is answered in the service's own error shape.
 */
/** No browser may read an answer as anything but its declared type. */
const NOSNIFF = { 'x-content-type-options': 'nosniff' } as const;
/** The query protocol service here is SNS. */
const QUERY_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export class AwsEndpoint {
  private server: Server | undefined;
  /** The registry: by name, in registration order, which is the order requests are offered in. */
  private readonly services = new Map<string, AwsProtocolService>();
  private readonly logger: Logger;
  private readonly ids: IdSource;
  private readonly authenticator: RequestAuthenticator;
  private readonly guard: HttpGuard;

  constructor(private readonly options: AwsEndpointOptions) {
    this.logger = options.logger ?? silentLogger;
    this.ids = options.ids ?? randomIds;
    const clock = options.clock ?? systemClock;
    this.authenticator = new RequestAuthenticator({ ...(options.roleCredentials ? { roleCredentials: options.roleCredentials } : {}), clock: () => clock.nowMs(), strict: options.strictIam === true });
    // SNS and SQS take forms by protocol, so no content-type rule: browsers are told apart by Host, Origin and Sec-Fetch-Site.
    this.guard = new HttpGuard({ name: 'aws endpoint', allowedHosts: options.allowedHosts, warn: (line) => this.logger.warn(line) });
    for (const service of options.services ?? []) this.register(service);
  }

  /** Puts a service behind the endpoint; the first registered that accepts a request serves it. */
  register(service: AwsProtocolService): void {
    if (this.services.has(service.name)) throw new Error(`the AWS endpoint already serves ${service.name}`);
    this.services.set(service.name, service);
  }

  /** The services behind the endpoint, in the order they were registered (for the start banner). */
  get serviceNames(): string[] {
    return [...this.services.keys()];
  }

  async start(): Promise<void> {
    if (this.server) throw new Error('the AWS endpoint is already started');
    const handler = (request: IncomingMessage, response: ServerResponse): void => {
      // A defect met by one request ends that request only, never the process (and the cloud in it).
      this.serve(request, response).catch((error: unknown) => {
        this.logger.error(`aws endpoint: ${clipText(request.method ?? '', 40)} ${clipText(request.url ?? '', 200)} could not be answered: ${errorText(error)}`);
        if (response.headersSent) {
          response.destroy();
          return;
        }
        try {
          const reply = plainJsonError(commonErrors.internal());
          response.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) }).end(reply.body);
        } catch {
          response.destroy();
        }
      });
    };
    const listener = this.options.listener;
    const server = listener?.server ?? createServer(handler);
    // The SDK keeps connections alive between calls; a long poll may hold one for 20 s.
    applyServerTimeouts(server, this.options.timeouts);
    if (listener) {
      listener.serve(handler);
    } else {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.options.port ?? 4566, this.options.host ?? '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    }
    this.server = server;
  }

  /** Stops accepting; open connections (long polls included) are cut after in-flight replies. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 1000).unref();
    });
  }

  get port(): number {
    // A listener bound beforehand has its port from the start.
    const server = this.server ?? this.options.listener?.server;
    if (!server?.listening) throw new Error('the AWS endpoint is not started');
    return (server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>`, the value for AWS_ENDPOINT_URL. */
  get url(): string {
    return `http://${this.options.listener?.host ?? this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  private async serve(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = this.ids.uuid();
    const refusal = this.guard.refusal(incoming);
    if (refusal) {
      // Before the body is read, so before the service is known: JSON for X-Amz-Target requests, the query protocol's XML for the rest, with SNS's code for a denial.
      const denied = new AwsError('AccessDeniedException', refusal.message, { status: refusal.status, namespace: CORAL, queryCode: 'AuthorizationError' });
      const refused = incoming.headers['x-amz-target'] === undefined ? renderQueryError(denied, QUERY_XMLNS, requestId) : plainJsonError(denied);
      response.writeHead(refused.status, { ...refused.headers, ...NOSNIFF, 'x-amzn-requestid': requestId, connection: 'close' }).end(refused.body);
      return;
    }
    let reply: EndpointReply;
    try {
      const body = await readBody(incoming, this.options.maxBodyBytes ?? 16 * 1024 * 1024);
      reply = await this.handle(toRequest(incoming, body, requestId));
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        reply = plainJsonError(requestTooLarge(error.limitBytes));
      } else if (error instanceof AwsError) {
        reply = plainJsonError(error);
      } else {
        // The connection failed while the body was read: nobody to answer.
        this.logger.warn(`aws endpoint: reading a request failed: ${errorText(error instanceof ClientGone ? error.error : error)}`);
        response.destroy();
        return;
      }
    }
    response.statusCode = reply.status;
    for (const [name, value] of Object.entries(reply.headers)) response.setHeader(name, value);
    // A body left unread must not be parsed as the next request on this connection.
    if (!incoming.complete) response.setHeader('connection', 'close');
    response.setHeader('x-amzn-requestid', requestId);
    response.setHeader('x-content-type-options', NOSNIFF['x-content-type-options']);
    response.setHeader('content-length', Buffer.byteLength(reply.body));
    response.end(reply.body);
  }

  /** Dispatch, IAM check and run. */
  private async handle(request: EndpointRequest): Promise<EndpointReply> {
    // The protocol names the service, but a form body is both SNS's and SQS's Query protocol: then the
    // signing scope decides (API Gateway's integrations sign for their URI's service), never a default.
    const scoped = request.caller?.service;
    const byTarget = request.headers['x-amz-target'] !== undefined;
    const accepting = [...this.services.values()].filter(
      // A form signed for another service's name (an integration of `kinesis`) is not this one's.
      (candidate) => candidate.accepts(request) && (byTarget || scoped === undefined || candidate.signingName === undefined || candidate.signingName === scoped),
    );
    const service = accepting.length > 1 && !byTarget ? (accepting.find((candidate) => candidate.signingName === scoped) ?? accepting[0]) : accepting[0];
    if (!service) return unservedReply(request, [...this.services.values()], request.requestId);
    try {
      this.authenticator.authenticate(request);
      const call = service.parse(request);
      this.authorize(service, request, call);
      return await call.run();
    } catch (error) {
      if (error instanceof AuthFailure) return service.renderError(authFailureError(error, service.authFailureStatus), request);
      if (error instanceof AwsError) return service.renderError(error, request);
      const detail = error instanceof Error && typeof error.stack === 'string' ? clipText(error.stack, 4000) : errorText(error);
      this.logger.error(`aws endpoint: ${service.name} request failed: ${detail}`);
      return service.renderError(commonErrors.internal(), request);
    }
  }

  private authorize(service: AwsProtocolService, request: EndpointRequest, call: AwsCall): void {
    const authorizer = this.options.authorizer;
    if (!authorizer) return;
    const accessKeyId = request.caller?.accessKeyId;
    for (const { action, resourceArn } of call.permissions) {
      if (accessKeyId === undefined) {
        throw service.accessDenied(`The request to ${action} on ${resourceArn} is not signed: no SigV4 Authorization header names an access key.`);
      }
      const decision = authorizer.authorize({ accessKeyId }, action, resourceArn);
      if (!decision.allowed) {
        // A reason that is already AWS's whole sentence ("User: ... is not authorized ...") is kept as is.
        const message = decision.reason.startsWith('User: ')
          ? decision.reason
          : `User: ${this.principalOf(accessKeyId)} is not authorized to perform: ${action} on resource: ${resourceArn} because ${decision.reason}`;
        throw service.accessDenied(message);
      }
    }
  }

  private principalOf(accessKeyId: string): string {
    const roleArn = this.options.roleCredentials?.byAccessKeyId(accessKeyId)?.roleArn;
    const role = roleArn === undefined ? undefined : roleNameOf(roleArn);
    const account = this.options.accountId ?? '000000000000';
    return role === undefined ? `access key ${accessKeyId}` : `arn:aws:sts::${account}:assumed-role/${role}/local`;
  }
}

function toRequest(incoming: IncomingMessage, body: Buffer, requestId: string): EndpointRequest {
  const url = requestUrl(incoming.url ?? '/');
  const trace = incoming.headers['x-amzn-trace-id'];
  return {
    method: incoming.method ?? 'GET',
    target: incoming.url ?? '/',
    path: url.pathname,
    query: url.searchParams,
    headers: incoming.headers,
    body,
    requestId,
    caller: sigV4ScopeOf(incoming.headers.authorization, url.searchParams),
    trace: tryParseTraceHeader(typeof trace === 'string' ? trace : undefined),
  };
}

/** node:http passes on absolute-form targets (`POST http://host/x`) that need not parse as a URL. */
function requestUrl(target: string): URL {
  try {
    return new URL(target, 'http://localhost');
  } catch {
    throw new AwsError('InvalidRequest', `${preview(target, 160)} is not a valid request target; send the path /.`, { namespace: CORAL });
  }
}

function plainJsonError(error: AwsError): EndpointReply {
  return {
    status: error.status,
    headers: { 'content-type': JSON_1_0 },
    body: JSON.stringify({ __type: `${error.namespace ?? CORAL}#${error.code}`, message: error.message }),
  };
}

function requestTooLarge(limit: number): AwsError {
  return new AwsError('RequestEntityTooLarge', `The request body exceeds ${limit} bytes.`, { status: 413 });
}
