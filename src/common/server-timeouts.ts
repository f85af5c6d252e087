/**
 * The time limits every HTTP listener of ours puts on its clients, so that no request can hold a
 * connection (and what the handler keeps for it) forever: a head that never ends, a body whose
 * declared length never arrives, a body that stops half way. Node answers the first two with 408
 * (or closes when an answer has begun); a stalled body is answered 408 here. Imports nothing of ours.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';

export interface ServerTimeouts {
  /** The request line and headers must have arrived this long after the request's first byte. */
  readonly headersTimeoutMs: number;
  /** The whole request, body included, must have arrived this long after its first byte. */
  readonly requestTimeoutMs: number;
  /** A body that stops arriving for this long is answered 408 and its connection closed. */
  readonly bodyIdleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (the AWS SDKs reuse theirs between calls). */
  readonly keepAliveTimeoutMs: number;
}

/** Generous for any client on this machine (a 16 MiB DynamoDB batch arrives in milliseconds). */
export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  bodyIdleTimeoutMs: 10_000,
  keepAliveTimeoutMs: 65_000,
};

type AnyHttpServer = HttpServer | HttpsServer;

const REQUEST_TIMEOUT_ANSWER = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';
const CONNECT_ANSWER = 'HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/** Applies the timeouts to a server made by createServer, before it listens. */
export function applyServerTimeouts(server: AnyHttpServer, timeouts: ServerTimeouts = DEFAULT_SERVER_TIMEOUTS): void {
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  // Node checks the head and request deadlines on this interval (30 s by default), read at listen().
  (server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval = checkIntervalMs(timeouts);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => watchBody(request, response, timeouts.bodyIdleTimeoutMs));
  // With no listener node drops a CONNECT without a word; we proxy nothing, and say so.
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end(CONNECT_ANSWER);
  });
}

function checkIntervalMs(timeouts: ServerTimeouts): number {
  const shortest = Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs, timeouts.bodyIdleTimeoutMs);
  return Math.max(5, Math.min(1000, Math.floor(shortest / 4)));
}

/**
 * Answers 408 when the request's body stops arriving for `idleMs`. It watches the socket's byte
 * count rather than the body's data events, so that it never takes the body from the handler.
 */
function watchBody(request: IncomingMessage, response: ServerResponse, idleMs: number): void {
  const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? '0') > 0;
  if (!hasBody) return;
  const socket = request.socket;
  let lastBytes = socket.bytesRead;
  let lastProgressMs = Date.now();
  const timer = setInterval(
    () => {
      if (request.complete || socket.destroyed) {
        clearInterval(timer);
        return;
      }
      const nowMs = Date.now();
      if (socket.bytesRead !== lastBytes) {
        lastBytes = socket.bytesRead;
        lastProgressMs = nowMs;
        return;
      }
      if (nowMs - lastProgressMs < idleMs) return;
      clearInterval(timer);
      if (!response.headersSent && socket.writable) socket.end(REQUEST_TIMEOUT_ANSWER);
      socket.destroySoon();
    },
    Math.max(5, Math.floor(idleMs / 4)),
  );
  timer.unref();
  request.once('close', () => clearInterval(timer));
}
