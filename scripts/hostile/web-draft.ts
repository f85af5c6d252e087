/**
 * Hostile requests for a web listener (the gateway's stage, the HTTPS target): hostile paths,
 * query strings, headers, methods and bodies, in the same classes as the JSON listeners'.
 */
import type { Fuzz } from '../../test/support/fuzz.ts';
import { deepNesting, extremeNumber } from '../../test/support/hostile-values.ts';
import { malformedRequest } from '../../test/support/raw-requests.ts';
import { WHOLE } from './cases.ts';
import { CLASS_SHARES, draftJsonCase, pickShare, type Draft } from './draft.ts';
import type { HttpRequestSpec } from './http-bytes.ts';

const HOSTILE_SEGMENTS = [
  '%zz', '%00', '..', '%2e%2e', '%2f', '{proxy+}', '$context.path', '#set($x=1)$x', '${jndi:ldap://x}', "'\"<>", '%ff%fe', '%ed%a0%80', '%c0%af',
  'a'.repeat(8000), 'a/'.repeat(2000), '%u0000', ';', '\\', '~', '%F0%9F%98%80', 'con', 'index.html', '.', '%20', '+', '%2B', '@', '|',
];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'CONNECT', 'get', 'X-CUSTOM'];
const TRACE_HEADERS = [
  'Root=1-zzzzzzzz-zzzzzzzzzzzzzzzzzzzzzzzz;Parent=53995c3f42cd8ad8;Sampled=1', 'Root=;Parent=;Sampled=', 'Sampled=1e400', ';;;;', 'Root=1-67891233-abcdef012345678912345678;Parent=x;Sampled=2',
  `Root=1-67891233-abcdef012345678912345678;${'k=v;'.repeat(2000)}`, 'Root=1-ffffffff-ffffffffffffffffffffffff;Parent=ffffffffffffffff;Sampled=1', 'Self=1-5e1b4151-3b3d2e1a2c3f4d5e6f7a8b9c;Root=1-0-0',
];

export interface WebTarget {
  readonly host: string;
  /** A path every request starts under (`/prod`), and one that answers 200 (`/prod/hello`). */
  readonly base: string;
  readonly validPath: string;
}

export function draftWebCase(fuzz: Fuzz, to: WebTarget): Draft {
  const inputClass = pickShare(fuzz, CLASS_SHARES);
  const hostilePath = (): string => `${to.base}/${Array.from({ length: 1 + fuzz.int(3) }, () => fuzz.pick(HOSTILE_SEGMENTS)).join('/')}`;
  const spec = (extra: Partial<HttpRequestSpec>): HttpRequestSpec => ({ method: 'GET', target: to.validPath, host: to.host, ...extra });
  const draft = (label: string, extra: Partial<HttpRequestSpec>): Draft => ({ inputClass, label, spec: spec(extra), delivery: WHOLE });
  switch (inputClass) {
    case 'hostile-target':
    case 'wrong-value': {
      const method = fuzz.pick(METHODS);
      const target = fuzz.chance(0.7) ? hostilePath() : `${to.validPath}?${fuzz.pick(['%zz', 'a=%ff', 'a[b][c]=1', '=&=&', `a=${'b'.repeat(8000)}`, 'callback=<script>', 'x=1&x=2&x=3'])}`;
      const headers: Array<readonly [string, string]> = fuzz.chance(0.5) ? [] : [[fuzz.pick(['X-Amzn-Trace-Id', 'Accept', 'Content-Type', 'Origin', 'Cookie', 'Range', 'If-None-Match']), fuzz.pick([...TRACE_HEADERS, '*/*;q=x', 'text/html,application/xml;q=0.9', '\u00ff', 'bytes=0-1,2-3,' + '4-5,'.repeat(500)])]];
      return draft(`${method} ${JSON.stringify(target.slice(0, 40))}${headers.length > 0 ? ` ${headers[0]?.[0]}: ${JSON.stringify(headers[0]?.[1].slice(0, 30))}` : ''}`, { method, target, headers });
    }
    case 'huge-count':
      return fuzz.pick([
        () => draft('10,000 query parameters', { target: `${to.validPath}?${Array.from({ length: 10_000 }, (_, i) => `p${i}=${i}`).join('&')}` }),
        () => draft('1,900 headers', { headers: Array.from({ length: 1900 }, (_, i) => [`X-H${i}`, String(i)] as const) }),
        () => draft('a body of 10,000 members', { headers: [['Content-Type', 'application/json']], body: `{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',')}}` }),
        () => draft('a path of 4,000 segments', { target: `${to.base}/${'x/'.repeat(4000)}` }),
      ])();
    case 'extreme-number': {
      const value = extremeNumber(fuzz).text;
      return fuzz.pick([
        () => draft(`query limit=${value}`, { target: `${to.validPath}?limit=${value}&page=${value}` }),
        () => draft(`trace header Root time ${value}`, { headers: [['X-Amzn-Trace-Id', `Root=1-${value}-abcdef012345678912345678;Sampled=1`]] }),
        () => draft(`body number ${value}`, { headers: [['Content-Type', 'application/json']], body: `{"n":${value}}` }),
        () => draft(`path number ${value}`, { target: `${to.base}/${value}` }),
      ])();
    }
    case 'deep-nesting': {
      const deep = deepNesting(fuzz).text;
      return fuzz.pick([
        () => draft(`JSON body nested (${deep.length} chars)`, { method: fuzz.pick(['GET', 'POST']), headers: [['Content-Type', 'application/json']], body: deep }),
        () => draft(`query value nested (${deep.length} chars)`, { target: `${to.validPath}?q=${encodeURIComponent(deep.slice(0, 6000))}` }),
        () => draft(`header value nested (${Math.min(deep.length, 8000)} chars)`, { headers: [['X-Deep', deep.slice(0, 8000)]] }),
      ])();
    }
    case 'bad-utf8':
      return { inputClass, label: 'bad UTF-8 in the path', raw: Buffer.concat([Buffer.from(`GET ${to.base}/`), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from(` HTTP/1.1\r\nHost: ${to.host}\r\nConnection: close\r\n\r\n`)]), delivery: WHOLE };
    case 'malformed-http': {
      const raw = malformedRequest(fuzz, to.host, to.validPath, Buffer.from('{}'));
      return { inputClass, label: raw.label, raw: raw.bytes, delivery: raw.incomplete === true ? { kind: 'stall', withholdBytes: 0 } : WHOLE };
    }
    case 'content-type': {
      const type = fuzz.pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '*/*', 'application/vnd.evil+json']);
      return draft(`GET with a ${JSON.stringify(type)} body`, { headers: [['Content-Type', type]], body: fuzz.pick(['{"a":1}', '<a/>', 'a=1&b=%zz', '--x\r\n\r\n--x--', '']) });
    }
    default:
      return draftJsonCase(fuzz, { host: to.host, method: 'GET', target: to.validPath, contentType: 'application/json', valid: { message: 'hello' } }, inputClass);
  }
}
