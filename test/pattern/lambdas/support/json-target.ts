import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A small HTTP server answering every GET with a fixed body, remembering what it was asked. */
export interface JsonTarget {
  readonly url: string;
  readonly requests: { readonly path: string; readonly headers: IncomingHttpHeaders }[];
  respondWith(status: number, body: string): void;
  /** Leave the next requests unanswered (until close). */
  hang(): void;
  close(): Promise<void>;
}

export async function startJsonTarget(path: string, body: unknown): Promise<JsonTarget> {
  let status = 200;
  let payload = JSON.stringify(body);
  let hanging = false;
  const requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    if (hanging) return;
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    respondWith(nextStatus, nextBody) {
      status = nextStatus;
      payload = nextBody;
      hanging = false;
    },
    hang() {
      hanging = true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
