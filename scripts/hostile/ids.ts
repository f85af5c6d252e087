/** Trace and segment ids and valid documents drawn from a case's own random source, so a replay sends the same ids. */
import type { Fuzz } from '../../test/support/fuzz.ts';
import { segment, subsegment } from '../../test/xray/support/documents.ts';

export function hexOf(fuzz: Fuzz, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += fuzz.int(16).toString(16);
  return out;
}

export function traceIdAt(fuzz: Fuzz, epochSeconds: number): string {
  return `1-${Math.floor(epochSeconds).toString(16).padStart(8, '0')}-${hexOf(fuzz, 24)}`;
}

/** A segment with a subsegment, the fields a web service records. */
export function validSegment(fuzz: Fuzz, traceId: string, startSeconds: number): Record<string, unknown> {
  const id = hexOf(fuzz, 16);
  return segment(traceId, startSeconds, { id, subsegments: [subsegment(traceId, id, startSeconds + 0.01, { id: hexOf(fuzz, 16) })] });
}
