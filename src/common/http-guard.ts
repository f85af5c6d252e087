/**
 * The browser-facing guard every local listener runs first: localhost is not a trust boundary, any
 * page the user visits can send requests to 127.0.0.1. As well-kept dev servers do (vite's and
 * webpack-dev-server's `allowedHosts`, Chrome's Private Network Access), a request is refused when
 * - its Host is a name other than a loopback one or one the user allowed (DNS rebinding: a page of
 *   evil.test re-resolved to 127.0.0.1 is same-origin to itself and reads the answers);
 * - a browser says it comes from another origin (`Origin`, `Sec-Fetch-Site`), or it is a CORS preflight;
 * - the listener reads bodies as JSON and the content type is one a page may send cross-site
 *   without a preflight (`text/plain`, forms).
 * Non-browser clients (SDKs, CLIs, exporters) send none of these and pass. No listener answers CORS.
 * Imports nothing of ours: xray and cloud both use it.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export type RefusalKind = 'host' | 'preflight' | 'origin' | 'fetch-site' | 'content-type';

export interface HttpGuardPolicy {
  /**
   * Host names accepted besides loopback names and IP literals (`--allowed-host`); a leading dot
   * (`.example.test`) accepts the name and its subdomains.
   */
  readonly allowedHosts?: readonly string[];
  /** The listener reads request bodies as JSON: refuse the content types a page sends without a preflight. */
  readonly jsonBodies?: boolean;
  /** A link from another site may open pages here (top-level GET navigations): the console. */
  readonly allowNavigation?: boolean;
}

/** What the guard knows of the listener a request came in on. */
export interface ListenerIdentity {
  readonly port: number;
  readonly secure: boolean;
  /** The address the connection arrived on (`socket.localAddress`): a Host naming it is the client addressing us directly. */
  readonly localAddress?: string;
}

export interface Refusal {
  readonly kind: RefusalKind;
  /** 403, or 415 for a content type. */
  readonly status: number;
  /** For the client and the log: what was refused and why; quotes the untrusted value bounded. */
  readonly message: string;
}

/** The content types a cross-site page may POST with no preflight (the Fetch standard's CORS-safelisted ones). */
const NO_PREFLIGHT_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
const SAFE_FETCH_SITES = new Set(['same-origin', 'none']);
const SHOWN_CHARS = 100;

/** Decides one request from its method and headers; undefined lets it through. */
export function checkRequest(method: string, headers: IncomingHttpHeaders, listener: ListenerIdentity, policy: HttpGuardPolicy = {}): Refusal | undefined {
  const allowed = normalizedHosts(policy.allowedHosts, listener.localAddress);
  // No Host at all is an HTTP/1.0 client: not a browser, which always sends one.
  const host = headers.host;
  if (host !== undefined && !isAcceptedHost(hostnameOf(host), allowed)) {
    return {
      kind: 'host',
      status: 403,
      message: `Host ${shown(host)} is not a local name, so the request may come from a DNS-rebinding web page; ` +
        'loopback names and addresses (and the address the request was sent to) are accepted, others only when started with --allowed-host <name>',
    };
  }
  if (method === 'OPTIONS' && headers['access-control-request-method'] !== undefined) {
    return { kind: 'preflight', status: 403, message: 'cross-origin requests are not allowed: this local service answers no CORS preflight' };
  }
  const origin = headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, ownPort(host, listener), listener.secure, allowed)) {
    return {
      kind: 'origin',
      status: 403,
      message: `requests from web pages of other origins are refused (Origin ${shown(origin)}): a page must not drive local services`,
    };
  }
  const site = headerText(headers['sec-fetch-site']);
  if (site !== undefined && !SAFE_FETCH_SITES.has(site) && !(policy.allowNavigation === true && isNavigation(method, headers))) {
    return {
      kind: 'fetch-site',
      status: 403,
      message: `requests from web pages of other origins are refused (Sec-Fetch-Site ${shown(site)}): a page must not drive local services`,
    };
  }
  if (policy.jsonBodies === true && method !== 'GET' && method !== 'HEAD') {
    const type = mediaType(headers['content-type']);
    if (type !== undefined && NO_PREFLIGHT_TYPES.has(type)) {
      return {
        kind: 'content-type',
        status: 415,
        message: `content-type ${shown(type)} is refused: web pages send it cross-site without asking; send application/json`,
      };
    }
  }
  return undefined;
}

export interface HttpGuardOptions extends HttpGuardPolicy {
  /** The listener in log lines, e.g. "xray api". */
  readonly name: string;
  /** Where refusals are reported: the first of a kind at once, then at most one line a kind per `logIntervalMs`. */
  readonly warn: (message: string) => void;
  /** @default Date.now */
  readonly nowMs?: () => number;
  /** @default 60 000 */
  readonly logIntervalMs?: number;
}

/** `checkRequest` for a listener, reporting refusals so that a user who sees one knows why and what to change. */
export class HttpGuard {
  private readonly lastLoggedMs = new Map<RefusalKind, number>();
  private readonly unlogged = new Map<RefusalKind, number>();

  constructor(private readonly options: HttpGuardOptions) {}

  /**
   * The refusal to answer instead of serving the request, or undefined to serve it. A refused
   * request's body is discarded unread, so that closing the connection after the answer does not
   * reset it before the client has read the answer.
   */
  refusal(request: IncomingMessage): Refusal | undefined {
    const socket = request.socket as IncomingMessage['socket'] & { encrypted?: boolean };
    const listener = { port: socket.localPort ?? 0, secure: socket.encrypted === true, ...(socket.localAddress ? { localAddress: socket.localAddress } : {}) };
    const refusal = checkRequest(request.method ?? 'GET', request.headers, listener, this.options);
    if (refusal) {
      request.resume();
      this.report(refusal);
    }
    return refusal;
  }

  private report(refusal: Refusal): void {
    const nowMs = (this.options.nowMs ?? Date.now)();
    const last = this.lastLoggedMs.get(refusal.kind);
    if (last !== undefined && nowMs - last < (this.options.logIntervalMs ?? 60_000)) {
      this.unlogged.set(refusal.kind, (this.unlogged.get(refusal.kind) ?? 0) + 1);
      return;
    }
    const more = this.unlogged.get(refusal.kind) ?? 0;
    this.lastLoggedMs.set(refusal.kind, nowMs);
    this.unlogged.delete(refusal.kind);
    const since = more > 0 ? ` (and ${more} more of this kind since the last such line)` : '';
    this.options.warn(`${this.options.name}: refused a request${since}: ${refusal.message}`);
  }
}

/** Lower case, without a port, brackets kept on IPv6 literals, a trailing dot dropped; undefined when malformed. */
export function hostnameOf(host: string): string | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*)(?::\d*)?$/.exec(host.trim());
  const name = match?.[1];
  if (name === undefined || name === '') return undefined;
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * Loopback names and addresses, the unspecified address (this machine), and the allowed names,
 * which include the address the connection arrived on (a client that names it addressed this
 * listener directly, e.g. by its LAN address with `--host 0.0.0.0`). Any other address is refused
 * too: only loopback Host values are expected of a local service.
 */
function isAcceptedHost(name: string | undefined, allowed: readonly string[]): boolean {
  if (name === undefined) return false;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const address = name.startsWith('[') ? name.slice(1, -1) : name;
  const family = isIP(address);
  // An IPv6 literal must be bracketed in a Host; an IPv4 one must not.
  if (family !== 0 && (family === 6) !== name.startsWith('[')) return false;
  if (family !== 0 && isLocalAddress(address)) return true;
  return allowed.some((entry) => (entry.startsWith('.') ? name === entry.slice(1) || name.endsWith(entry) : name === entry));
}

/** 127.0.0.0/8, ::1, their IPv4-mapped forms, and the unspecified addresses (which reach this machine). */
function isLocalAddress(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith('127.') || address === '0.0.0.0';
  // The URL parser writes an IPv6 address in its one canonical form (`0:0::1` is `::1`, a mapped
  // `::ffff:127.0.0.1` is `::ffff:7f00:1`).
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  return canonical === '::1' || canonical === '::' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(canonical) || canonical === '::ffff:0:0';
}

/**
 * The port the client addressed: the Host header's (a browser sets it from the URL, so a tunnel or a
 * port forward to this listener keeps the console same-origin), else the listener's.
 */
function ownPort(host: string | undefined, listener: ListenerIdentity): number {
  if (host === undefined) return listener.port;
  const port = /:(\d+)$/.exec(host.trim())?.[1];
  return port === undefined ? (listener.secure ? 443 : 80) : Number(port);
}

/** An origin of this listener: its scheme, an accepted host name and the port the request went to. */
function isOwnOrigin(origin: string, port: number, secure: boolean, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file: pages) and anything malformed
  }
  if (url.protocol !== (secure ? 'https:' : 'http:')) return false;
  const originPort = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  return originPort === port && isAcceptedHost(hostnameOf(url.host), allowed);
}

/** A top-level page load from a link: it can show the page but not read it. */
function isNavigation(method: string, headers: IncomingHttpHeaders): boolean {
  return (method === 'GET' || method === 'HEAD') && headerText(headers['sec-fetch-mode']) === 'navigate' && headerText(headers['sec-fetch-dest']) === 'document';
}

function normalizedHosts(hosts: readonly string[] | undefined, localAddress: string | undefined): string[] {
  const names = (hosts ?? []).map((host) => host.trim().toLowerCase().replace(/\.$/, '')).filter((host) => host !== '' && host !== '.');
  if (localAddress === undefined || localAddress === '') return names;
  const address = localAddress.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return [...names, isIP(address) === 6 ? `[${address}]` : address];
}

function mediaType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.split(';', 1)[0]?.trim().toLowerCase();
}

function headerText(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.trim().toLowerCase();
}

function shown(value: string): string {
  return JSON.stringify(value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS)}...` : value);
}
