/** Where a span link points, seen from the trace of the segment that has it. */
export type LinkTarget =
  | { readonly kind: 'this-trace' }
  | { readonly kind: 'other-trace'; readonly traceId: string }
  /** The link names no trace: it cannot be told to be in this one. */
  | { readonly kind: 'unknown' };

/** `linked`: the link's trace_id; `own`: the trace the segment is in. */
export function linkTarget(linked: string | undefined, own: string): LinkTarget {
  if (linked === undefined) return { kind: 'unknown' };
  if (linked === own) return { kind: 'this-trace' };
  return { kind: 'other-trace', traceId: linked };
}
