import type { IncomingHttpHeaders } from 'node:http';
import { methodNotAllowed, unknownOperation } from './errors.ts';
import type { JsonObject } from './json-fields.ts';
import { parseJsonBody } from './json-fields.ts';

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The whole body, already held to the server's size limit. */
  readonly body: Buffer;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

/** Throw an `ApiError` to answer with an AWS-shaped error. */
export type Handler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** An X-Ray operation: JSON object in, JSON object out, status 200. */
export type JsonHandler = (body: JsonObject, request: HttpRequest) => unknown;

/**
 * Exact-path routing, one handler per (method, path). Unknown paths and wrong methods become the
 * 404 and 405 errors; everything else is the handler's business.
 */
export class Router {
  private readonly routes = new Map<string, Map<string, Handler>>();

  add(method: string, path: string, handler: Handler): this {
    const byMethod = this.routes.get(path) ?? new Map<string, Handler>();
    if (byMethod.has(method)) throw new Error(`route ${method} ${path} is registered twice`);
    byMethod.set(method, handler);
    this.routes.set(path, byMethod);
    return this;
  }

  postJson(path: string, handler: JsonHandler): this {
    return this.add('POST', path, async (request) => {
      const input = parseJsonBody(request.body);
      const output = await handler(input, request);
      return jsonResponse(200, output);
    });
  }

  /** Every (method, path) registered, in registration order. */
  list(): Array<{ readonly method: string; readonly path: string }> {
    return [...this.routes].flatMap(([path, byMethod]) => [...byMethod.keys()].map((method) => ({ method, path })));
  }

  /** The handler for a request, or throws the 404/405 `ApiError`. */
  resolve(method: string, path: string): Handler {
    const byMethod = this.routes.get(path);
    if (!byMethod) throw unknownOperation(method, path);
    const handler = byMethod.get(method);
    if (!handler) throw methodNotAllowed(method, path, [...byMethod.keys()]);
    return handler;
  }
}

export function jsonResponse(status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}
