import type { ParsedRecord } from '../../../src/xray/traces/tree.ts';
import { parseRecords } from '../../../src/xray/traces/tree.ts';
import { toRecord } from '../fixtures/index.ts';

export const TRACE_ID = '1-6553f300-00000000000000000000abcd';

/** Validated, parsed records from document objects (trace_id filled in when missing). */
export function parsed(...docs: Array<Record<string, unknown>>): ParsedRecord[] {
  return parseRecords(docs.map((doc) => toRecord(JSON.stringify({ trace_id: TRACE_ID, ...doc }))));
}

export function segment(id: string, start: number, end: number | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: `svc-${id.slice(-2)}`, id, start_time: start, ...(end === undefined ? { in_progress: true } : { end_time: end }), ...extra };
}

export function subsegment(id: string, parentId: string, start: number, end: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'subsegment', name: `sub-${id.slice(-2)}`, id, parent_id: parentId, start_time: start, end_time: end, ...extra };
}
