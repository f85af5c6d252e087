/**
 * One local listener for one HTTP API or function URL: the http-guard first (Host check, cross-site
 * refusals; a declared CORS configuration lets its own origins through, as the user's API answers
 * their CORS itself), the body read within a limit, one request's defect ending that request only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkRequest, HttpGuard } from '../../common/http-guard.ts';
import type { Refusal } from '../../common/http-guard.ts';
import { clipText, errorText } from '../../common/preview.ts';
import { BodyTooLarge, readBody } from '../../common/read-body.ts';
import { applyServerTimeouts } from '../../common/server-timeouts.ts';
import type { ServerTimeouts } from '../../common/server-timeouts.ts';
import type { Logger } from '../core/runtime.ts';
import type { BoundListener } from '../endpoint/listener.ts';
import { allowsOrigin } from './cors.ts';
import type { CorsConfig } from './model.ts';

export interface Reply {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Sent as repeated Set-Cookie lines. */
  readonly cookies?: readonly string[];
  readonly body: Buffer;
}

export interface IncomingCall {
  readonly request: IncomingMessage;
  readonly body: Buffer;
}

export function jsonReply(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(body), 'utf8') };
}

export interface ServedListenerOptions {
  /** In log lines, e.g. `http api "Items"`. */
  readonly name: string;
  readonly listener: BoundListener;
  readonly cors: CorsConfig | undefined;
  /** Bytes; a longer body answers 413. */
  readonly maxBodyBytes: number;
  readonly allowedHosts?: readonly string[];
  readonly timeouts?: ServerTimeouts;
  readonly logger: Logger;
  readonly nowMs: () => number;
  readonly handle: (call: IncomingCall) => Promise<Reply>;
}

export class ServedListener {
  private readonly guard: HttpGuard;

  constructor(private readonly options: ServedListenerOptions) {
    this.guard = new HttpGuard({ name: options.name, allowedHosts: options.allowedHosts, warn: (line) => options.logger.warn(line), nowMs: options.nowMs });
  }

  get url(): string {
    return this.options.listener.url;
  }

  start(): void {
    applyServerTimeouts(this.options.listener.server, this.options.timeouts);
    this.options.listener.serve((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        this.options.logger.error(`${this.options.name}: ${clipText(request.method ?? '', 40)} ${clipText(request.url ?? '', 200)} failed: ${errorText(error)}`);
        if (!response.headersSent) send(response, jsonReply(500, { message: 'Internal Server Error' }));
        else response.destroy();
      });
    });
  }

  async stop(): Promise<void> {
    await this.options.listener.close();
  }

  /** The guard's refusal; only the Host check for an origin the declared CORS configuration allows. */
  private refusal(request: IncomingMessage): Refusal | undefined {
    const origin = request.headers.origin;
    const cors = this.options.cors;
    if (cors === undefined || origin === undefined || !allowsOrigin(cors, origin)) return this.guard.refusal(request);
    const socket = request.socket;
    const headers = { ...request.headers };
    delete headers.origin;
    delete headers['sec-fetch-site'];
    delete headers['access-control-request-method'];
    const refusal = checkRequest(request.method ?? 'GET', headers, { port: socket.localPort ?? 0, secure: false, ...(socket.localAddress ? { localAddress: socket.localAddress } : {}) }, { allowedHosts: this.options.allowedHosts });
    if (refusal) {
      request.resume();
      this.options.logger.warn(`${this.options.name}: refused a request: ${refusal.message}`);
    }
    return refusal;
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refusal = this.refusal(request);
    if (refusal) {
      send(response, jsonReply(refusal.status, { message: refusal.message }), true);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(request, this.options.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        send(response, jsonReply(413, { message: 'Request Entity Too Large' }), true);
        return;
      }
      response.destroy();
      return;
    }
    send(response, await this.options.handle({ request, body }));
  }
}

function send(response: ServerResponse, reply: Reply, close = false): void {
  const headers: Record<string, string | string[]> = { ...reply.headers, 'content-length': String(reply.body.length) };
  if (reply.cookies !== undefined && reply.cookies.length > 0) headers['set-cookie'] = [...reply.cookies];
  if (close) headers['connection'] = 'close';
  response.writeHead(reply.status, headers);
  response.end(reply.body);
}
