/**
 * `application/json` bodies, the OTLP JSON encoding: protobuf's JSON mapping with lowerCamelCase
 * keys (the proto's snake_case names are accepted too), trace and span ids as hex instead of base64,
 * 64-bit integers as decimal strings or numbers, enums as integers (or their names). A value of the
 * wrong JSON type is an OtlpDecodeError naming its path; an id that is a string but not valid hex
 * is left for the translator to reject span by span.
 */
import type { AttributeValue, Attributes, OtlpEvent, OtlpLink, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan, OtlpTraceRequest } from './model.ts';
import { MAX_VALUE_DEPTH, OtlpDecodeError } from './model.ts';
import { int64 } from './decode-protobuf.ts';
import { isRecord } from '../model/json.ts';

type Json = Readonly<Record<string, unknown>>;

const KIND_NAMES: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_NAMES: Readonly<Record<string, number>> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

export function decodeJsonRequest(text: string): OtlpTraceRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`body is not valid JSON: ${(error as Error).message}`);
  }
  const root = object(parsed, 'body');
  return { resourceSpans: list(root, 'resourceSpans', 'resource_spans', '').map((rs, i) => resourceSpans(rs, `resourceSpans[${i}]`)) };
}

function resourceSpans(value: unknown, path: string): OtlpResourceSpans {
  const rs = object(value, path);
  const resource = optional(rs, 'resource', 'resource');
  return {
    resource: resource === undefined ? new Map() : attributes(object(resource, `${path}.resource`), `${path}.resource`),
    scopeSpans: list(rs, 'scopeSpans', 'scope_spans', path).map((ss, i) => scopeSpans(ss, `${path}.scopeSpans[${i}]`)),
  };
}

function scopeSpans(value: unknown, path: string): OtlpScopeSpans {
  const ss = object(value, path);
  const scopeValue = optional(ss, 'scope', 'scope');
  const scope = scopeValue === undefined ? {} : object(scopeValue, `${path}.scope`);
  return {
    scope: { name: string(scope, 'name', 'name', `${path}.scope`), version: string(scope, 'version', 'version', `${path}.scope`) },
    spans: list(ss, 'spans', 'spans', path).map((s, i) => span(s, `${path}.spans[${i}]`)),
  };
}

function span(value: unknown, path: string): OtlpSpan {
  const s = object(value, path);
  const statusValue = optional(s, 'status', 'status');
  const status = statusValue === undefined ? {} : object(statusValue, `${path}.status`);
  return {
    traceId: string(s, 'traceId', 'trace_id', path).toLowerCase(),
    spanId: string(s, 'spanId', 'span_id', path).toLowerCase(),
    parentSpanId: string(s, 'parentSpanId', 'parent_span_id', path).toLowerCase(),
    name: string(s, 'name', 'name', path),
    kind: enumeration(s, 'kind', 'kind', path, KIND_NAMES),
    startTimeUnixNano: uint64(s, 'startTimeUnixNano', 'start_time_unix_nano', path),
    endTimeUnixNano: uint64(s, 'endTimeUnixNano', 'end_time_unix_nano', path),
    attributes: attributes(s, path),
    events: list(s, 'events', 'events', path).map((e, i): OtlpEvent => {
      const at = `${path}.events[${i}]`;
      const event = object(e, at);
      return { timeUnixNano: uint64(event, 'timeUnixNano', 'time_unix_nano', at), name: string(event, 'name', 'name', at), attributes: attributes(event, at) };
    }),
    links: list(s, 'links', 'links', path).map((l, i): OtlpLink => {
      const at = `${path}.links[${i}]`;
      const link = object(l, at);
      return { traceId: string(link, 'traceId', 'trace_id', at).toLowerCase(), spanId: string(link, 'spanId', 'span_id', at).toLowerCase(), attributes: attributes(link, at) };
    }),
    status: { code: enumeration(status, 'code', 'code', `${path}.status`, STATUS_NAMES), message: string(status, 'message', 'message', `${path}.status`) },
  };
}

/** The `attributes` list of KeyValue objects on `owner`. */
function attributes(owner: Json, path: string): Attributes {
  return keyValues(list(owner, 'attributes', 'attributes', path), `${path}.attributes`);
}

function keyValues(items: unknown[], path: string, depth = 0): Attributes {
  const map = new Map<string, AttributeValue>();
  items.forEach((item, i) => {
    const at = `${path}[${i}]`;
    const kv = object(item, at);
    const v = optional(kv, 'value', 'value');
    map.set(string(kv, 'key', 'key', at), v === undefined ? null : anyValue(v, `${at}.value`, depth));
  });
  return map;
}

function anyValue(value: unknown, path: string, depth: number): AttributeValue {
  if (depth > MAX_VALUE_DEPTH) {
    // Named by the attribute's own value, not the path down to the level that is one too many.
    const attribute = path.replace(/(\.value)\.(?:arrayValue|kvlistValue)\..*$/, '$1');
    throw new OtlpDecodeError(`${attribute} nests arrays or key-value lists more than ${MAX_VALUE_DEPTH} levels deep`);
  }
  const v = object(value, path);
  if (has(v, 'stringValue', 'string_value')) return string(v, 'stringValue', 'string_value', path);
  if (has(v, 'boolValue', 'bool_value')) {
    const b = optional(v, 'boolValue', 'bool_value');
    if (typeof b !== 'boolean') throw wrongType(`${path}.boolValue`, 'a boolean', b);
    return b;
  }
  if (has(v, 'intValue', 'int_value')) return int64(integerText(optional(v, 'intValue', 'int_value'), `${path}.intValue`, true));
  if (has(v, 'doubleValue', 'double_value')) {
    const d = optional(v, 'doubleValue', 'double_value');
    if (typeof d === 'number') return d;
    // The JSON mapping writes NaN and the infinities as strings.
    if (typeof d === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(d)) return d;
    throw wrongType(`${path}.doubleValue`, 'a number', d);
  }
  if (has(v, 'arrayValue', 'array_value')) {
    const array = object(optional(v, 'arrayValue', 'array_value'), `${path}.arrayValue`);
    return list(array, 'values', 'values', `${path}.arrayValue`).map((item, i) => anyValue(item, `${path}.arrayValue.values[${i}]`, depth + 1));
  }
  if (has(v, 'kvlistValue', 'kvlist_value')) {
    const kvlist = object(optional(v, 'kvlistValue', 'kvlist_value'), `${path}.kvlistValue`);
    return Object.fromEntries(keyValues(list(kvlist, 'values', 'values', `${path}.kvlistValue`), `${path}.kvlistValue.values`, depth + 1));
  }
  if (has(v, 'bytesValue', 'bytes_value')) return string(v, 'bytesValue', 'bytes_value', path);
  return null;
}

function object(value: unknown, path: string): Json {
  if (!isRecord(value)) throw wrongType(path, 'an object', value);
  return value as Json;
}

function has(owner: Json, camel: string, snake: string): boolean {
  return optional(owner, camel, snake) !== undefined;
}

/** A field by its JSON name or its proto name; null counts as absent, as in protobuf's JSON mapping. */
function optional(owner: Json, camel: string, snake: string): unknown {
  const value = owner[camel] ?? owner[snake];
  return value === null ? undefined : value;
}

function list(owner: Json, camel: string, snake: string, path: string): unknown[] {
  const value = optional(owner, camel, snake);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw wrongType(join(path, camel), 'an array', value);
  return value;
}

function string(owner: Json, camel: string, snake: string, path: string): string {
  const value = optional(owner, camel, snake);
  if (value === undefined) return '';
  if (typeof value !== 'string') throw wrongType(join(path, camel), 'a string', value);
  return value;
}

function enumeration(owner: Json, camel: string, snake: string, path: string, names: Readonly<Record<string, number>>): number {
  const value = optional(owner, camel, snake);
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && names[value] !== undefined) return names[value];
  throw wrongType(join(path, camel), `an integer or one of ${Object.keys(names).join(', ')}`, value);
}

function uint64(owner: Json, camel: string, snake: string, path: string): bigint {
  const value = optional(owner, camel, snake);
  return value === undefined ? 0n : BigInt(integerText(value, join(path, camel), false));
}

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const UINT64 = { min: 0n, max: 2n ** 64n - 1n };

/** A 64-bit integer as the JSON mapping allows it: decimal text or a JSON number, within int64 or uint64. */
function integerText(value: unknown, path: string, signed: boolean): string {
  const pattern = signed ? /^-?\d{1,20}$/ : /^\d{1,20}$/;
  const range = signed ? INT64 : UINT64;
  const integer = typeof value === 'number' && Number.isInteger(value) ? BigInt(value)
    : typeof value === 'string' && pattern.test(value) ? BigInt(value)
    : undefined;
  if (integer !== undefined && integer >= range.min && integer <= range.max) return integer.toString();
  throw wrongType(path, `${signed ? 'a' : 'a non-negative'} 64-bit integer (a number or decimal string)`, value);
}

function wrongType(path: string, expected: string, value: unknown): OtlpDecodeError {
  return new OtlpDecodeError(`${path} must be ${expected}, got ${describe(value)}`);
}

function join(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value) : String(value);
  return `${typeof value} ${text}`;
}
