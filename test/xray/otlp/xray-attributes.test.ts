import { describe, expect, test } from 'vitest';
import { SpanKind } from '../../../src/xray/otlp/model.ts';
import { translateSpan } from '../../../src/xray/otlp/translate.ts';
import { validateDocument } from '../../../src/xray/segments/validate.ts';
import { ROOT_ID, attrs, span } from './spans.ts';

const NODE_SDK = attrs({
  'service.name': 'xray-tracer-dynamo',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.version': '2.12.1',
});
const child = (attributes: Record<string, string | number | boolean | string[]>) =>
  span({ name: 'DynamoDB Query', parentSpanId: ROOT_ID, spanId: '1111111111111111', kind: SpanKind.Internal, attributes: attrs(attributes) });

describe("X-Ray's own span attributes", () => {
  test('aws.xray.annotations indexes the attributes it names, of an indexable type; the list itself is not metadata', () => {
    const document = translateSpan(child({ path: '/prod/foo', other: 'x', 'aws.xray.annotations': ['path', 'missing'] }), NODE_SDK);
    expect(document.annotations).toEqual({ path: '/prod/foo' });
    expect(document.metadata).toEqual({ default: { other: 'x' } });
    expect(validateDocument(JSON.stringify(document)).ok).toBe(true);
  });

  test('aws.xray.metadata.<namespace> (a JSON object) becomes that namespace, beside the other attributes in default', () => {
    const event = { Records: [{ Sns: { Message: '/prod/foo' } }] };
    const document = translateSpan(
      child({ 'aws.xray.metadata.default': JSON.stringify({ event }), 'aws.xray.metadata.debug': '{"n":1}', plain: 'p' }),
      NODE_SDK,
    );
    expect(document.metadata).toEqual({ default: { plain: 'p', event }, debug: { n: 1 } });
  });

  test('a metadata attribute that is not a JSON object stays an ordinary attribute', () => {
    const document = translateSpan(child({ 'aws.xray.metadata.default': 'not json' }), NODE_SDK);
    expect(document.metadata).toEqual({ default: { 'aws.xray.metadata.default': 'not json' } });
  });

  test('every document says which SDK made it (aws.xray.sdk), from the resource, subsegments and AWS calls included', () => {
    const call = span({
      name: 'DynamoDB.UpdateItem',
      parentSpanId: ROOT_ID,
      spanId: '2222222222222222',
      kind: SpanKind.Client,
      attributes: attrs({ 'rpc.system': 'aws-api', 'rpc.service': 'DynamoDB', 'rpc.method': 'UpdateItem', 'aws.dynamodb.table_names': ['Hits'] }),
    });
    const xray = { sdk: 'opentelemetry for nodejs', sdk_version: '2.12.1', auto_instrumentation: false };
    expect(translateSpan(child({}), NODE_SDK).aws).toEqual({ xray });
    expect(translateSpan(call, NODE_SDK).aws).toEqual({ operation: 'UpdateItem', table_name: 'Hits', xray });
    expect(translateSpan(span(), attrs({ 'service.name': 'x' })).aws).toBeUndefined();
    const auto = attrs({ 'telemetry.sdk.name': 'opentelemetry', 'telemetry.auto.version': '0.9.0' });
    expect(translateSpan(span(), auto).aws).toEqual({ xray: { sdk: 'opentelemetry', auto_instrumentation: true } });
  });
});
