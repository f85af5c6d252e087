/**
 * The `http` block of a document from the HTTP semantic conventions, old (`http.method`,
 * `http.status_code`, `http.url`, ...) and current (`http.request.method`, `url.full`, ...).
 * Returns the keys it used so they are not repeated in metadata.
 */
import type { HttpFields } from '../model/segment-document.ts';
import { integerAttribute, stringAttribute } from './attributes.ts';
import type { Attributes } from './model.ts';

export interface HttpResult {
  readonly http: HttpFields | undefined;
  /** The response status, when the span has one; it decides error, fault and throttle. */
  readonly status: number | undefined;
  readonly used: ReadonlySet<string>;
}

export const HTTP_KEYS = [
  'http.method', 'http.request.method',
  'http.status_code', 'http.response.status_code',
  'http.url', 'url.full', 'http.scheme', 'url.scheme', 'http.host', 'http.target', 'url.path', 'url.query',
  'http.user_agent', 'user_agent.original',
  'http.client_ip', 'client.address',
  'http.response_content_length', 'http.response.body.size',
] as const;

export function httpFields(attributes: Attributes, isServer: boolean): HttpResult {
  const method = stringAttribute(attributes, 'http.request.method', 'http.method');
  const rawStatus = integerAttribute(attributes, 'http.response.status_code', 'http.status_code');
  const status = rawStatus !== undefined && rawStatus >= 100 && rawStatus <= 599 ? rawStatus : undefined;
  const url = stringAttribute(attributes, 'url.full', 'http.url') ?? composedUrl(attributes, isServer);
  const used = new Set<string>(HTTP_KEYS.filter((key) => attributes.has(key)));
  if (method === undefined && status === undefined && url === undefined) return { http: undefined, status: undefined, used: new Set() };

  const userAgent = stringAttribute(attributes, 'user_agent.original', 'http.user_agent');
  const clientIp = isServer ? stringAttribute(attributes, 'client.address', 'http.client_ip') : undefined;
  const length = integerAttribute(attributes, 'http.response.body.size', 'http.response_content_length');
  return {
    http: {
      request: { ...(method && { method }), ...(url && { url }), ...(userAgent && { user_agent: userAgent }), ...(clientIp && { client_ip: clientIp }) },
      ...((status !== undefined || length !== undefined) && {
        response: { ...(status !== undefined && { status }), ...(length !== undefined && length >= 0 && { content_length: length }) },
      }),
    },
    status,
    used,
  };
}

/** A URL from its parts, when the span has no full URL: scheme, host (and port), path and query. */
function composedUrl(attributes: Attributes, isServer: boolean): string | undefined {
  const hostKeys = isServer ? ['http.host', 'server.address', 'net.host.name'] : ['server.address', 'net.peer.name', 'http.host'];
  const host = stringAttribute(attributes, ...hostKeys);
  const target = stringAttribute(attributes, 'http.target') ?? pathAndQuery(attributes);
  if (host === undefined || target === undefined) return undefined;
  const scheme = stringAttribute(attributes, 'url.scheme', 'http.scheme') ?? 'http';
  const port = host.includes(':') ? undefined : integerAttribute(attributes, 'server.port', isServer ? 'net.host.port' : 'net.peer.port');
  const defaultPort = (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443);
  return `${scheme}://${host}${port === undefined || defaultPort ? '' : `:${port}`}${target}`;
}

function pathAndQuery(attributes: Attributes): string | undefined {
  const path = stringAttribute(attributes, 'url.path');
  if (path === undefined) return undefined;
  const query = stringAttribute(attributes, 'url.query');
  return query === undefined ? path : `${path}?${query}`;
}
