import type { TraceHeader } from '../types.ts';

const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;

/**
 * Reads `Root=1-...;Parent=...;Sampled=1` as sent in X-Amzn-Trace-Id and stored in AWSTraceHeader.
 * Unknown keys (Lineage, Self) are ignored; a header without a well-formed Root gives undefined, as
 * AWS services then start no trace of their own from it.
 */
export function parseTraceHeader(value: string | undefined): TraceHeader | undefined {
  if (value === undefined) return undefined;
  let root: string | undefined;
  let parent: string | undefined;
  let sampled: boolean | undefined;
  for (const part of value.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const key = part.slice(0, at).trim().toLowerCase();
    const field = part.slice(at + 1).trim();
    if (key === 'root') root = field;
    else if (key === 'parent') parent = field;
    else if (key === 'sampled') sampled = field === '1' ? true : field === '0' ? false : undefined;
  }
  if (root === undefined || !TRACE_ID.test(root)) return undefined;
  return {
    root,
    ...(parent !== undefined && SEGMENT_ID.test(parent) ? { parent } : {}),
    ...(sampled !== undefined ? { sampled } : {}),
  };
}

/** The header form of a trace context: `Root=..;Parent=..;Sampled=1`, parts present only when known. */
export function formatTraceHeader(trace: TraceHeader): string {
  const parts = [`Root=${trace.root}`];
  if (trace.parent !== undefined) parts.push(`Parent=${trace.parent}`);
  if (trace.sampled !== undefined) parts.push(`Sampled=${trace.sampled ? '1' : '0'}`);
  return parts.join(';');
}
