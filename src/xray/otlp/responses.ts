/**
 * OTLP/HTTP answers in the encoding of the request: an ExportTraceServiceResponse on success
 * (with `partialSuccess` when spans were rejected), a google.rpc.Status on failure.
 */
import type { HttpResponse } from '../http/router.ts';
import { ExportTraceServiceResponse, RpcStatus } from './schema.ts';

export type Encoding = 'protobuf' | 'json';

const CONTENT_TYPE: Readonly<Record<Encoding, string>> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/**
 * google.rpc.Code values for the statuses we answer with. 429 and 503 are OTLP/HTTP's retryable
 * answers (the store is behind, a write failed): RESOURCE_EXHAUSTED and UNAVAILABLE.
 */
const RPC_CODE: Readonly<Record<number, number>> = { 400: 3, 403: 7, 404: 12, 405: 12, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

export function exportResponse(encoding: Encoding, rejectedSpans: number, errorMessage: string): HttpResponse {
  const partial = rejectedSpans > 0 ? { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } } : {};
  return encode(200, encoding, ExportTraceServiceResponse, partial);
}

export function statusResponse(status: number, encoding: Encoding, message: string, headers: Readonly<Record<string, string>> = {}): HttpResponse {
  const response = encode(status, encoding, RpcStatus, { code: RPC_CODE[status] ?? 2, message });
  return { ...response, headers: { ...response.headers, ...headers } };
}

function encode(status: number, encoding: Encoding, type: typeof RpcStatus, value: Record<string, unknown>): HttpResponse {
  // int64 is a decimal string in protobuf's JSON mapping, which OTLP JSON follows.
  const body = encoding === 'json' ? JSON.stringify(value) : Buffer.from(type.encode(type.fromObject(value)).finish());
  return { status, headers: { 'content-type': CONTENT_TYPE[encoding] }, body };
}

/** The encoding a request asked for by its content type; JSON when it named neither. */
export function responseEncoding(contentType: string | undefined): Encoding {
  return mediaType(contentType) === CONTENT_TYPE.protobuf ? 'protobuf' : 'json';
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
