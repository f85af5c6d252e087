/**
 * The CloudWatch metrics API on the local AWS endpoint, signing name `monitoring`, in the two
 * protocols today's clients send: JSON 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`,
 * the AWS SDK for JavaScript v3) and Smithy RPC v2 CBOR (`POST /service/GraniteServiceVersion20100801/operation/<Op>`,
 * botocore and so the AWS CLI). Both are query-compatible: errors carry `x-amzn-query-error`.
 */
import { gunzipSync } from 'node:zlib';
import { cbor, dateToTag } from '@smithy/core/cbor';
import type { JsonProtocol } from '../protocol/json-protocol.ts';
import { JSON_1_0, parseJsonObject, renderJsonError, targetOperation, unknownOperation } from '../protocol/json-protocol.ts';
import type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest } from '../protocol/service.ts';
import { AwsError } from '../protocol/errors.ts';
import { asCloudWatchError, CLOUDWATCH_NAMESPACE, cloudWatchErrors } from './cloudwatch-errors.ts';
import type { MetricStore } from './metric-store.ts';
import { getMetricData, getMetricStatistics, listMetrics } from './metric-queries.ts';
import { readPutMetricData } from './put-metric-data.ts';
import { WireInput } from './wire-input.ts';

const TARGET = 'GraniteServiceVersion20100801';
const PROTOCOL: JsonProtocol = { target: TARGET, namespace: CLOUDWATCH_NAMESPACE, queryCompatible: true };
const CBOR_PATH = `/service/${TARGET}/operation/`;
const CBOR = 'application/cbor';
/** A PutMetricData request is at most 1 MB. */
const MAX_PUT_BYTES = 1024 * 1024;

type Operation = (input: WireInput, request: EndpointRequest) => unknown;

export interface CloudWatchApiOptions {
  readonly store: MetricStore;
  readonly clock?: { nowMs(): number };
}

function isCbor(request: EndpointRequest): boolean {
  return request.method === 'POST' && request.path.startsWith(CBOR_PATH);
}

export class CloudWatchApi implements AwsProtocolService {
  readonly name = 'CloudWatch';
  readonly signingName = 'monitoring';
  private readonly operations: Readonly<Record<string, Operation>>;

  constructor(options: CloudWatchApiOptions) {
    const { store } = options;
    const now = (): number => (options.clock ?? { nowMs: () => Date.now() }).nowMs();
    this.operations = {
      PutMetricData: (input, request) => {
        if (request.body.length > MAX_PUT_BYTES) throw new AwsError('RequestEntityTooLarge', `Request size ${request.body.length} exceeded ${MAX_PUT_BYTES} bytes`, { status: 413 });
        store.put(readPutMetricData(input, now()));
        return {};
      },
      ListMetrics: (input) => listMetrics(store, input, now()),
      GetMetricStatistics: (input) => getMetricStatistics(store, input),
      GetMetricData: (input) => getMetricData(store, input),
    };
  }

  accepts(request: EndpointRequest): boolean {
    return isCbor(request) || targetOperation(request, PROTOCOL) !== undefined;
  }

  parse(request: EndpointRequest): AwsCall {
    const cborRequest = isCbor(request);
    const operation = cborRequest ? request.path.slice(CBOR_PATH.length) : (targetOperation(request, PROTOCOL) ?? '');
    const run = Object.hasOwn(this.operations, operation) ? this.operations[operation] : undefined;
    if (run === undefined) throw unknownOperation(operation, 'CloudWatch (the local cloud serves PutMetricData, ListMetrics, GetMetricStatistics and GetMetricData)');
    const plain = { ...request, body: decompressed(request) };
    const body = cborRequest ? decodeCbor(plain.body) : parseJsonObject(plain);
    const input = new WireInput(body);
    return {
      operation,
      permissions: [{ action: `cloudwatch:${operation}`, resourceArn: '*' }],
      run: async (): Promise<EndpointReply> => {
        const output = run(input, plain);
        return cborRequest
          ? { status: 200, headers: { 'content-type': CBOR, 'smithy-protocol': 'rpc-v2-cbor' }, body: Buffer.from(cbor.serialize(convertDates(output, dateToTag))) }
          : { status: 200, headers: { 'content-type': JSON_1_0 }, body: JSON.stringify(convertDates(output, (date) => date.getTime() / 1000)) };
      },
    };
  }

  renderError(error: AwsError, request: EndpointRequest): EndpointReply {
    const shaped = asCloudWatchError(error);
    if (!isCbor(request)) return renderJsonError(shaped, PROTOCOL);
    return {
      status: shaped.status,
      headers: { 'content-type': CBOR, 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-query-error': `${shaped.queryCode};${shaped.side}` },
      body: Buffer.from(cbor.serialize({ __type: `${shaped.namespace ?? CLOUDWATCH_NAMESPACE}#${shaped.code}`, message: shaped.message })),
    };
  }

  accessDenied(message: string): AwsError {
    return cloudWatchErrors.accessDenied(message);
  }
}

/** The SDKs gzip a PutMetricData body over 10 KB (request compression, `Content-Encoding: gzip`). */
function decompressed(request: EndpointRequest): Buffer {
  const encoding = String(request.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return request.body;
  if (encoding !== 'gzip') throw new AwsError('UnsupportedContentEncoding', `Content-Encoding ${encoding} is not supported; send gzip or none.`);
  try {
    return gunzipSync(request.body, { maxOutputLength: 4 * MAX_PUT_BYTES });
  } catch (error) {
    throw new AwsError('SerializationException', `The gzip-encoded request body cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function decodeCbor(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = cbor.deserialize(new Uint8Array(body.buffer, body.byteOffset, body.length));
  } catch (error) {
    throw new AwsError('SerializationException', `The request body is not valid CBOR: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AwsError('SerializationException', 'The request body must be a CBOR map.');
  return value as Record<string, unknown>;
}

/** Timestamps as the protocol writes them: epoch seconds in JSON, CBOR tag 1 in CBOR. */
function convertDates(value: unknown, convert: (date: Date) => unknown): unknown {
  if (value instanceof Date) return convert(value);
  if (Array.isArray(value)) return value.map((item) => convertDates(item, convert));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertDates(v, convert)]));
  return value;
}
