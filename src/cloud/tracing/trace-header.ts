import type { TraceHeader } from '../core/types.ts';

const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;

export class TraceHeaderError extends Error {
  override readonly name = 'TraceHeaderError';
}

/**
 * Parses `Root=1-...;Parent=...;Sampled=1` as found in X-Amzn-Trace-Id, _X_AMZN_TRACE_ID and the SQS
 * AWSTraceHeader attribute. Keys are case-insensitive and may come in any order; Self= (added by load
 * balancers), Lineage= and unknown keys are accepted and dropped. `Sampled=?` (decision deferred) is
 * read as no decision.
 */
export function parseTraceHeader(text: string): TraceHeader {
  let root: string | undefined;
  let parent: string | undefined;
  let sampled: boolean | undefined;
  for (const part of text.split(';')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const equals = trimmed.indexOf('=');
    if (equals < 0) throw new TraceHeaderError(`trace header part "${trimmed}" is not key=value (in "${text}")`);
    const key = trimmed.slice(0, equals).trim().toLowerCase();
    const value = trimmed.slice(equals + 1).trim();
    if (key === 'root') {
      if (!TRACE_ID.test(value)) throw new TraceHeaderError(`trace header Root "${value}" is not a trace id 1-<8 hex>-<24 hex>`);
      root = value;
    } else if (key === 'parent') {
      if (!SEGMENT_ID.test(value)) throw new TraceHeaderError(`trace header Parent "${value}" is not 16 hex digits`);
      parent = value;
    } else if (key === 'sampled') {
      if (value === '1') sampled = true;
      else if (value === '0') sampled = false;
      else if (value !== '?') throw new TraceHeaderError(`trace header Sampled "${value}" is not 0, 1 or ?`);
    }
  }
  if (root === undefined) throw new TraceHeaderError(`trace header has no Root: "${text}"`);
  return { root, ...(parent !== undefined ? { parent } : {}), ...(sampled !== undefined ? { sampled } : {}) };
}

/** Like parseTraceHeader, but undefined for a missing or malformed header (as services treat them). */
export function tryParseTraceHeader(text: string | undefined): TraceHeader | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseTraceHeader(text);
  } catch {
    return undefined;
  }
}

export function formatTraceHeader(header: TraceHeader): string {
  let text = `Root=${header.root}`;
  if (header.parent !== undefined) text += `;Parent=${header.parent}`;
  if (header.sampled !== undefined) text += `;Sampled=${header.sampled ? '1' : '0'}`;
  return text;
}
