/**
 * A declared CORS configuration (an HTTP API's CorsConfiguration, a function URL's Cors) answered
 * as API Gateway and Lambda answer it: preflights (OPTIONS with Origin and
 * Access-Control-Request-Method) are answered by the service itself, without the integration, and
 * responses to an allowed origin carry the CORS headers (replacing any the integration set).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CorsConfig } from './model.ts';

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Whether the configuration allows this Origin (`*`, or exactly; wildcard subdomains such as `https://*.example.com`). */
export function allowsOrigin(cors: CorsConfig, origin: string): boolean {
  return cors.allowOrigins.some((allowed) => {
    if (allowed === '*') return true;
    if (allowed.toLowerCase() === origin.toLowerCase()) return true;
    if (!allowed.includes('*')) return false;
    const pattern = new RegExp(`^${allowed.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`, 'i');
    return pattern.test(origin);
  });
}

export function isPreflight(method: string, headers: IncomingHttpHeaders): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
}

function allowOriginValue(cors: CorsConfig, origin: string): string {
  // With credentials a browser refuses `*`: the origin itself is sent back.
  return cors.allowOrigins.includes('*') && !cors.allowCredentials ? '*' : origin;
}

/** The headers of a preflight's answer (204); none when the origin or method is not allowed. */
export function preflightHeaders(cors: CorsConfig, headers: IncomingHttpHeaders): Record<string, string> {
  const origin = first(headers.origin);
  const requested = first(headers['access-control-request-method'])?.toUpperCase();
  if (origin === undefined || requested === undefined || !allowsOrigin(cors, origin)) return {};
  const methods = cors.allowMethods;
  if (!methods.includes('*') && !methods.includes(requested)) return {};
  const out: Record<string, string> = {
    'access-control-allow-origin': allowOriginValue(cors, origin),
    'access-control-allow-methods': methods.includes('*') ? requested : methods.join(','),
  };
  const requestedHeaders = first(headers['access-control-request-headers']);
  if (cors.allowHeaders.includes('*')) {
    if (requestedHeaders !== undefined) out['access-control-allow-headers'] = requestedHeaders;
  } else if (cors.allowHeaders.length > 0) {
    out['access-control-allow-headers'] = cors.allowHeaders.join(',');
  }
  if (cors.maxAgeSeconds !== undefined) out['access-control-max-age'] = String(cors.maxAgeSeconds);
  if (cors.allowCredentials) out['access-control-allow-credentials'] = 'true';
  return out;
}

/** The headers an ordinary response to an allowed origin gets; none for other origins. */
export function responseCorsHeaders(cors: CorsConfig, origin: string | undefined): Record<string, string> {
  if (origin === undefined || !allowsOrigin(cors, origin)) return {};
  const out: Record<string, string> = { 'access-control-allow-origin': allowOriginValue(cors, origin) };
  if (cors.exposeHeaders.length > 0) out['access-control-expose-headers'] = cors.exposeHeaders.join(',');
  if (cors.allowCredentials) out['access-control-allow-credentials'] = 'true';
  if (out['access-control-allow-origin'] !== '*') out['vary'] = 'Origin';
  return out;
}

/** Drops the integration's own CORS headers: the configuration's replace them. */
export function withoutCorsHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.toLowerCase().startsWith('access-control-')));
}
