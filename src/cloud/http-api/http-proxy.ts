/**
 * HTTP_PROXY integrations of HTTP APIs: the request goes to the integration's URL (path variables
 * such as `{proxy}` and `${stageVariables.x}` filled in, the request's query string appended) with
 * its method (or IntegrationMethod), headers and body; the backend's answer comes back as it is.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-http.html
 */
import { errorText } from '../../common/preview.ts';
import type { Reply } from './listener.ts';

/** Hop-by-hop headers and those fetch sets itself. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'proxy-connection', 'te', 'trailer']);
const NOT_RETURNED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

export function integrationUrl(uri: string, pathParameters: Readonly<Record<string, string>>, stageVariables: Readonly<Record<string, string>>, rawQueryString: string): string {
  let url = uri.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (whole, name: string) => stageVariables[name] ?? whole);
  url = url.replace(/\{([^{}+]+)\+?\}/g, (whole, name: string) => {
    const value = pathParameters[name];
    return value === undefined ? whole : value.split('/').map(encodeURIComponent).join('/');
  });
  if (rawQueryString === '') return url;
  return `${url}${url.includes('?') ? '&' : '?'}${rawQueryString}`;
}

export type ProxyOutcome = { readonly reply: Reply } | { readonly failure: string; readonly timedOut: boolean };

export async function forwardHttp(request: {
  readonly url: string;
  readonly method: string;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly addedHeaders: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}): Promise<ProxyOutcome> {
  const headers = new Headers();
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = (request.rawHeaders[i] ?? '').toLowerCase();
    if (!NOT_FORWARDED.has(name)) headers.append(name, request.rawHeaders[i + 1] ?? '');
  }
  for (const [name, value] of Object.entries(request.addedHeaders)) if (!headers.has(name)) headers.set(name, value);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      ...(request.body.length > 0 && request.method !== 'GET' && request.method !== 'HEAD' ? { body: new Uint8Array(request.body) } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return { failure: `${request.method} ${request.url}: ${timedOut ? `no answer within ${request.timeoutMs} ms` : errorText(error)}`, timedOut };
  }
  const body = Buffer.from(await response.arrayBuffer());
  const replyHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!NOT_RETURNED.has(name) && name !== 'set-cookie') replyHeaders[name] = value;
  });
  return { reply: { status: response.status, headers: replyHeaders, cookies: response.headers.getSetCookie(), body } };
}
