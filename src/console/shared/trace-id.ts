/** X-Ray trace ids, also with the OpenTelemetry form's 32 hex digits, which the service stores as X-Ray ids. */
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const OTEL_TRACE_ID = /^[0-9a-f]{32}$/;

/** The trace id typed or pasted, as the X-Ray API names it; undefined when it is not one. */
export function traceIdOf(text: string): string | undefined {
  // A whole X-Amzn-Trace-Id header value names the trace as its Root.
  const root = /(?:^|;)\s*Root=([^;\s]+)/i.exec(text);
  const id = (root?.[1] ?? text).trim().toLowerCase();
  if (TRACE_ID.test(id)) return id;
  if (OTEL_TRACE_ID.test(id)) return `1-${id.slice(0, 8)}-${id.slice(8)}`;
  return undefined;
}
