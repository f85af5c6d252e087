import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpGuard } from '../../common/http-guard.ts';
import type { HttpGuardPolicy } from '../../common/http-guard.ts';
import type { ServerTimeouts } from '../../common/server-timeouts.ts';
import { applyServerTimeouts } from '../../common/server-timeouts.ts';
import type { Logger } from '../log/logger.ts';
import { clipText, errorText, preview } from '../../common/preview.ts';
import { BodyTooLarge, ClientGone, readBody } from '../../common/read-body.ts';
import { ApiError, errorBody, invalidRequest, payloadTooLarge } from './errors.ts';
import type { HttpResponse, Router } from './router.ts';

export interface HttpServerOptions {
  readonly router: Router;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  /** Who logs, e.g. `xray otlp`. Default `xray api`. */
  readonly name?: string;
  /**
   * How an `ApiError` (404, 405, 413 and the handlers' own) is answered. Default: the AWS
   * rest-json shape; a server speaking another protocol (OTLP) gives its own.
   */
  readonly errorResponse?: (error: ApiError, headers: IncomingHttpHeaders) => HttpResponse;
  /**
   * What the browser guard lets through besides loopback Hosts and same-origin requests, and the
   * listener's name in its log lines. The guard runs on every request, with or without this.
   */
  readonly guard?: HttpGuardPolicy & { readonly name?: string };
  /** How long a client may take to send a request; tests make them short. @default DEFAULT_SERVER_TIMEOUTS */
  readonly timeouts?: ServerTimeouts;
}

export interface RunningHttpServer {
  readonly address: AddressInfo;
  /** Stops accepting, lets in-flight requests finish, then closes idle keep-alive connections. */
  close(): Promise<void>;
}

/** node:http behind our router: body limits, AWS-shaped errors, request ids. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const guard = new HttpGuard({ ...options.guard, name: options.guard?.name ?? 'xray http', warn: (line) => options.logger.warn(line) });
  const server = createServer((request, response) => {
    serve(options, guard, request, response).catch((error: unknown) => {
      // Only writing the answer is left outside serve's own catch: cut this connection, keep serving.
      options.logger.error(`${options.name ?? 'xray api'}: ${request.method ?? 'GET'} ${preview(request.url ?? '/', 100)}: could not answer: ${errorText(error)}`);
      response.destroy();
    });
  });
  applyServerTimeouts(server, options.timeouts);
  await listen(server, options.host, options.port);
  return {
    address: server.address() as AddressInfo,
    close: () => close(server),
  };
}

async function serve(options: HttpServerOptions, guard: HttpGuard, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const refusal = guard.refusal(request);
  if (refusal) {
    const type = refusal.status === 415 ? 'UnsupportedMediaTypeException' : 'AccessDeniedException';
    write(response, (options.errorResponse ?? awsErrorResponse)(new ApiError(refusal.status, type, refusal.message), request.headers), true);
    return;
  }
  const method = request.method ?? 'GET';
  let where = request.url ?? '/';
  let result: HttpResponse;
  try {
    const url = requestUrl(where);
    where = url.pathname;
    const handler = options.router.resolve(method, url.pathname);
    const body = await readBody(request, options.maxBodyBytes).catch((error: unknown) => {
      throw error instanceof BodyTooLarge ? payloadTooLarge(error.limitBytes) : error;
    });
    result = await handler({ method, path: url.pathname, query: url.searchParams, headers: request.headers, body });
  } catch (error) {
    if (error instanceof ClientGone) {
      // The client went away mid-body (or a timeout closed it): nobody to answer, nothing failed here.
      options.logger.warn(`${options.name ?? 'xray api'}: ${clipText(method, 40)} ${clipText(where, 100)}: the request body could not be read (${error.message})`);
      response.destroy();
      return;
    }
    // A defect met by one request is that request's 500 (in the protocol's own error shape), logged; the server keeps serving.
    if (!(error instanceof ApiError)) {
      const stack = error instanceof Error && typeof error.stack === 'string' ? `\n${clipText(error.stack, 4000)}` : '';
      options.logger.error(`${options.name ?? 'xray api'}: ${clipText(method, 40)} ${clipText(where, 200)} failed: ${errorText(error)}${stack}`);
    }
    const refusal = error instanceof ApiError ? error : new ApiError(500, 'ServiceException', 'internal error; the service log has the details');
    result = (options.errorResponse ?? awsErrorResponse)(refusal, request.headers);
  }
  write(response, result, !request.complete);
}

/** node:http passes on absolute-form targets (`POST http://host/x`) that need not parse as a URL. */
function requestUrl(target: string): URL {
  try {
    return new URL(target, 'http://localhost');
  } catch {
    throw invalidRequest(`${preview(target, 100)} is not a valid request target; send a path such as /Name`);
  }
}

function awsErrorResponse(error: ApiError): HttpResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.type, ...error.headers },
    body: errorBody(error),
  };
}

function write(response: ServerResponse, result: HttpResponse, bodyUnread: boolean): void {
  const body = result.body ?? '';
  response.statusCode = result.status;
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, value);
  response.setHeader('x-amzn-requestid', randomUUID());
  // No browser may read an answer as anything but its declared type.
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('content-length', Buffer.byteLength(body));
  // A body we refused to read must not be parsed as the next request on this connection.
  if (bodyUnread) response.setHeader('connection', 'close');
  response.end(body);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** In-flight requests get this long to finish before their connections are cut. */
const CLOSE_GRACE_MILLIS = 2000;

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MILLIS).unref();
    server.close((error) => {
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
