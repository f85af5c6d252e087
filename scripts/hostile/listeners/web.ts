/** The gateway's stage (HTTP) and the HTTPS target (TLS, self-signed): hostile paths, queries, headers, methods and bodies. */
import type { Fuzz } from '../../../test/support/fuzz.ts';
import type { HostileCase } from '../cases.ts';
import { WHOLE } from '../cases.ts';
import { check, exchange, shown, streamCase, type Listener } from '../listener.ts';
import type { Address } from '../send.ts';
import { draftWebCase } from '../web-draft.ts';

export function gatewayListener(options: { url: string; timeoutMs: number }): Listener {
  const url = new URL(options.url);
  const address: Address = { host: url.hostname, port: Number(url.port) };
  const base = url.pathname.replace(/\/$/, '');
  const validPath = `${base}/hello`;
  return {
    name: 'gateway',
    where: `${url.origin}${base}`,
    address,
    caseAt: (fuzz: Fuzz): HostileCase => streamCase(draftWebCase(fuzz, { host: url.host, base, validPath }), 'tcp'),
    liveness: () => check('gateway', async () => {
      const hello = await exchange(`${url.origin}${validPath}`, { timeoutMs: options.timeoutMs });
      return { ok: hello.status === 200 && hello.body.includes('"message"'), detail: `GET ${validPath}: ${shown(hello)}` };
    }),
  };
}

export function httpsTargetListener(options: { url: string; timeoutMs: number }): Listener {
  const url = new URL(options.url);
  const address: Address = { host: url.hostname, port: Number(url.port) };
  const validPath = url.pathname === '/' ? '/todos/1' : url.pathname;
  return {
    name: 'https-target',
    where: `${url.origin}${validPath}`,
    address,
    caseAt(fuzz: Fuzz): HostileCase {
      // Some bytes arrive before any TLS handshake: plain HTTP or random bytes on the TLS port.
      if (fuzz.chance(0.03)) {
        const plain = fuzz.chance(0.5);
        return {
          transport: 'tcp', inputClass: plain ? 'malformed-http' : 'random-bytes', delivery: WHOLE,
          label: plain ? 'plain HTTP on the TLS port' : 'random bytes instead of a TLS handshake',
          bytes: plain ? Buffer.from(`GET ${validPath} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`) : fuzz.bytes(1 + fuzz.int(500)),
        };
      }
      return streamCase(draftWebCase(fuzz, { host: url.host, base: '/todos', validPath }), 'tls');
    },
    liveness: () => check('HTTPS target', async () => {
      const todo = await exchange(`${url.origin}${validPath}`, { timeoutMs: options.timeoutMs });
      return { ok: todo.status === 200 && todo.body.includes('"userId"'), detail: `GET ${validPath}: ${shown(todo)}` };
    }),
  };
}
