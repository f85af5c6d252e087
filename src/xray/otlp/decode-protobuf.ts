/**
 * `application/x-protobuf` bodies: protobufjs decodes the wire format (see schema.ts), then the
 * result is mapped onto our model. protobufjs reports truncated or malformed input by throwing;
 * that becomes an OtlpDecodeError.
 */
import type { AttributeValue, Attributes, OtlpEvent, OtlpLink, OtlpResourceSpans, OtlpSpan, OtlpTraceRequest } from './model.ts';
import { MAX_VALUE_DEPTH, OtlpDecodeError } from './model.ts';
import { ExportTraceServiceRequest } from './schema.ts';

/** What protobufjs's toObject gives with the options below: longs as decimal strings, bytes as base64. */
interface PbKeyValue { key?: string; value?: PbAnyValue }
interface PbAnyValue {
  value?: string;
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values?: PbAnyValue[] };
  kvlistValue?: { values?: PbKeyValue[] };
  bytesValue?: string;
}
interface PbSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: PbKeyValue[];
  events?: Array<{ timeUnixNano?: string; name?: string; attributes?: PbKeyValue[] }>;
  links?: Array<{ traceId?: string; spanId?: string; attributes?: PbKeyValue[] }>;
  status?: { code?: number; message?: string };
}
interface PbRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: PbKeyValue[] };
    scopeSpans?: Array<{ scope?: { name?: string; version?: string }; spans?: PbSpan[] }>;
  }>;
}

export function decodeProtobufRequest(body: Uint8Array): OtlpTraceRequest {
  let object: PbRequest;
  try {
    const message = ExportTraceServiceRequest.decode(body);
    object = ExportTraceServiceRequest.toObject(message, { longs: String, bytes: String, oneofs: true }) as PbRequest;
  } catch (error) {
    // protobufjs stops at 100 levels of messages; only attribute values nest in this schema.
    const reason = (error as Error).message === 'max depth exceeded'
      ? `it nests messages deeper than the decoder allows; only attribute values nest (arrays and key-value lists), at most ${MAX_VALUE_DEPTH} levels`
      : (error as Error).message;
    throw new OtlpDecodeError(`body is not a protobuf ExportTraceServiceRequest: ${reason}`);
  }
  return {
    resourceSpans: (object.resourceSpans ?? []).map(
      (rs): OtlpResourceSpans => ({
        resource: attributes(rs.resource?.attributes),
        scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({
          scope: { name: ss.scope?.name ?? '', version: ss.scope?.version ?? '' },
          spans: (ss.spans ?? []).map(span),
        })),
      }),
    ),
  };
}

function span(s: PbSpan): OtlpSpan {
  return {
    traceId: hex(s.traceId),
    spanId: hex(s.spanId),
    parentSpanId: hex(s.parentSpanId),
    name: s.name ?? '',
    kind: s.kind ?? 0,
    startTimeUnixNano: BigInt(s.startTimeUnixNano ?? '0'),
    endTimeUnixNano: BigInt(s.endTimeUnixNano ?? '0'),
    attributes: attributes(s.attributes),
    events: (s.events ?? []).map(
      (e): OtlpEvent => ({ timeUnixNano: BigInt(e.timeUnixNano ?? '0'), name: e.name ?? '', attributes: attributes(e.attributes) }),
    ),
    links: (s.links ?? []).map((l): OtlpLink => ({ traceId: hex(l.traceId), spanId: hex(l.spanId), attributes: attributes(l.attributes) })),
    status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
  };
}

function attributes(list: PbKeyValue[] | undefined, depth = 0): Attributes {
  const map = new Map<string, AttributeValue>();
  for (const kv of list ?? []) map.set(kv.key ?? '', value(kv.value, depth));
  return map;
}

function value(v: PbAnyValue | undefined, depth: number): AttributeValue {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`an attribute value nests arrays or key-value lists more than ${MAX_VALUE_DEPTH} levels deep`);
  switch (v?.value) {
    case 'stringValue':
      return v.stringValue ?? '';
    case 'boolValue':
      return v.boolValue ?? false;
    case 'intValue':
      return int64(v.intValue ?? '0');
    case 'doubleValue':
      return v.doubleValue ?? 0;
    case 'arrayValue':
      return (v.arrayValue?.values ?? []).map((item) => value(item, depth + 1));
    case 'kvlistValue':
      return Object.fromEntries([...attributes(v.kvlistValue?.values, depth + 1)]);
    case 'bytesValue':
      return v.bytesValue ?? '';
    default:
      return null;
  }
}

/** An int64 as a number when it is exact, else as its decimal text (JSON has no int64). */
export function int64(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

function hex(base64: string | undefined): string {
  return base64 ? Buffer.from(base64, 'base64').toString('hex') : '';
}
