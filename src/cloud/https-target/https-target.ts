import { preview } from '../../common/preview.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { HttpGuard } from '../../common/http-guard.ts';
import type { ServerTimeouts } from '../../common/server-timeouts.ts';
import { applyServerTimeouts, DEFAULT_SERVER_TIMEOUTS } from '../../common/server-timeouts.ts';
import { makeLocalCertificates } from './certificates.ts';
import { TODOS } from './todos.ts';

export interface HttpsTargetOptions {
  /** @default 0 (a free port; read `url` after start) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Where the CA certificate (PEM) is written, for NODE_EXTRA_CA_CERTS. @default '.xray-tracer/https-target-ca.pem' */
  readonly caFile?: string;
  /** Certificates are valid from this time. @default new Date() */
  readonly now?: () => Date;
  /** Host names accepted besides local ones (`--allowed-host`). */
  readonly allowedHosts?: readonly string[];
  /** Where refused requests are reported. @default console.warn */
  readonly warn?: (message: string) => void;
  /** How long a client may take to send a request; tests make them short. @default DEFAULT_SERVER_TIMEOUTS */
  readonly timeouts?: ServerTimeouts;
}

/**
 * The HTTP flow's external endpoint, locally: an HTTPS server answering like the public placeholder
 * API (`GET /todos/1` -> the todo as JSON, `GET /todos` -> all, anything else 404 `{}`), with a
 * certificate from a CA made at start. Only clients given the CA's PEM (NODE_EXTRA_CA_CERTS) trust it.
 */
export class HttpsTarget {
  private server: Server | undefined;
  private port: number | undefined;
  private ca: string | undefined;
  readonly caFile: string;
  private readonly guard: HttpGuard;

  constructor(private readonly options: HttpsTargetOptions = {}) {
    this.caFile = resolve(options.caFile ?? '.xray-tracer/https-target-ca.pem');
    this.guard = new HttpGuard({ name: 'https target', allowedHosts: options.allowedHosts, warn: options.warn ?? ((line) => console.warn(line)) });
  }

  /** The todo the HTTP flow fetches, e.g. `https://127.0.0.1:40123/todos/1` (its TARGET_URL). */
  get url(): string {
    return `${this.origin}/todos/1`;
  }

  get origin(): string {
    if (this.port === undefined) throw new Error('HttpsTarget.origin read before start()');
    return `https://${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  /** The CA certificate (PEM) clients must trust. */
  get caCert(): string {
    if (this.ca === undefined) throw new Error('HttpsTarget.caCert read before start()');
    return this.ca;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const certificates = await makeLocalCertificates({ now: this.options.now?.() ?? new Date() });
    await mkdir(dirname(this.caFile), { recursive: true });
    await writeFile(this.caFile, pem(certificates.caCert), 'utf8');
    // The server presents its certificate and the CA's, as public endpoints send their chain.
    const timeouts = this.options.timeouts ?? DEFAULT_SERVER_TIMEOUTS;
    const server = createServer(
      // A TLS handshake that never completes is held to the same time as a request head (node's default is 120 s).
      { key: certificates.key, cert: `${pem(certificates.cert)}${pem(certificates.caCert)}`, handshakeTimeout: timeouts.headersTimeoutMs },
      (request, response) => {
        // Thrown in a request listener, an exception would end the process: it ends this request only.
        try {
          const refusal = this.guard.refusal(request);
          if (refusal) reply(response, refusal.status, { message: refusal.message }, false);
          else answer(request, response);
        } catch {
          try {
            if (response.headersSent) response.destroy();
            else response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end('{"message":"internal error"}');
          } catch {
            response.destroy();
          }
        }
      },
    );
    applyServerTimeouts(server, timeouts);
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolveListen();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.ca = pem(certificates.caCert);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolveClose) => {
      server.close(() => resolveClose());
      server.closeAllConnections();
    });
  }
}

/** PEM blocks end with a newline, so that they can be concatenated into a chain. */
function pem(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function answer(request: IncomingMessage, response: ServerResponse): void {
  const path = pathOf(request.url ?? '/');
  const match = path === undefined ? null : /^\/todos(?:\/(\d+))?$/.exec(path);
  let status = path === undefined ? 400 : 404;
  let body: unknown = path === undefined ? { message: `${preview(request.url ?? '', 160)} is not a valid request target` } : {};
  if ((request.method === 'GET' || request.method === 'HEAD') && match) {
    const id = match[1];
    const todo = id === undefined ? TODOS : TODOS.find((candidate) => candidate.id === Number(id));
    if (todo !== undefined) {
      status = 200;
      body = todo;
    }
  }
  reply(response, status, body, request.method === 'HEAD');
}

function reply(response: ServerResponse, status: number, body: unknown, head: boolean): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'x-content-type-options': 'nosniff' });
  response.end(head ? undefined : text);
}

/**
 * node:http passes on absolute-form targets (`GET https://[bad/`) that need not parse as a URL; this
 * runs in the request listener, so a throw would be an uncaught exception.
 */
function pathOf(target: string): string | undefined {
  try {
    return new URL(target, 'https://target.local').pathname.replace(/\/$/, '');
  } catch {
    return undefined;
  }
}
