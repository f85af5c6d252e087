/**
 * An OTLP trace export request as the receiver reads it, whichever encoding it came in
 * (protobuf or OTLP JSON). Ids are lowercase hex, times are nanoseconds since the epoch as
 * bigint (int64 does not fit a double), attribute values are plain JSON-like values.
 * The translator reads only this shape, never the protobuf library's.
 */

export type AttributeValue = string | number | boolean | null | readonly AttributeValue[] | { readonly [key: string]: AttributeValue };

export type Attributes = ReadonlyMap<string, AttributeValue>;

/** OTLP's Span.SpanKind numbers. */
export const SpanKind = {
  Unspecified: 0,
  Internal: 1,
  Server: 2,
  Client: 3,
  Producer: 4,
  Consumer: 5,
} as const;

/** OTLP's Status.StatusCode numbers. */
export const StatusCode = { Unset: 0, Ok: 1, Error: 2 } as const;

export interface OtlpEvent {
  readonly timeUnixNano: bigint;
  readonly name: string;
  readonly attributes: Attributes;
}

/** A span link: a span in this or another trace that this one follows from (a message's producer). */
export interface OtlpLink {
  /** Hex as received; the translator checks it. */
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Attributes;
}

export interface OtlpSpan {
  /** Hex as received; the translator checks it is 32 digits. */
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Attributes;
  readonly events: readonly OtlpEvent[];
  readonly links: readonly OtlpLink[];
  readonly status: { readonly code: number; readonly message: string };
}

export interface OtlpScopeSpans {
  readonly scope: { readonly name: string; readonly version: string };
  readonly spans: readonly OtlpSpan[];
}

export interface OtlpResourceSpans {
  readonly resource: Attributes;
  readonly scopeSpans: readonly OtlpScopeSpans[];
}

export interface OtlpTraceRequest {
  readonly resourceSpans: readonly OtlpResourceSpans[];
}

/** Arrays and key-value lists inside an attribute value may nest this deep; deeper is refused, not a stack overflow. */
export const MAX_VALUE_DEPTH = 32;

/** The body could not be read as an export request; the message says where and why. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}
