import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PlainAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * One request with exactly the headers given (a browser's Host, Origin or Sec-Fetch-Site, which
 * fetch will not send) and the body's Content-Length; `ca` trusts the HTTPS target's CA, whatever
 * name the Host header gives.
 */
export function sendPlain(url: string, method: string, headers: OutgoingHttpHeaders, body = '', ca?: string): Promise<PlainAnswer> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, headers: { 'content-length': Buffer.byteLength(body), ...headers }, ...(ca ? { ca, checkServerIdentity: () => undefined } : {}) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
