import { describe, expect, test } from 'vitest';
import { decodeJsonRequest } from '../../../src/xray/otlp/decode-json.ts';
import { decodeProtobufRequest } from '../../../src/xray/otlp/decode-protobuf.ts';
import { OtlpDecodeError } from '../../../src/xray/otlp/model.ts';
import { ExportTraceServiceRequest } from '../../../src/xray/otlp/schema.ts';
import { nestedAttributeRequest } from './spans.ts';

const TRACE = '5759e988bd862e3fe1be46a994272793';
const SPAN = '53995c3f42cd8ad8';
const PARENT = 'aaaaaaaaaaaaaaaa';
const LINKED_TRACE = '6553f0ffb006649127e371903a2de979';
const LINKED_SPAN = 'bbbbbbbbbbbbbbbb';

/** The same request in OTLP JSON... */
const JSON_REQUEST = {
  resourceSpans: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] },
    scopeSpans: [{
      scope: { name: 'lib', version: '2' },
      spans: [{
        traceId: TRACE.toUpperCase(),
        spanId: SPAN,
        parentSpanId: PARENT,
        name: 'GET /x',
        kind: 3,
        startTimeUnixNano: '1700000000123456789',
        endTimeUnixNano: 1700000000223456768, // a JSON number, exact as a double
        attributes: [
          { key: 's', value: { stringValue: 'v' } },
          { key: 'i', value: { intValue: '42' } },
          { key: 'big', value: { intValue: '9007199254740993' } },
          { key: 'd', value: { doubleValue: 0.5 } },
          { key: 'b', value: { boolValue: true } },
          { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: 1 }] } } },
          { key: 'kv', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
          { key: 'none', value: {} },
        ],
        events: [{ timeUnixNano: '1700000000200000000', name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'boom' } }] }],
        links: [{ traceId: LINKED_TRACE.toUpperCase(), spanId: LINKED_SPAN, attributes: [{ key: 'n', value: { intValue: '7' } }] }],
        status: { code: 2, message: 'failed' },
      }],
    }],
  }],
};

/** ...and in protobuf, built with protobufjs from the same values (ids as bytes). */
function protobufRequest(): Uint8Array {
  const json = structuredClone(JSON_REQUEST) as unknown as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
  const span = json.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
  span['traceId'] = Buffer.from(TRACE, 'hex');
  span['spanId'] = Buffer.from(SPAN, 'hex');
  span['parentSpanId'] = Buffer.from(PARENT, 'hex');
  span['endTimeUnixNano'] = '1700000000223456768';
  span['links'] = [{ traceId: Buffer.from(LINKED_TRACE, 'hex'), spanId: Buffer.from(LINKED_SPAN, 'hex'), attributes: [{ key: 'n', value: { intValue: '7' } }] }];
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(json)).finish();
}

describe.each([
  ['protobuf', () => decodeProtobufRequest(protobufRequest())],
  ['JSON', () => decodeJsonRequest(JSON.stringify(JSON_REQUEST))],
])('decoding %s', (_, decode) => {
  test('gives hex ids, nanosecond bigints, numbers for kinds and codes, and plain attribute values', () => {
    const request = decode();
    const rs = request.resourceSpans[0]!;
    expect([...rs.resource]).toEqual([['service.name', 'orders']]);
    expect(rs.scopeSpans[0]!.scope).toEqual({ name: 'lib', version: '2' });
    const span = rs.scopeSpans[0]!.spans[0]!;
    expect(span).toMatchObject({ traceId: TRACE, spanId: SPAN, parentSpanId: PARENT, name: 'GET /x', kind: 3, status: { code: 2, message: 'failed' } });
    expect(span.startTimeUnixNano).toBe(1_700_000_000_123_456_789n);
    expect(span.endTimeUnixNano).toBe(1_700_000_000_223_456_768n);
    expect(Object.fromEntries(span.attributes)).toEqual({
      s: 'v', i: 42, big: '9007199254740993', d: 0.5, b: true, a: ['x', 1], kv: { k: 'v' }, none: null,
    });
    expect(span.events).toEqual([{ timeUnixNano: 1_700_000_000_200_000_000n, name: 'exception', attributes: new Map([['exception.message', 'boom']]) }]);
    expect(span.links).toEqual([{ traceId: LINKED_TRACE, spanId: LINKED_SPAN, attributes: new Map([['n', 7]]) }]);
  });
});

describe('decoding errors', () => {
  test('a truncated protobuf body is an OtlpDecodeError', () => {
    const bytes = protobufRequest();
    expect(() => decodeProtobufRequest(bytes.subarray(0, bytes.length - 7))).toThrow(OtlpDecodeError);
    expect(() => decodeProtobufRequest(Buffer.from('this is not protobuf'))).toThrow(/body is not a protobuf ExportTraceServiceRequest: /);
  });

  test.each([
    ['{', /^body is not valid JSON: /],
    ['[]', /^body must be an object, got an array$/],
    ['{"resourceSpans":{}}', /^resourceSpans must be an array, got an object$/],
    ['{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":12}]}]}]}', /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId must be a string, got number 12$/],
    ['{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]}', /spans\[0\]\.startTimeUnixNano must be a non-negative 64-bit integer \(a number or decimal string\), got string "soon"$/],
    // Past what fixed64 and int64 hold: not a time in the year 5138, nor an attribute kept as text.
    ['{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"18446744073709551616"}]}]}]}', /spans\[0\]\.startTimeUnixNano must be a non-negative 64-bit integer \(a number or decimal string\), got string "18446744073709551616"$/],
    ['{"resourceSpans":[{"scopeSpans":[{"spans":[{"endTimeUnixNano":1e20}]}]}]}', /spans\[0\]\.endTimeUnixNano must be a non-negative 64-bit integer \(a number or decimal string\), got number 100000000000000000000$/],
    ['{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"intValue":"-9223372036854775809"}}]}]}]}]}', /spans\[0\]\.attributes\[0\]\.value\.intValue must be a 64-bit integer \(a number or decimal string\), got string "-9223372036854775809"$/],
    ['{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SERVER"}]}]}]}', /spans\[0\]\.kind must be an integer or one of SPAN_KIND_UNSPECIFIED/],
    ['{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"boolValue":"yes"}}]}]}]}]}', /spans\[0\]\.attributes\[0\]\.value\.boolValue must be a boolean, got string "yes"$/],
    ['{"resourceSpans":[{"scopeSpans":[{"spans":[{"links":{}}]}]}]}', /spans\[0\]\.links must be an array, got an object$/],
    ['{"resourceSpans":[{"scopeSpans":[{"spans":[{"links":[{"spanId":7}]}]}]}]}', /spans\[0\]\.links\[0\]\.spanId must be a string, got number 7$/],
  ])('JSON %s is refused: %s', (text, message) => {
    expect(() => decodeJsonRequest(text)).toThrow(message);
  });

  test('attribute values nested too deep are refused, in JSON and in protobuf, without overflowing the stack', () => {
    const deep = '{"arrayValue":{"values":['.repeat(2000) + '{"stringValue":"leaf"}' + ']}}'.repeat(2000);
    const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"deep","value":${deep}}]}]}]}]}`;
    expect(() => decodeJsonRequest(body)).toThrow(new OtlpDecodeError('resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value nests arrays or key-value lists more than 32 levels deep'));
    let pb: Record<string, unknown> = { stringValue: 'leaf' };
    for (let i = 0; i < 40; i++) pb = { arrayValue: { values: [pb] } };
    const bytes = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: [{ key: 'deep', value: pb }] }] }] }] })).finish();
    expect(() => decodeProtobufRequest(bytes)).toThrow('an attribute value nests arrays or key-value lists more than 32 levels deep');
    // Past protobufjs's own limit of 100 messages the decoder stops first; the message still says what nests.
    expect(() => decodeProtobufRequest(nestedAttributeRequest(20_000))).toThrow(
      'body is not a protobuf ExportTraceServiceRequest: it nests messages deeper than the decoder allows; only attribute values nest (arrays and key-value lists), at most 32 levels',
    );
  });

  test('JSON takes enum names and the proto field names too', () => {
    const request = decodeJsonRequest('{"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"ab","kind":"SPAN_KIND_SERVER","status":{"code":"STATUS_CODE_ERROR"},"links":[{"trace_id":"CD","span_id":"EF"}]}]}]}]}');
    expect(request.resourceSpans[0]!.scopeSpans[0]!.spans[0]).toMatchObject({ traceId: 'ab', kind: 2, status: { code: 2 }, links: [{ traceId: 'cd', spanId: 'ef' }] });
  });
});
