/**
 * Seeded malformed HTTP/1.1 requests at the byte level (request lines, headers, framing), for the
 * listeners' hostile-input suites: the same seed gives the same requests, so a failure names a
 * case that can be replayed.
 */
import type { Fuzz } from './fuzz.ts';

export interface MalformedRequest {
  readonly label: string;
  readonly raw: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'BREW', 'G ET', '', 'POST\u0000'];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', 'HTTP/1', 'http/1.1', ''];
const TARGETS = ['/', '/prod/', '/a b', '//', '/%', '/%zz', '*', 'http://[bad/', '/\u00e9', `/${'a'.repeat(9000)}`, '/?a=%ff&b'];

/** One malformed request built around `path` (a path the listener serves). */
export function malformedRequest(fuzz: Fuzz, path: string): MalformedRequest {
  const body = '{"a":1}';
  const base = (headers: string, content = body): string =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${headers}\r\n${content}`;
  const kinds: Array<() => MalformedRequest> = [
    () => {
      const line = `${fuzz.pick(METHODS)} ${fuzz.pick([path, ...TARGETS])} ${fuzz.pick(VERSIONS)}`;
      return { label: `request line ${JSON.stringify(line.slice(0, 60))}`, raw: `${line}\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n` };
    },
    () => {
      const header = fuzz.pick(['Bad Header: x', ': empty name', 'X-A:\u0000b', 'X-Fold: a\r\n b', 'NoColon', `X-Huge: ${'h'.repeat(20_000 + fuzz.int(50_000))}`, 'Host: a\r\nHost: b']);
      return { label: `header ${JSON.stringify(header.slice(0, 40))}`, raw: base(`Content-Length: ${body.length}\r\n${header}\r\n`) };
    },
    () => {
      const declared = fuzz.pick(['-1', '1e3', '0x10', ' 7', '7, 8', '99999999999999999999', String(body.length + 1 + fuzz.int(100)), String(fuzz.int(body.length))]);
      return { label: `Content-Length ${JSON.stringify(declared)}`, raw: base(`Content-Length: ${declared}\r\n`) };
    },
    () => {
      const chunks = fuzz.pick(['zz\r\nabc\r\n0\r\n\r\n', '5\r\nab', '3\r\nabcdef\r\n0\r\n\r\n', `${'f'.repeat(20)}\r\nab\r\n`, '3;ext=' + 'e'.repeat(20_000) + '\r\nabc\r\n0\r\n\r\n', '0\r\nTrailer: x']);
      const encoding = fuzz.pick(['chunked', 'gzip, chunked', 'chunked, chunked', 'identity', 'chunked\r\nContent-Length: 3']);
      return { label: `chunked ${JSON.stringify(encoding)} ${JSON.stringify(chunks.slice(0, 20))}`, raw: base(`Transfer-Encoding: ${encoding}\r\n`, chunks) };
    },
    () => {
      const valid = base(`Content-Length: ${body.length}\r\n`);
      const at = fuzz.int(valid.length);
      return { label: `cut at byte ${at}`, raw: valid.slice(0, at) };
    },
    () => {
      const valid = base(`Content-Length: ${body.length}\r\n`);
      const at = fuzz.int(valid.length);
      const byte = String.fromCharCode(fuzz.int(256));
      return { label: `byte ${at} replaced by ${byte.charCodeAt(0)}`, raw: `${valid.slice(0, at)}${byte}${valid.slice(at + 1)}` };
    },
    () => ({ label: 'CONNECT', raw: 'CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n' }),
    () => ({ label: 'garbage after a request', raw: `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${fuzz.text(20)}\r\n\r\n` }),
  ];
  return fuzz.pick(kinds)();
}
