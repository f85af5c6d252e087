/** Builders of decoded OTLP spans for the translator's tests. */
import type { AttributeValue, OtlpSpan, OtlpTraceRequest } from '../../../src/xray/otlp/model.ts';
import { SpanKind } from '../../../src/xray/otlp/model.ts';

export const TRACE_ID = '5759e988bd862e3fe1be46a994272793';
export const ROOT_ID = '53995c3f42cd8ad8';
/** 2023-11-14T22:13:20.123456789Z */
export const START_NANOS = 1_700_000_000_123_456_789n;

export function attrs(record: Record<string, AttributeValue>): Map<string, AttributeValue> {
  return new Map(Object.entries(record));
}

export function span(overrides: Partial<OtlpSpan> = {}): OtlpSpan {
  return {
    traceId: TRACE_ID,
    spanId: ROOT_ID,
    parentSpanId: '',
    name: 'GET /orders',
    kind: SpanKind.Server,
    startTimeUnixNano: START_NANOS,
    endTimeUnixNano: START_NANOS + 250_000_000n,
    attributes: new Map(),
    events: [],
    links: [],
    status: { code: 0, message: '' },
    ...overrides,
  };
}

export function request(spans: OtlpSpan[], resource: Record<string, AttributeValue> = { 'service.name': 'orders' }): OtlpTraceRequest {
  return { resourceSpans: [{ resource: attrs(resource), scopeSpans: [{ scope: { name: 'test', version: '1' }, spans }] }] };
}

/**
 * ExportTraceServiceRequest{resourceSpans: [{resource: {attributes: [{key: "k", value}]}}]} as
 * bytes, `value` holding `levels` arrays one inside the other: written by hand, as protobufjs's
 * encoder refuses more than 100 levels of messages.
 */
export function nestedAttributeRequest(levels: number): Buffer {
  const field = (tag: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), varint(bytes.length), bytes]);
  let value = field(0x0a, Buffer.alloc(0)); // AnyValue{stringValue: ""}
  for (let level = 0; level < levels; level++) value = field(0x2a, field(0x0a, value)); // AnyValue{arrayValue: {values: [value]}}
  const keyValue = Buffer.concat([field(0x0a, Buffer.from('k')), field(0x12, value)]);
  return field(0x0a, field(0x0a, field(0x0a, keyValue)));
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
