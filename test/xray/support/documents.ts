/** Segment documents for the service's tests, built around one clock so time ranges are predictable. */

let counter = 0;
const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');

export function newTraceId(epochSeconds: number): string {
  counter++;
  return `1-${hex(Math.floor(epochSeconds), 8)}-${hex(0xabc, 8)}${hex(counter, 16)}`;
}

export function newId(): string {
  counter++;
  return hex(0xfeed0000 + counter, 16);
}

/** The required fields of a segment of `orders-api` that took 250 ms, with a fresh id. */
export function segmentCore(traceId: string, start: number): { name: string; id: string; trace_id: string; start_time: number; end_time: number } {
  return { name: 'orders-api', id: newId(), trace_id: traceId, start_time: start, end_time: start + 0.25 };
}

/** A complete segment with the fields a web service records. */
export function segment(traceId: string, start: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...segmentCore(traceId, start),
    http: { request: { method: 'GET', url: 'https://api.example.com/orders/7', client_ip: '203.0.113.5', user_agent: 'curl/8' }, response: { status: 200 } },
    annotations: { customer: 'alice', total: 42.5, vip: true },
    metadata: { debug: { query: { id: 7, fields: ['a', 'b'] } } },
    ...fields,
  };
}

export function subsegment(traceId: string, parentId: string, start: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'subsegment',
    name: 'DynamoDB',
    id: newId(),
    trace_id: traceId,
    parent_id: parentId,
    start_time: start,
    end_time: start + 0.01,
    namespace: 'aws',
    aws: { operation: 'GetItem', table_name: 'Orders', region: 'eu-west-1', request_id: 'REQ1' },
    ...fields,
  };
}

export const DAEMON_HEADER = '{"format":"json","version":1}\n';

export function datagram(document: unknown): Buffer {
  return Buffer.from(DAEMON_HEADER + (typeof document === 'string' ? document : JSON.stringify(document)));
}
