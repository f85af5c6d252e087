import { describe, expect, test } from 'vitest';
import { decodeJsonRequest } from '../../../src/xray/otlp/decode-json.ts';
import { decodeProtobufRequest } from '../../../src/xray/otlp/decode-protobuf.ts';
import type { OtlpLink } from '../../../src/xray/otlp/model.ts';
import { SpanKind, StatusCode } from '../../../src/xray/otlp/model.ts';
import { parseStack } from '../../../src/xray/otlp/cause.ts';
import { ExportTraceServiceRequest } from '../../../src/xray/otlp/schema.ts';
import { translateRequest, translateSpan } from '../../../src/xray/otlp/translate.ts';
import { validateDocument } from '../../../src/xray/segments/validate.ts';
import { ROOT_ID, TRACE_ID, attrs, request, span } from './spans.ts';

const RESOURCE = attrs({ 'service.name': 'orders', 'service.version': '1.2.3' });
const fixedIds = (): (() => string) => {
  let n = 0;
  return () => (++n).toString(16).padStart(16, '0');
};
const translate = (s: ReturnType<typeof span>, options = {}) => translateSpan(s, RESOURCE, { newId: fixedIds(), ...options });

describe('ids and times', () => {
  test('the trace id splits into 1-<8 hex>-<24 hex>; times are epoch seconds to the microsecond', () => {
    const document = translate(span());
    expect(document.trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
    expect(document.id).toBe(ROOT_ID);
    expect(document.start_time).toBe(1_700_000_000.123456);
    expect(document.end_time).toBe(1_700_000_000.373456);
    expect(validateDocument(JSON.stringify(document)).ok).toBe(true);
  });

  test.each([
    ['a non-hex trace id', { traceId: 'zz59e988bd862e3fe1be46a994272793' }, 'traceId "zz59e988bd862e3fe1be46a994272793" is not 32 hex digits'],
    ['an all-zero trace id', { traceId: '00000000000000000000000000000000' }, 'is not 32 hex digits (16 bytes, not all zero)'],
    ['no trace id', { traceId: '' }, 'traceId "" is not 32 hex digits'],
    ['a short span id', { spanId: 'abc' }, 'spanId "abc" is not 16 hex digits'],
    ['a short parent id', { parentSpanId: '1234' }, 'parentSpanId "1234" is not 16 hex digits'],
    ['no start time', { startTimeUnixNano: 0n }, 'startTimeUnixNano is missing'],
    ['no end time', { endTimeUnixNano: 0n }, 'endTimeUnixNano is missing'],
    ['an end before its start', { endTimeUnixNano: 5n }, 'is before startTimeUnixNano'],
  ] as const)('a span with %s is rejected, naming its path, its name and the field', (_, overrides, message) => {
    const good = span({ spanId: '1111111111111111' });
    const { documents, rejected } = translateRequest(request([good, span(overrides)]));
    expect(documents.map((d) => d.document.id)).toEqual(['1111111111111111']);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.path).toBe('resourceSpans[0].scopeSpans[0].spans[1]');
    expect(rejected[0]?.message).toContain('resourceSpans[0].scopeSpans[0].spans[1] ("GET /orders"): ');
    expect(rejected[0]?.message).toContain(message);
  });
});

describe('segments and subsegments', () => {
  test('a root server span is a segment named after service.name, with the resource in metadata', () => {
    const document = translate(span());
    expect(document).toMatchObject({ name: 'orders', service: { version: '1.2.3' } });
    expect(document.type).toBeUndefined();
    expect(document.parent_id).toBeUndefined();
    expect(document.namespace).toBeUndefined();
    expect(document.metadata).toEqual({ default: { 'otel.resource.service.name': 'orders', 'otel.resource.service.version': '1.2.3' } });
  });

  test('a server span with a remote parent is a segment that keeps the parent id', () => {
    const document = translate(span({ parentSpanId: 'aaaaaaaaaaaaaaaa' }));
    expect(document.type).toBeUndefined();
    expect(document.parent_id).toBe('aaaaaaaaaaaaaaaa');
  });

  test('a consumer span is a segment; a root span of any kind is a segment', () => {
    expect(translate(span({ kind: SpanKind.Consumer, parentSpanId: 'aaaaaaaaaaaaaaaa' })).type).toBeUndefined();
    expect(translate(span({ kind: SpanKind.Internal })).type).toBeUndefined();
    expect(translate(span({ kind: SpanKind.Client })).name).toBe('orders');
  });

  test('without service.name the segment is named after the span, without the characters X-Ray refuses', () => {
    const document = translateSpan(span({ name: 'GET /orders/{id}?x' }), attrs({}));
    expect(document.name).toBe('GET /orders/idx');
    expect(translateSpan(span({ name: '{}' }), attrs({})).name).toBe('span');
  });

  test('an internal child is a standalone subsegment with no namespace, named after the span, without resource', () => {
    const document = translate(span({ kind: SpanKind.Internal, spanId: 'bbbbbbbbbbbbbbbb', parentSpanId: ROOT_ID, name: 'render {page}' }));
    expect(document).toMatchObject({ type: 'subsegment', parent_id: ROOT_ID, name: 'render {page}', trace_id: '1-5759e988-bd862e3fe1be46a994272793' });
    expect(document.namespace).toBeUndefined();
    expect(document.metadata).toBeUndefined();
    expect(document.service).toBeUndefined();
    expect(validateDocument(JSON.stringify(document)).ok).toBe(true);
  });

  test('origin comes from the cloud attributes, on segments only', () => {
    const ecs = attrs({ 'service.name': 's', 'cloud.provider': 'aws', 'cloud.platform': 'aws_ecs', 'aws.ecs.launchtype': 'fargate' });
    expect(translateSpan(span(), ecs).origin).toBe('AWS::ECS::Fargate');
    expect(translateSpan(span(), attrs({ 'cloud.platform': 'aws_ec2' })).origin).toBe('AWS::EC2::Instance');
    expect(translateSpan(span(), attrs({ 'cloud.provider': 'gcp', 'cloud.platform': 'gcp_compute_engine' })).origin).toBeUndefined();
    expect(translateSpan(span({ kind: SpanKind.Client, parentSpanId: ROOT_ID }), ecs).origin).toBeUndefined();
  });

  test("an EC2 host's id, zone, type and image become the segment's aws.ec2, which summaries read", () => {
    const ec2 = attrs({
      'service.name': 's', 'cloud.provider': 'aws', 'cloud.platform': 'aws_ec2', 'cloud.account.id': '123456789012',
      'host.id': 'i-00f7c0bcb26da2a99', 'cloud.availability_zone': 'us-west-2c', 'host.type': 'm5.xlarge', 'host.image.id': 'ami-0123456789',
    });
    expect(translateSpan(span(), ec2).aws).toEqual({
      account_id: '123456789012', ec2: { instance_id: 'i-00f7c0bcb26da2a99', availability_zone: 'us-west-2c', instance_size: 'm5.xlarge', ami_id: 'ami-0123456789' },
    });
    expect(translateSpan(span(), attrs({ 'cloud.platform': 'aws_ecs', 'host.id': 'h' })).aws).toBeUndefined();
    expect(translateSpan(span({ kind: SpanKind.Client, parentSpanId: ROOT_ID }), ec2).aws).toBeUndefined();
  });
});

describe('downstream calls', () => {
  const child = { spanId: 'cccccccccccccccc', parentSpanId: ROOT_ID };

  test('an HTTP client span is a remote subsegment named after the host, with the http block', () => {
    const document = translate(span({
      ...child,
      kind: SpanKind.Client,
      name: 'GET',
      attributes: attrs({ 'http.request.method': 'GET', 'url.full': 'https://api.example.com/v1/items?id=3', 'server.address': 'api.example.com', 'http.response.status_code': 200 }),
    }));
    expect(document).toMatchObject({
      type: 'subsegment',
      namespace: 'remote',
      name: 'api.example.com',
      http: { request: { method: 'GET', url: 'https://api.example.com/v1/items?id=3' }, response: { status: 200 } },
    });
    expect(document.metadata).toBeUndefined();
  });

  test('old HTTP attribute names work too, and a server URL is put together from its parts', () => {
    const client = translate(span({ ...child, kind: SpanKind.Client, attributes: attrs({ 'http.method': 'POST', 'http.url': 'http://10.0.0.1:8080/x', 'http.status_code': 201 }) }));
    expect(client).toMatchObject({ name: '10.0.0.1', http: { request: { method: 'POST', url: 'http://10.0.0.1:8080/x' }, response: { status: 201 } } });
    const server = translate(span({
      attributes: attrs({ 'http.request.method': 'GET', 'url.scheme': 'http', 'server.address': 'localhost', 'server.port': 3000, 'url.path': '/orders', 'url.query': 'a=1', 'user_agent.original': 'curl/8', 'client.address': '127.0.0.1', 'http.response.status_code': 200 }),
    }));
    expect(server.http).toEqual({
      request: { method: 'GET', url: 'http://localhost:3000/orders?a=1', user_agent: 'curl/8', client_ip: '127.0.0.1' },
      response: { status: 200 },
    });
    expect(server.metadata?.['default']).not.toHaveProperty('url.path');
  });

  test('peer.service and database attributes name remote subsegments', () => {
    expect(translate(span({ ...child, kind: SpanKind.Client, attributes: attrs({ 'peer.service': 'billing', 'url.full': 'http://b/x' }) })).name).toBe('billing');
    expect(translate(span({ ...child, kind: SpanKind.Client, attributes: attrs({ 'db.system': 'postgresql', 'db.name': 'shop', 'server.address': 'db.local' }) }))).toMatchObject({
      name: 'shop@db.local',
      namespace: 'remote',
    });
    expect(translate(span({ ...child, kind: SpanKind.Producer, name: 'orders publish', attributes: attrs({ 'messaging.system': 'kafka' }) }))).toMatchObject({
      name: 'orders publish',
      namespace: 'remote',
    });
  });

  test('an AWS SDK call is an aws subsegment named after the service, with the operation and its table', () => {
    const document = translate(span({
      ...child,
      kind: SpanKind.Client,
      name: 'DynamoDB.UpdateItem',
      attributes: attrs({ 'rpc.system': 'aws-api', 'rpc.service': 'DynamoDB', 'rpc.method': 'UpdateItem', 'aws.dynamodb.table_names': ['Hits'], 'aws.region': 'us-east-1', 'aws.request_id': 'R1' }),
    }));
    expect(document).toMatchObject({
      type: 'subsegment',
      namespace: 'aws',
      name: 'DynamoDB',
      aws: { operation: 'UpdateItem', table_name: 'Hits', region: 'us-east-1', request_id: 'R1' },
    });
    expect(document.metadata).toBeUndefined();
  });

  test('SQS and SNS calls carry the queue URL and topic ARN the map draws them from', () => {
    const sqs = translate(span({ ...child, kind: SpanKind.Producer, attributes: attrs({ 'rpc.system': 'aws-api', 'rpc.service': 'SQS', 'rpc.method': 'SendMessage', 'aws.sqs.queue_url': 'http://localhost:4566/000000000000/jobs' }) }));
    expect(sqs).toMatchObject({ name: 'SQS', namespace: 'aws', aws: { operation: 'SendMessage', queue_url: 'http://localhost:4566/000000000000/jobs' } });
    const instrumented = translate(span({ ...child, kind: SpanKind.Producer, attributes: attrs({ 'rpc.system': 'aws-api', 'rpc.service': 'SQS', 'rpc.method': 'SendMessage', 'messaging.system': 'aws.sqs', 'messaging.url': 'http://localhost:4566/000000000000/jobs' }) }));
    expect(instrumented).toMatchObject({ aws: { queue_url: 'http://localhost:4566/000000000000/jobs' }, metadata: { default: { 'messaging.system': 'aws.sqs' } } });
    expect(instrumented.metadata?.['default']).not.toHaveProperty('messaging.url');
    const sns = translate(span({ ...child, kind: SpanKind.Client, attributes: attrs({ 'rpc.system': 'aws-api', 'rpc.service': 'SNS', 'rpc.method': 'Publish', 'aws.sns.topic.arn': 'arn:aws:sns:us-east-1:000000000000:fan-out' }) }));
    expect(sns).toMatchObject({ name: 'SNS', aws: { operation: 'Publish', topic_arn: 'arn:aws:sns:us-east-1:000000000000:fan-out' } });
    const two = translate(span({ ...child, kind: SpanKind.Client, attributes: attrs({ 'rpc.system': 'aws-api', 'rpc.service': 'DynamoDB', 'aws.dynamodb.table_names': ['A', 'B'] }) }));
    expect(two.aws).toMatchObject({ table_names: ['A', 'B'] });
  });
});

describe('fault, error, throttle and cause', () => {
  const withStatus = (status: number | undefined, code: number = StatusCode.Unset, message = '') =>
    translate(span({ attributes: attrs(status === undefined ? {} : { 'http.response.status_code': status }), status: { code, message } }));

  test.each([
    [500, StatusCode.Error, { fault: true }],
    [503, StatusCode.Unset, { fault: true }],
    [404, StatusCode.Unset, { error: true }],
    [404, StatusCode.Error, { error: true }],
    [429, StatusCode.Unset, { error: true, throttle: true }],
    [undefined, StatusCode.Error, { fault: true }],
    [200, StatusCode.Ok, {}],
    [undefined, StatusCode.Unset, {}],
  ])('HTTP status %s with span status %s gives %j', (status, code, flags) => {
    const document = withStatus(status, code);
    expect({ fault: document.fault, error: document.error, throttle: document.throttle }).toEqual({ fault: undefined, error: undefined, throttle: undefined, ...flags });
  });

  test('exception events become cause.exceptions with type, message and stack frames', () => {
    const stacktrace = 'Error: boom\n    at handler (/app/src/handler.js:12:7)\n    at process (node:internal/process:3:1)\n    at /app/main.js:4:2';
    const document = translate(span({
      status: { code: StatusCode.Error, message: 'boom' },
      events: [{ name: 'exception', timeUnixNano: 1n, attributes: attrs({ 'exception.type': 'Error', 'exception.message': 'boom', 'exception.stacktrace': stacktrace }) }],
    }));
    expect(document.fault).toBe(true);
    expect(document.cause).toEqual({
      exceptions: [{
        id: '0000000000000001',
        type: 'Error',
        message: 'boom',
        stack: [
          { path: '/app/src/handler.js', line: 12, label: 'handler' },
          { path: 'node:internal/process', line: 3, label: 'process' },
          { path: '/app/main.js', line: 4 },
        ],
      }],
    });
    expect(validateDocument(JSON.stringify(document)).ok).toBe(true);
  });

  test('an error status without exception events records its message as the cause', () => {
    expect(withStatus(undefined, StatusCode.Error, 'connection refused').cause).toEqual({ exceptions: [{ id: '0000000000000001', message: 'connection refused' }] });
    expect(withStatus(undefined, StatusCode.Error).cause).toBeUndefined();
  });

  test('exceptions on a span that did not fail are not a cause', () => {
    const document = translate(span({ events: [{ name: 'exception', timeUnixNano: 1n, attributes: attrs({ 'exception.message': 'handled' }) }] }));
    expect(document.cause).toBeUndefined();
    expect(document.fault).toBeUndefined();
  });

  test('Java and Python frames are read too; long stacks are cut and counted', () => {
    expect(parseStack('java.lang.IllegalStateException: x\n\tat com.example.Orders.get(Orders.java:42)\n\tat java.base/Thread.run(Native Method)')).toEqual([
      { path: 'Orders.java', line: 42, label: 'com.example.Orders.get' },
      { path: 'Native Method', label: 'java.base/Thread.run' },
    ]);
    expect(parseStack('Traceback (most recent call last):\n  File "app.py", line 7, in handler\n    raise ValueError()')).toEqual([{ path: 'app.py', line: 7, label: 'handler' }]);
    const long = Array.from({ length: 80 }, (_, i) => `    at f${i} (/a.js:${i + 1}:1)`).join('\n');
    const document = translate(span({
      status: { code: StatusCode.Error, message: '' },
      events: [{ name: 'exception', timeUnixNano: 1n, attributes: attrs({ 'exception.stacktrace': long }) }],
    }));
    const exception = typeof document.cause === 'object' ? document.cause.exceptions?.[0] : undefined;
    expect(exception?.stack).toHaveLength(50);
    expect(exception?.truncated).toBe(30);
  });
});

describe('annotations and metadata', () => {
  const attributes = attrs({ 'order.id': 'o-1', count: 3, paid: true, ratio: 0.5, tags: ['a', 'b'], nested: { k: 'v' }, empty: null, 'enduser.id': 'alice' });

  test('by default every attribute is metadata, and enduser.id is the user', () => {
    const document = translate(span({ attributes }));
    expect(document.annotations).toBeUndefined();
    expect(document.user).toBe('alice');
    expect(document.metadata?.['default']).toMatchObject({ 'order.id': 'o-1', count: 3, paid: true, ratio: 0.5, tags: ['a', 'b'], nested: { k: 'v' } });
    expect(document.metadata?.['default']).not.toHaveProperty('empty');
  });

  test('listed attributes of indexable types become annotations with X-Ray-safe keys', () => {
    const indexedAttributes = new Set(['order.id', 'count', 'paid', 'tags', 'otel.resource.service.version']);
    const document = translate(span({ attributes }), { indexedAttributes });
    expect(document.annotations).toEqual({ order_id: 'o-1', count: 3, paid: true, otel_resource_service_version: '1.2.3' });
    expect(document.metadata?.['default']).toMatchObject({ tags: ['a', 'b'], ratio: 0.5 });
    expect(document.metadata?.['default']).not.toHaveProperty('order.id');
    expect(validateDocument(JSON.stringify(document)).ok).toBe(true);
  });
});

describe('what stays in metadata', () => {
  test('peer and host attributes are dropped only where they made the name or the URL; enduser.id only on segments', () => {
    const internal = translate(span({ kind: SpanKind.Internal, spanId: 'dddddddddddddddd', parentSpanId: ROOT_ID, attributes: attrs({ 'server.address': 'cache', 'enduser.id': 'bob' }) }));
    expect(internal.metadata).toEqual({ default: { 'server.address': 'cache', 'enduser.id': 'bob' } });
    expect(internal.user).toBeUndefined();
    const remote = translate(span({ kind: SpanKind.Client, spanId: 'dddddddddddddddd', parentSpanId: ROOT_ID, attributes: attrs({ 'server.address': 'cache', 'server.port': 6379, 'db.system': 'redis' }) }));
    expect(remote).toMatchObject({ name: 'cache', metadata: { default: { 'db.system': 'redis' } } });
    expect(remote.metadata?.['default']).not.toHaveProperty('server.port');
  });
});

describe('span links', () => {
  const PRODUCER_TRACE = '6553f0ffb006649127e371903a2de979';
  const consumer = (links: OtlpLink[]) => span({ kind: SpanKind.Consumer, name: 'jobs process', links });

  test('become links with the trace id in X-Ray form, the attributes as they are, none when the span has none', () => {
    const document = translate(consumer([
      { traceId: PRODUCER_TRACE, spanId: 'eeeeeeeeeeeeeeee', attributes: attrs({}) },
      { traceId: TRACE_ID, spanId: 'ffffffffffffffff', attributes: attrs({ 'messaging.message.id': 'm-1', attempt: 2, first: true, big: '9007199254740993', tags: ['a', 1], kv: { k: 'v' }, empty: null }) },
    ]));
    expect(document.links).toEqual([
      { trace_id: '1-6553f0ff-b006649127e371903a2de979', id: 'eeeeeeeeeeeeeeee' },
      { trace_id: '1-5759e988-bd862e3fe1be46a994272793', id: 'ffffffffffffffff', attributes: { 'messaging.message.id': 'm-1', attempt: 2, first: true, big: '9007199254740993', tags: ['a', 1], kv: { k: 'v' }, empty: null } },
    ]);
    expect(validateDocument(JSON.stringify(document)).ok).toBe(true);
    expect(translate(span())).not.toHaveProperty('links');
  });

  test('are kept on subsegments too, and their attributes are neither annotations nor metadata', () => {
    const link = { traceId: PRODUCER_TRACE, spanId: 'eeeeeeeeeeeeeeee', attributes: attrs({ 'order.id': 'o-9' }) };
    const document = translate(span({ kind: SpanKind.Internal, spanId: 'bbbbbbbbbbbbbbbb', parentSpanId: ROOT_ID, links: [link] }), { indexedAttributes: new Set(['order.id']) });
    expect(document).toMatchObject({ type: 'subsegment', links: [{ trace_id: '1-6553f0ff-b006649127e371903a2de979', id: 'eeeeeeeeeeeeeeee', attributes: { 'order.id': 'o-9' } }] });
    expect(document.annotations).toBeUndefined();
    expect(document.metadata).toBeUndefined();
    expect(validateDocument(JSON.stringify(document)).ok).toBe(true);
  });

  test.each([
    ['a short trace id', { traceId: 'abc' }, 'links[1].traceId "abc" is not 32 hex digits (16 bytes, not all zero)'],
    ['an all-zero trace id', { traceId: '0'.repeat(32) }, 'links[1].traceId "00000000000000000000000000000000" is not 32 hex digits (16 bytes, not all zero)'],
    ['no span id', { spanId: '' }, 'links[1].spanId "" is not 16 hex digits (8 bytes, not all zero)'],
  ] as const)('a link with %s rejects its span, naming the link', (_, overrides, message) => {
    const good = { traceId: PRODUCER_TRACE, spanId: 'eeeeeeeeeeeeeeee', attributes: attrs({}) };
    const { documents, rejected } = translateRequest(request([consumer([good, { ...good, ...overrides }])]));
    expect(documents).toEqual([]);
    expect(rejected.map((r) => r.message)).toEqual([`resourceSpans[0].scopeSpans[0].spans[0] ("jobs process"): ${message}`]);
  });

  // One consumer span with two links in each encoding: ids as hex text in JSON (any case), as bytes in protobuf.
  const consumerRequest = (id: (hex: string) => unknown) => ({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'worker' } }] },
      scopeSpans: [{
        spans: [{
          traceId: id(TRACE_ID),
          spanId: id(ROOT_ID),
          name: 'jobs process',
          kind: 5,
          startTimeUnixNano: '1700000000000000000',
          endTimeUnixNano: '1700000000500000000',
          links: [
            { traceId: id(PRODUCER_TRACE), spanId: id('eeeeeeeeeeeeeeee') },
            { traceId: id(TRACE_ID), spanId: id('ffffffffffffffff'), attributes: [{ key: 'attempt', value: { intValue: '2' } }, { key: 'ids', value: { arrayValue: { values: [{ stringValue: 'm-1' }] } } }] },
          ],
        }],
      }],
    }],
  });

  test.each([
    ['protobuf', () => decodeProtobufRequest(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(consumerRequest((hex) => Buffer.from(hex, 'hex')))).finish())],
    ['JSON', () => decodeJsonRequest(JSON.stringify(consumerRequest((hex) => hex.toUpperCase())))],
  ])('decoded from %s, a consumer span becomes a segment with its links', (_, decode) => {
    const { documents, rejected } = translateRequest(decode());
    expect(rejected).toEqual([]);
    expect(documents.map((d) => d.document)).toMatchObject([{ name: 'worker', id: ROOT_ID }]);
    expect(documents[0]?.document.links).toEqual([
      { trace_id: '1-6553f0ff-b006649127e371903a2de979', id: 'eeeeeeeeeeeeeeee' },
      { trace_id: '1-5759e988-bd862e3fe1be46a994272793', id: 'ffffffffffffffff', attributes: { attempt: 2, ids: ['m-1'] } },
    ]);
  });
});
