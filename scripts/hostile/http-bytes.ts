/** HTTP/1.1 requests written as bytes, so the harness controls every header and every length. */

export interface HttpRequestSpec {
  readonly method: string;
  readonly target: string;
  readonly host: string;
  /** In order, as sent; names and values are not checked. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer | string;
  /** The Content-Length to declare instead of the body's, e.g. 1e12 for a body that never comes. */
  readonly declaredLength?: number | string;
}

export function httpRequestBytes(spec: HttpRequestSpec): Buffer {
  const body = spec.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body);
  const headers: Array<readonly [string, string]> = [['Host', spec.host], ...(spec.headers ?? [])];
  const hasLength = headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name));
  if (!hasLength && (spec.body !== undefined || spec.declaredLength !== undefined)) headers.push(['Content-Length', String(spec.declaredLength ?? body.length)]);
  headers.push(['Connection', 'close']);
  const head = `${spec.method} ${spec.target} HTTP/1.1\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), body]);
}
