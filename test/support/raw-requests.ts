/**
 * Seeded malformed HTTP/1.1 requests as raw bytes, for what node:http would refuse to send: bad
 * request lines, absolute-form targets that are not URLs, broken or conflicting headers, lying
 * lengths. Shared by the endpoints' fuzz suites and the hostile-input harness.
 */
import type { Fuzz } from './fuzz.ts';

export interface RawHttpRequest {
  readonly bytes: Buffer;
  readonly label: string;
  /** The request declares more body than it sends (a chunk size past the bytes): only the server's own timeout ends it. */
  readonly incomplete?: boolean;
}

/** Targets node:http hands on that `new URL` cannot read, and other hostile request targets. */
export const BAD_TARGETS: readonly string[] = [
  'http://[bad/x', 'http://host:99999/x', 'http://%/x', '*', '//', '/%zz', '/%00', '/..%2f..%2fetc%2fpasswd', '/a?%', '/\u00e9',
  `/${'a'.repeat(8000)}`, `/?${'q=1&'.repeat(3000)}`, 'x', '/a#frag', '/%ed%a0%80', '/%c0%af',
];

/** One malformed request for `path` on `host`: the head is broken, the body (if any) is `body`. */
export function malformedRequest(fuzz: Fuzz, host: string, path: string, body: Buffer = Buffer.from('{}')): RawHttpRequest {
  const ok = (method: string, target: string, headers: readonly string[], payload = body): Buffer =>
    Buffer.concat([Buffer.from(`${method} ${target} HTTP/1.1\r\n${headers.map((line) => `${line}\r\n`).join('')}\r\n`, 'latin1'), payload]);
  const base = [`Host: ${host}`, 'Content-Type: application/json', `Content-Length: ${body.length}`, 'Connection: close'];
  const shapes: Array<() => RawHttpRequest> = [
    () => {
      const target = fuzz.pick(BAD_TARGETS);
      return { label: `target ${JSON.stringify(target.slice(0, 30))}`, bytes: ok('POST', target, base) };
    },
    () => {
      const method = fuzz.pick(['', 'G ET', 'GET\u0000', 'FOO', 'CONNECT', 'TRACE', 'PRI', 'get', 'M'.repeat(300)]);
      return { label: `method ${JSON.stringify(method.slice(0, 20))}`, bytes: ok(method, path, base) };
    },
    () => {
      const line = fuzz.pick([`POST ${path} HTTP/9.9`, `POST ${path} HTTP/1.1 extra`, `POST ${path}`, `POST  ${path} HTTP/1.1`, 'HTTP/1.1 200 OK', `POST ${path} HTTP/1.1\u0000`, '\r\n\r\n', `POST\t${path}\tHTTP/1.1`]);
      return { label: `request line ${JSON.stringify(line.slice(0, 30))}`, bytes: Buffer.concat([Buffer.from(`${line}\r\n${base.join('\r\n')}\r\n\r\n`, 'latin1'), body]) };
    },
    () => {
      const header = fuzz.pick([
        'X-Bad\u0000: 1', 'No-Colon', ': empty-name', 'X-A: b\rc', 'X-Fold: a\r\n folded', `X-Huge: ${'h'.repeat(70_000)}`, 'Host: a', 'Host:',
        'Content-Length: 2, 3', 'Content-Length: -1', 'Content-Length: abc', 'Content-Length: 99999999999999999999', 'Transfer-Encoding: chunked',
        'Transfer-Encoding: gzip, chunked', 'Expect: 100-continue', 'Expect: nonsense', 'Content-Type: \u00ff', `Authorization: ${'A'.repeat(20_000)}`,
        'X-Amzn-Trace-Id: Root=1-zzz;Parent=;Sampled=9', 'Origin: https://evil.example', 'Sec-Fetch-Site: cross-site',
      ]);
      return { label: `header ${JSON.stringify(header.slice(0, 30))}`, bytes: ok('POST', path, [...base, header]) };
    },
    () => ({ label: `${2000 + fuzz.int(1000)} headers`, bytes: ok('POST', path, [...base, ...Array.from({ length: 2000 + fuzz.int(1000) }, (_, i) => `X-H${i}: v`)]) }),
    () => ({ label: 'no Host', bytes: ok('POST', path, base.filter((line) => !line.startsWith('Host'))) }),
    () => {
      const chunks = fuzz.pick(['zz\r\n{}\r\n0\r\n\r\n', '2\r\n{}0\r\n\r\n', 'fffffffffffffff\r\n{}\r\n', '-1\r\n\r\n', '2;ext=\u0000\r\n{}\r\n0\r\n\r\n']);
      return {
        label: `bad chunked body ${JSON.stringify(chunks.slice(0, 20))}`, bytes: ok('POST', path, ['Host: a', 'Transfer-Encoding: chunked', 'Connection: close'], Buffer.from(chunks, 'latin1')),
        ...(chunks.startsWith('fff') ? { incomplete: true } : {}),
      };
    },
    () => ({ label: 'Content-Length and chunked', bytes: ok('POST', path, ['Host: a', `Content-Length: ${body.length}`, 'Transfer-Encoding: chunked', 'Connection: close']) }),
    () => ({ label: 'random bytes', bytes: fuzz.bytes(1 + fuzz.int(600)) }),
    () => ({ label: 'HTTP/2 preface', bytes: Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n') }),
    () => ({ label: 'HTTP/1.0 no headers', bytes: Buffer.from(`GET ${path} HTTP/1.0\r\n\r\n`) }),
    () => ({ label: 'bare LF', bytes: Buffer.from(`POST ${path} HTTP/1.1\n${base.join('\n')}\n\n{}`) }),
  ];
  return fuzz.pick(shapes)();
}
