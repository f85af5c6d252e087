/**
 * The part of the OTLP trace protocol (opentelemetry-proto, collector/trace/v1) the receiver reads,
 * as a protobufjs descriptor: field numbers and wire types only. Fields we do not list (dropped
 * counts, trace state, flags, schema URLs) are skipped by the decoder, as protobuf allows.
 * Enums are declared int32, which is their wire form, so they decode straight to numbers.
 * `Status` is google.rpc.Status, the body of an OTLP/HTTP error answer.
 */
import protobuf from 'protobufjs/light.js';

const repeated = (type: string, id: number): { rule: string; type: string; id: number } => ({ rule: 'repeated', type, id });
const field = (type: string, id: number): { type: string; id: number } => ({ type, id });

const descriptor = {
  nested: {
    ExportTraceServiceRequest: { fields: { resourceSpans: repeated('ResourceSpans', 1) } },
    ResourceSpans: { fields: { resource: field('Resource', 1), scopeSpans: repeated('ScopeSpans', 2) } },
    Resource: { fields: { attributes: repeated('KeyValue', 1) } },
    ScopeSpans: { fields: { scope: field('InstrumentationScope', 1), spans: repeated('Span', 2) } },
    InstrumentationScope: { fields: { name: field('string', 1), version: field('string', 2) } },
    Span: {
      fields: {
        traceId: field('bytes', 1),
        spanId: field('bytes', 2),
        parentSpanId: field('bytes', 4),
        name: field('string', 5),
        kind: field('int32', 6),
        startTimeUnixNano: field('fixed64', 7),
        endTimeUnixNano: field('fixed64', 8),
        attributes: repeated('KeyValue', 9),
        events: repeated('Event', 11),
        links: repeated('Link', 13),
        status: field('SpanStatus', 15),
      },
    },
    Link: { fields: { traceId: field('bytes', 1), spanId: field('bytes', 2), attributes: repeated('KeyValue', 4) } },
    Event: { fields: { timeUnixNano: field('fixed64', 1), name: field('string', 2), attributes: repeated('KeyValue', 3) } },
    SpanStatus: { fields: { message: field('string', 2), code: field('int32', 3) } },
    KeyValue: { fields: { key: field('string', 1), value: field('AnyValue', 2) } },
    AnyValue: {
      oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
      fields: {
        stringValue: field('string', 1),
        boolValue: field('bool', 2),
        intValue: field('int64', 3),
        doubleValue: field('double', 4),
        arrayValue: field('ArrayValue', 5),
        kvlistValue: field('KeyValueList', 6),
        bytesValue: field('bytes', 7),
      },
    },
    ArrayValue: { fields: { values: repeated('AnyValue', 1) } },
    KeyValueList: { fields: { values: repeated('KeyValue', 1) } },
    ExportTraceServiceResponse: { fields: { partialSuccess: field('ExportTracePartialSuccess', 1) } },
    ExportTracePartialSuccess: { fields: { rejectedSpans: field('int64', 1), errorMessage: field('string', 2) } },
    Status: { fields: { code: field('int32', 1), message: field('string', 2) } },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

export const ExportTraceServiceRequest = root.lookupType('ExportTraceServiceRequest');
export const ExportTraceServiceResponse = root.lookupType('ExportTraceServiceResponse');
export const RpcStatus = root.lookupType('Status');
