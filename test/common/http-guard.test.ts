import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkRequest, HttpGuard, hostnameOf } from '../../src/common/http-guard.ts';
import type { HttpGuardPolicy, RefusalKind } from '../../src/common/http-guard.ts';

const HTTP = { port: 2001, secure: false };
const HTTPS = { port: 8443, secure: true };
const JSON_API: HttpGuardPolicy = { jsonBodies: true };

interface Case {
  readonly name: string;
  readonly method?: string;
  readonly headers: IncomingHttpHeaders;
  readonly listener?: { port: number; secure: boolean; localAddress?: string };
  readonly policy?: HttpGuardPolicy;
  /** The refusal's kind, or undefined when the request passes. */
  readonly refused: RefusalKind | undefined;
}

const CASES: Case[] = [
  // Host: loopback names and addresses, the address the connection arrived on, and allowed names only.
  { name: 'the SDK: 127.0.0.1 with a port', headers: { host: '127.0.0.1:2001' }, refused: undefined },
  { name: 'localhost', headers: { host: 'localhost:2001' }, refused: undefined },
  { name: 'LOCALHOST, upper case', headers: { host: 'LOCALHOST:2001' }, refused: undefined },
  { name: 'localhost. (trailing dot)', headers: { host: 'localhost.:2001' }, refused: undefined },
  { name: 'a *.localhost name', headers: { host: 'console.localhost:2001' }, refused: undefined },
  { name: '[::1]', headers: { host: '[::1]:2001' }, refused: undefined },
  { name: 'the LAN address the connection arrived on (bound to 0.0.0.0)', headers: { host: '192.168.1.5:2001' }, listener: { ...HTTP, localAddress: '192.168.1.5' }, refused: undefined },
  { name: 'the same, arrived on an IPv4-mapped socket address', headers: { host: '192.168.1.5:2001' }, listener: { ...HTTP, localAddress: '::ffff:192.168.1.5' }, refused: undefined },
  { name: 'an IPv6 address the connection arrived on', headers: { host: '[fd00::5]:2001' }, listener: { ...HTTP, localAddress: 'fd00::5' }, refused: undefined },
  { name: 'another address than the one the connection arrived on', headers: { host: '192.168.1.5:2001' }, listener: { ...HTTP, localAddress: '127.0.0.1' }, refused: 'host' },
  { name: 'a private address sent to a loopback listener', headers: { host: '10.0.0.1:2001' }, refused: 'host' },
  { name: 'a public address', headers: { host: '8.8.8.8' }, refused: 'host' },
  { name: 'another loopback address', headers: { host: '127.1.2.3:2001' }, refused: undefined },
  { name: '0.0.0.0 (this machine)', headers: { host: '0.0.0.0:2001' }, refused: undefined },
  { name: '::1 written in full', headers: { host: '[0:0:0:0:0:0:0:1]:2001' }, refused: undefined },
  { name: 'an IPv4-mapped loopback', headers: { host: '[::ffff:127.0.0.1]:2001' }, refused: undefined },
  { name: 'an IPv4-mapped private address', headers: { host: '[::ffff:10.0.0.1]:2001' }, refused: 'host' },
  { name: 'a bracketed IPv4 address', headers: { host: '[127.0.0.1]:2001' }, refused: 'host' },
  { name: 'no port', headers: { host: '127.0.0.1' }, refused: undefined },
  { name: 'no Host (HTTP/1.0)', headers: {}, refused: undefined },
  { name: 'a rebinding name', headers: { host: 'evil.test:2001' }, refused: 'host' },
  { name: 'a name ending in localhost but not a subdomain', headers: { host: 'evillocalhost:2001' }, refused: 'host' },
  { name: 'localhost as a subdomain of another name', headers: { host: 'localhost.evil.test' }, refused: 'host' },
  { name: 'a public name that resolves to 127.0.0.1', headers: { host: '127.0.0.1.nip.io:2001' }, refused: 'host' },
  { name: 'a rebinding name with a trailing dot', headers: { host: 'evil.test.:2001' }, refused: 'host' },
  { name: 'an empty Host', headers: { host: '' }, refused: 'host' },
  { name: 'a malformed Host', headers: { host: '[::1' }, refused: 'host' },
  { name: 'an unbracketed IPv6 Host', headers: { host: '::1:2001' }, refused: 'host' },
  { name: 'an allowed name', headers: { host: 'devbox.lan:2001' }, policy: { allowedHosts: ['devbox.lan'] }, refused: undefined },
  { name: 'an allowed name in other case', headers: { host: 'DevBox.Lan' }, policy: { allowedHosts: ['devbox.LAN'] }, refused: undefined },
  { name: 'a subdomain of an allowed dotted name', headers: { host: 'a.devbox.lan' }, policy: { allowedHosts: ['.devbox.lan'] }, refused: undefined },
  { name: 'a subdomain of an allowed exact name', headers: { host: 'a.devbox.lan' }, policy: { allowedHosts: ['devbox.lan'] }, refused: 'host' },
  // Origin: this listener's own origin only.
  { name: 'the console: its own origin', method: 'POST', headers: { host: '127.0.0.1:2001', origin: 'http://127.0.0.1:2001' }, refused: undefined },
  { name: 'the console opened as localhost', method: 'POST', headers: { host: 'localhost:2001', origin: 'http://localhost:2001' }, refused: undefined },
  { name: 'the console opened as [::1]', method: 'POST', headers: { host: '[::1]:2001', origin: 'http://[::1]:2001' }, refused: undefined },
  { name: 'another local port', method: 'POST', headers: { host: '127.0.0.1:2001', origin: 'http://127.0.0.1:5173' }, refused: 'origin' },
  { name: 'another site', method: 'POST', headers: { host: '127.0.0.1:2001', origin: 'https://evil.test' }, refused: 'origin' },
  { name: 'the rebinding name on our port', method: 'POST', headers: { host: '127.0.0.1:2001', origin: 'http://evil.test:2001' }, refused: 'origin' },
  { name: 'Origin null (sandboxed frame, file:)', method: 'POST', headers: { host: '127.0.0.1:2001', origin: 'null' }, refused: 'origin' },
  { name: 'https origin on an http listener', method: 'POST', headers: { host: '127.0.0.1:2001', origin: 'https://127.0.0.1:2001' }, refused: 'origin' },
  { name: 'the default port when the listener is elsewhere', method: 'POST', headers: { host: '127.0.0.1:2001', origin: 'http://127.0.0.1' }, refused: 'origin' },
  { name: 'a console reached through a port forward (localhost:9000 -> 2001)', method: 'POST', headers: { host: 'localhost:9000', origin: 'http://localhost:9000' }, refused: undefined },
  { name: 'an origin on the listener\'s port when the request went to another', method: 'POST', headers: { host: 'localhost:9000', origin: 'http://localhost:2001' }, refused: 'origin' },
  { name: 'no Host: the listener\'s own port', method: 'POST', headers: { origin: 'http://127.0.0.1:2001' }, refused: undefined },
  { name: 'no Host and another port', method: 'POST', headers: { origin: 'http://127.0.0.1:2002' }, refused: 'origin' },
  { name: 'Host without a port: port 80', method: 'POST', headers: { host: 'localhost', origin: 'http://localhost' }, refused: undefined },
  { name: 'an https listener\'s own origin', headers: { host: '127.0.0.1:8443', origin: 'https://127.0.0.1:8443' }, listener: HTTPS, refused: undefined },
  { name: 'an allowed name\'s origin', method: 'POST', headers: { host: 'devbox.lan:2001', origin: 'http://devbox.lan:2001' }, policy: { allowedHosts: ['devbox.lan'] }, refused: undefined },
  // Sec-Fetch-Site: same-origin and none (typed in the address bar) only.
  { name: 'Sec-Fetch-Site same-origin', headers: { host: '127.0.0.1:2001', 'sec-fetch-site': 'same-origin' }, refused: undefined },
  { name: 'Sec-Fetch-Site none', headers: { host: '127.0.0.1:2001', 'sec-fetch-site': 'none' }, refused: undefined },
  { name: 'Sec-Fetch-Site cross-site (no-cors GET)', headers: { host: '127.0.0.1:2001', 'sec-fetch-site': 'cross-site' }, refused: 'fetch-site' },
  { name: 'Sec-Fetch-Site same-site (another localhost port)', headers: { host: '127.0.0.1:2001', 'sec-fetch-site': 'same-site' }, refused: 'fetch-site' },
  {
    name: 'a link from another site to the console',
    headers: { host: '127.0.0.1:2001', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
    policy: { allowNavigation: true },
    refused: undefined,
  },
  {
    name: 'a link from another site where navigation is not allowed (the gateway)',
    headers: { host: '127.0.0.1:3000', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
    refused: 'fetch-site',
  },
  {
    name: 'a cross-site iframe of the console',
    headers: { host: '127.0.0.1:2001', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' },
    policy: { allowNavigation: true },
    refused: 'fetch-site',
  },
  {
    name: 'a cross-site form POST navigation',
    method: 'POST',
    headers: { host: '127.0.0.1:2001', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
    policy: { allowNavigation: true },
    refused: 'fetch-site',
  },
  // Preflights are never allowed.
  { name: 'a CORS preflight', method: 'OPTIONS', headers: { host: '127.0.0.1:2001', origin: 'https://evil.test', 'access-control-request-method': 'POST' }, refused: 'preflight' },
  { name: 'a Private Network Access preflight', method: 'OPTIONS', headers: { host: '127.0.0.1:2001', 'access-control-request-method': 'GET', 'access-control-request-private-network': 'true' }, refused: 'preflight' },
  { name: 'OPTIONS without preflight headers', method: 'OPTIONS', headers: { host: '127.0.0.1:2001' }, refused: undefined },
  // Content types where JSON is read.
  { name: 'application/json', method: 'POST', headers: { host: '127.0.0.1:2001', 'content-type': 'application/json' }, policy: JSON_API, refused: undefined },
  { name: 'application/x-protobuf (OTLP)', method: 'POST', headers: { host: '127.0.0.1:4318', 'content-type': 'application/x-protobuf' }, policy: JSON_API, refused: undefined },
  { name: 'no content type (a body-less SDK call)', method: 'POST', headers: { host: '127.0.0.1:2001' }, policy: JSON_API, refused: undefined },
  { name: 'text/plain', method: 'POST', headers: { host: '127.0.0.1:2001', 'content-type': 'text/plain;charset=UTF-8' }, policy: JSON_API, refused: 'content-type' },
  { name: 'TEXT/PLAIN with spaces', method: 'POST', headers: { host: '127.0.0.1:2001', 'content-type': ' TEXT/PLAIN ' }, policy: JSON_API, refused: 'content-type' },
  { name: 'a form', method: 'POST', headers: { host: '127.0.0.1:2001', 'content-type': 'application/x-www-form-urlencoded' }, policy: JSON_API, refused: 'content-type' },
  { name: 'multipart', method: 'POST', headers: { host: '127.0.0.1:2001', 'content-type': 'multipart/form-data; boundary=x' }, policy: JSON_API, refused: 'content-type' },
  { name: 'a form where forms are the protocol (SNS)', method: 'POST', headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-www-form-urlencoded' }, refused: undefined },
  { name: 'a GET of a page with text/plain', method: 'GET', headers: { host: '127.0.0.1:2001', 'content-type': 'text/plain' }, policy: JSON_API, refused: undefined },
];

describe('checkRequest', () => {
  for (const testCase of CASES) {
    it(`${testCase.refused === undefined ? 'passes' : `refuses (${testCase.refused})`}: ${testCase.name}`, () => {
      const refusal = checkRequest(testCase.method ?? 'GET', testCase.headers, testCase.listener ?? HTTP, testCase.policy);
      expect(refusal?.kind).toBe(testCase.refused);
    });
  }

  it('answers 415 for a content type and 403 for the rest', () => {
    expect(checkRequest('POST', { host: 'localhost', 'content-type': 'text/plain' }, HTTP, JSON_API)?.status).toBe(415);
    expect(checkRequest('GET', { host: 'evil.test' }, HTTP)?.status).toBe(403);
  });

  it('names the flag for a refused Host and quotes the value bounded', () => {
    const message = checkRequest('GET', { host: `${'a'.repeat(5000)}.test` }, HTTP)?.message ?? '';
    expect(message).toContain('--allowed-host');
    expect(message.length).toBeLessThan(400);
  });
});

describe('hostnameOf', () => {
  it.each([
    ['127.0.0.1:2001', '127.0.0.1'],
    ['[::1]:2001', '[::1]'],
    ['Example.TEST.', 'example.test'],
    ['a:b:c', undefined],
    [':2001', undefined],
  ])('%s -> %s', (host, expected) => expect(hostnameOf(host)).toBe(expected));
});

describe('HttpGuard', () => {
  function request(headers: IncomingHttpHeaders, method = 'GET'): IncomingMessage {
    return { method, headers, socket: { localPort: 2001 }, resume: () => undefined } as unknown as IncomingMessage;
  }

  it('takes the port from the socket when there is no Host', () => {
    const guard = new HttpGuard({ name: 'xray api', warn: () => undefined });
    expect(guard.refusal(request({ origin: 'http://127.0.0.1:2001' }, 'POST'))).toBeUndefined();
    expect(guard.refusal(request({ origin: 'http://127.0.0.1:2002' }, 'POST'))?.kind).toBe('origin');
  });

  it('logs the first refusal of a kind at once, then one line a kind an interval counting the rest', () => {
    const lines: string[] = [];
    let nowMs = 0;
    const guard = new HttpGuard({ name: 'xray api', warn: (line) => lines.push(line), nowMs: () => nowMs, logIntervalMs: 1000 });
    guard.refusal(request({ host: 'evil.test' }));
    guard.refusal(request({ host: 'evil.test' }));
    guard.refusal(request({ host: '127.0.0.1:2001', origin: 'null' }, 'POST'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^xray api: refused a request: Host "evil.test" .*--allowed-host/);
    expect(lines[1]).toMatch(/Origin "null"/);
    nowMs = 999;
    guard.refusal(request({ host: 'evil.test' }));
    expect(lines).toHaveLength(2);
    nowMs = 1000;
    guard.refusal(request({ host: 'evil.test' }));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('and 2 more of this kind');
  });
});
