/**
 * An HTTP listener bound before what serves it is wired. The composition root binds it first, so
 * the endpoint's URL is known (and its port held, with no bind-close-bind race) while the services,
 * the Lambda functions' environments and the model's queue URLs are built on it; requests that
 * arrive before `serve` wait for it, as they would in the socket's backlog.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Waiting = readonly [IncomingMessage, ServerResponse];

export class BoundListener {
  private handler: RequestListener | undefined;
  private waiting: Waiting[] = [];
  private closed = false;

  private constructor(readonly server: Server, readonly host: string) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (this.handler) this.handler(request, response);
      else if (this.closed) response.destroy();
      else this.waiting.push([request, response]);
    });
  }

  /** Binds host:port (0 picks a free port); rejects when the port is taken. */
  static async bind(host: string, port: number): Promise<BoundListener> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new BoundListener(server, host);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://<host>:<port>`. */
  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** Hands every request, those already waiting first, to `handler`. */
  serve(handler: RequestListener): void {
    if (this.handler) throw new Error('the listener is already served');
    this.handler = handler;
    for (const [request, response] of this.waiting.splice(0)) handler(request, response);
  }

  /** Refuses what still waits and closes the socket; a no-op once closed (by its server's owner too). */
  async close(): Promise<void> {
    this.closed = true;
    for (const [, response] of this.waiting.splice(0)) response.destroy();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
