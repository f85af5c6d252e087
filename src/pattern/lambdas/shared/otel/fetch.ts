import { SpanKind } from '@opentelemetry/api';
import type { OtelTracing } from './otel-tracing.ts';

/** fetch, each call a client span with the HTTP conventions (X-Ray shows it as a `remote` node named after the host). */
export function traceFetch(tracing: OtelTracing, fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    return tracing.inSpan(
      url.hostname,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': method,
          'url.full': url.href,
          'server.address': url.hostname,
          ...(url.port !== '' && { 'server.port': Number(url.port) }),
        },
      },
      async (span) => {
        const response = await fetch(input, init);
        span.setAttribute('http.response.status_code', response.status);
        return response;
      },
    );
  };
}
