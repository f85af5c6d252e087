/** Valid OTLP/HTTP trace export requests, in JSON and protobuf, for the fuzz suites and the hostile-input harness. */
import { ExportTraceServiceRequest } from '../../src/xray/otlp/schema.ts';
import type { FuzzValue } from './fuzz.ts';

function hex(width: number, value: number): string {
  return value.toString(16).padStart(width, '0');
}

/** Span `number` of a fresh trace starting at `nowSeconds`, in OTLP JSON, with every kind of attribute value. */
export function otlpJsonSpan(nowSeconds: number, number: number): { traceId: string; span: Record<string, FuzzValue> } {
  const traceId = `${hex(8, nowSeconds)}${hex(24, 0xabc00000 + number)}`;
  const start = BigInt(nowSeconds) * 1_000_000_000n + BigInt(number) * 1_000_000n;
  return {
    traceId,
    span: {
      traceId, spanId: hex(16, 0x5000 + number), name: 'GET /orders', kind: 2,
      startTimeUnixNano: String(start), endTimeUnixNano: String(start + 250_000_000n),
      attributes: [
        { key: 'http.request.method', value: { stringValue: 'GET' } },
        { key: 'http.response.status_code', value: { intValue: '200' } },
        { key: 'retry', value: { boolValue: false } },
        { key: 'ratio', value: { doubleValue: 0.5 } },
        { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }] } } },
        { key: 'nested', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
      ],
      events: [{ timeUnixNano: String(start + 1000n), name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'Boom' } }] }],
      links: [{ traceId, spanId: hex(16, 0x9000 + number) }],
      status: { code: 2, message: 'failed' },
    },
  };
}

export function otlpJsonRequest(spans: FuzzValue[]): FuzzValue {
  return {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] },
      scopeSpans: [{ scope: { name: 'fuzz', version: '1' }, spans }],
    }],
  };
}

/** The same request as protobuf bytes: ids as bytes, the rest as protobufjs takes it. */
export function otlpProtobufRequest(spans: Array<Record<string, FuzzValue>>): Buffer {
  const message = ExportTraceServiceRequest.fromObject({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] },
      scopeSpans: [{
        scope: { name: 'fuzz', version: '1' },
        spans: spans.map((span) => ({
          ...span,
          traceId: Buffer.from(String(span.traceId), 'hex'),
          spanId: Buffer.from(String(span.spanId), 'hex'),
          links: [],
        })),
      }],
    }],
  });
  return Buffer.from(ExportTraceServiceRequest.encode(message).finish());
}
