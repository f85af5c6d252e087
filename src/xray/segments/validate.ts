/**
 * Checks one segment document (the JSON after the daemon header line) and pulls out the fields the
 * store indexes. It refuses only what X-Ray refuses, plus the bounds that keep this process safe:
 *
 * - the required fields of PutTraceSegments and the developer guide: `name`, `id`, `trace_id`,
 *   `start_time`, and `end_time` or `in_progress: true`; for a subsegment sent on its own
 *   (`type: "subsegment"`) also `parent_id`; nested subsegments need `name`, `id`, `start_time` and
 *   `end_time` or `in_progress`;
 * - the formats of ids (16 hex digits) and trace ids (`1-<8 hex>-<24 hex>`), and segment names of 1
 *   to 200 characters without any of `? ; * ( ) ! $ ~ ^ < >`. The guide lists the characters names
 *   may hold, but SDKs write others: the OpenTelemetry exporter keeps commas (its
 *   reInvalidSpanCharacters, translator/segment.go) and names services from resource attributes as
 *   they are; the Python SDK strips exactly those ten characters (_common_invalid_name_characters,
 *   core/models/entity.py) and sends the rest. Subsegment names, which carry routes and span names,
 *   only get the length limit;
 * - `subsegments` as an array of objects, at most MAX_SUBSEGMENT_DEPTH levels deep;
 * - `links` (span links, which connect traces) as objects with a trace id and an id;
 * - reliability bounds: 64 KB, objects and arrays at most MAX_NESTING_DEPTH levels deep (checked
 *   first, before anything walks the value), times as finite epoch seconds in (0, MAX_EPOCH_SECONDS),
 *   and finite numbers where a number feeds arithmetic or SQL (http.response.status and
 *   content_length, annotation values).
 *
 * Everything else is kept exactly as sent, unexpected types included: the Python SDK's
 * `namespace: "local"`, the developer guide's `content_length: -1`, lengths written as strings or
 * null, flags written as strings, annotation keys the filter language cannot name. The readers
 * (summaries, the map) use the documented values and ignore the rest (see fields.ts). The corpus in
 * test/xray/segments/fixtures/sdk-corpus holds documents as each SDK writes them.
 *
 * X-Ray does not publish the values of `UnprocessedTraceSegments[].ErrorCode`, so these codes are
 * ours and stable:
 * - `InvalidJson`: the text is not JSON, or not a JSON object.
 * - `DocumentTooLarge`: more than 64 KB (65,536 bytes of UTF-8).
 * - `MissingField`: a required field is absent.
 * - `InvalidField`: a field has the wrong type, format or value, or the document nests too deep.
 * Messages start with the field's path, e.g. `subsegments[2].id "xyz" is not 16 lowercase hex digits`,
 * and quote values only through the bounded previewSegmentValue.
 *
 * Choices where the guide is silent: ids and trace ids must be lowercase hex (as every SDK writes
 * them, and ids are compared as text).
 */
import type { SegmentRecord } from '../model/trace.ts';
import { describeSegmentValue as describe, previewSegmentValue as show } from './preview.ts';
import { isRecord, type JsonObject } from '../model/json.ts';

export type ValidationResult =
  | { ok: true; record: SegmentRecord }
  | { ok: false; id: string | undefined; errorCode: string; message: string };

export const MAX_DOCUMENT_BYTES = 64 * 1024;
export const MAX_SUBSEGMENT_DEPTH = 100;
/**
 * Objects and arrays in one document, counting the document itself. Assembling a trace writes
 * documents back out with JSON.stringify, and summaries walk them, both recursively: thousands of
 * levels would overflow the stack. This leaves room for the 100 levels of subsegments.
 */
export const MAX_NESTING_DEPTH = 512;
/**
 * Times are epoch seconds above 0 and before 2100-01-01T00:00:00Z. X-Ray documents no bound; this
 * one keeps every time, even in microseconds, below 2^53 for the arithmetic and SQL downstream
 * (durations, minute buckets, retention), and refuses nonsense such as 1e300 that would otherwise
 * sit in the store forever and break the reads over its range.
 */
export const MAX_EPOCH_SECONDS = 4_102_444_800;

export const ErrorCodes = {
  InvalidJson: 'InvalidJson',
  DocumentTooLarge: 'DocumentTooLarge',
  MissingField: 'MissingField',
  InvalidField: 'InvalidField',
} as const;

const ID = /^[0-9a-f]{16}$/;
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
// What the Python SDK strips from names before sending them.
const INVALID_NAME_CHARACTER = /[?;*()!$~^<>]/;
const MAX_NAME_CHARS = 200;

class Invalid extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = JsonObject;

export function validateDocument(text: string): ValidationResult {
  // Each UTF-16 unit is at most 3 UTF-8 bytes, so short texts need no exact count.
  if (text.length * 3 > MAX_DOCUMENT_BYTES) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_DOCUMENT_BYTES) return tooLarge(idOf(tryParse(text)), bytes);
  }
  let parsed: unknown;
  try {
    // JSON.parse is iterative: any nesting parses without recursion.
    parsed = JSON.parse(text);
  } catch (error) {
    // V8 quotes the text around the error; keep the message short whatever the document.
    return fail(undefined, ErrorCodes.InvalidJson, `document is not valid JSON: ${clipText((error as Error).message, 200)}`);
  }
  if (!isRecord(parsed)) {
    return fail(undefined, ErrorCodes.InvalidJson, `document must be a JSON object, got ${describe(parsed)}`);
  }
  return checkDocument(parsed, text, text.length > 2 * MAX_NESTING_DEPTH);
}

/**
 * The same checks for a document built in memory (the OTLP translation's), without a round trip
 * through text: the record keeps `JSON.stringify(document)`, our own serialization. Every bound
 * applies to the object as it stands: nesting is checked before anything walks or serializes it
 * (JSON.stringify recurses), and a non-finite number where one must be finite is refused, where
 * in text it would have become null.
 */
export function validateParsedDocument(document: object): ValidationResult {
  if (!isRecord(document)) {
    return fail(undefined, ErrorCodes.InvalidJson, `document must be a JSON object, got ${describe(document)}`);
  }
  try {
    checkNesting(document);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    // As for text, a document too large is refused as such first, when it can be serialized at all.
    const bytes = serializedBytes(document);
    return bytes !== undefined && bytes > MAX_DOCUMENT_BYTES
      ? tooLarge(idOf(document), bytes)
      : fail(idOf(document), error.code, error.message);
  }
  const text = JSON.stringify(document);
  if (text.length * 3 > MAX_DOCUMENT_BYTES) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_DOCUMENT_BYTES) return tooLarge(idOf(document), bytes);
  }
  return checkDocument(document, text, false);
}

/** `doc` is `text` parsed; `checkDepth` unless its nesting is known to be within bounds. */
function checkDocument(doc: Json, text: string, checkDepth: boolean): ValidationResult {
  try {
    // Before anything else reads a value: every check below may then recurse safely.
    if (checkDepth) checkNesting(doc);
    return { ok: true, record: checkTopLevel(doc, text) };
  } catch (error) {
    if (error instanceof Invalid) return fail(idOf(doc), error.code, error.message);
    throw error;
  }
}

function tooLarge(id: string | undefined, bytes: number): ValidationResult {
  return fail(id, ErrorCodes.DocumentTooLarge, `document is ${bytes} bytes; the limit is ${MAX_DOCUMENT_BYTES} bytes (64 KB)`);
}

function serializedBytes(document: object): number | undefined {
  try {
    return Buffer.byteLength(JSON.stringify(document), 'utf8');
  } catch {
    return undefined;
  }
}

function checkTopLevel(doc: Json, text: string): SegmentRecord {
  // Only "subsegment" means anything; any other value is kept and the document is a segment.
  const isSubsegment = doc['type'] === 'subsegment';
  const traceId = requireString(doc, 'trace_id', '');
  if (!TRACE_ID.test(traceId)) {
    throw invalid('trace_id', `${show(traceId)} is not of the form 1-<8 hex>-<24 hex>`);
  }
  if (isSubsegment && doc['parent_id'] === undefined) {
    throw new Invalid(ErrorCodes.MissingField, 'parent_id is required on a subsegment sent on its own (type "subsegment")');
  }
  const { id, name, startTime, endTime } = checkEntity(doc, '', 0, !isSubsegment);
  return {
    traceId,
    id,
    parentId: doc['parent_id'] as string | undefined,
    type: isSubsegment ? 'subsegment' : 'segment',
    name,
    startTime,
    endTime,
    inProgress: endTime === undefined,
    document: text,
  };
}

interface EntityCore {
  readonly id: string;
  readonly name: string;
  readonly startTime: number;
  /** Undefined while in progress (`in_progress: true`), even when an end_time was sent. */
  readonly endTime: number | undefined;
}

/** Checks what segments and subsegments share, then recurses into `subsegments`. */
function checkEntity(doc: Json, prefix: string, depth: number, isSegment = false): EntityCore {
  const id = requireString(doc, 'id', prefix);
  if (!ID.test(id)) throw invalid(prefix + 'id', `${show(id)} is not 16 lowercase hex digits`);

  const name = requireString(doc, 'name', prefix);
  const chars = [...name].length;
  if (chars === 0 || chars > MAX_NAME_CHARS) {
    throw invalid(prefix + 'name', `${show(name)} must be 1 to ${MAX_NAME_CHARS} characters, got ${chars}`);
  }
  if (isSegment && INVALID_NAME_CHARACTER.test(name)) {
    throw invalid(prefix + 'name', `${show(name)} may not hold any of ? ; * ( ) ! $ ~ ^ < >`);
  }

  if (prefix !== '' && doc['trace_id'] !== undefined) {
    const traceId = doc['trace_id'];
    if (typeof traceId !== 'string' || !TRACE_ID.test(traceId)) {
      throw invalid(prefix + 'trace_id', `${show(traceId)} is not of the form 1-<8 hex>-<24 hex>`);
    }
  }
  if (doc['parent_id'] !== undefined) checkId(doc['parent_id'], prefix + 'parent_id');

  const start = requireTime(doc, 'start_time', prefix);
  const inProgress = doc['in_progress'] === true;
  let end: number | undefined;
  if (doc['end_time'] === undefined) {
    if (!inProgress) {
      throw missing(prefix, 'end_time', ` unless ${clipPath(prefix + 'in_progress')} is true`);
    }
  } else {
    end = requireTime(doc, 'end_time', prefix);
    if (end < start) throw invalid(prefix + 'end_time', `(${end}) is before start_time (${start})`);
  }

  if (doc['links'] !== undefined) checkLinks(doc['links'], prefix + 'links');
  checkHttpNumbers(doc['http'], prefix + 'http');
  checkAnnotationNumbers(doc['annotations'], prefix + 'annotations');

  const subsegments = doc['subsegments'];
  if (subsegments !== undefined) {
    if (!Array.isArray(subsegments)) {
      throw invalid(prefix + 'subsegments', `must be an array, got ${describe(subsegments)}`);
    }
    if (subsegments.length > 0 && depth + 1 > MAX_SUBSEGMENT_DEPTH) {
      throw invalid(prefix + 'subsegments', `nest more than ${MAX_SUBSEGMENT_DEPTH} levels deep`);
    }
    subsegments.forEach((child: unknown, i) => {
      const path = `${prefix}subsegments[${i}]`;
      if (!isRecord(child)) throw invalid(path, `must be an object, got ${describe(child)}`);
      checkEntity(child, path + '.', depth + 1);
    });
  }
  return { id, name, startTime: start, endTime: inProgress ? undefined : end };
}

/** Walks the parsed document without recursion; fails naming where it first goes too deep. */
function checkNesting(doc: Json): void {
  interface Frame { readonly value: unknown; readonly depth: number; readonly key: string | number | undefined; readonly parent: Frame | undefined }
  const stack: Frame[] = [{ value: doc, depth: 1, key: undefined, parent: undefined }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { value, depth } = frame;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_NESTING_DEPTH) throw invalid(pathOf(frame), `nests objects and arrays more than ${MAX_NESTING_DEPTH} levels deep`);
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
    for (const [key, item] of entries) {
      if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: depth + 1, key, parent: frame });
    }
  }
  function pathOf(frame: Frame): string {
    const keys: Array<string | number> = [];
    for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) keys.unshift(at.key);
    const shown = keys.slice(0, 4).map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? clipKey(key) : `.${clipKey(key)}`)).join('');
    return keys.length > 4 ? `${shown}...` : shown;
  }
}

/**
 * Span links, as AWS's OpenTelemetry exporter writes them: `{ trace_id, id, attributes? }`. Their
 * ids connect traces, so they get the formats of ids and trace ids.
 */
function checkLinks(value: unknown, path: string): void {
  if (!Array.isArray(value)) throw invalid(path, `must be an array, got ${describe(value)}`);
  value.forEach((item: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(item)) throw invalid(at, `must be an object, got ${describe(item)}`);
    const traceId = requireString(item, 'trace_id', at + '.');
    if (!TRACE_ID.test(traceId)) throw invalid(at + '.trace_id', `${show(traceId)} is not of the form 1-<8 hex>-<24 hex>`);
    checkId(requireString(item, 'id', at + '.'), at + '.id');
    if (item['attributes'] !== undefined && !isRecord(item['attributes'])) {
      throw invalid(at + '.attributes', `must be an object, got ${describe(item['attributes'])}`);
    }
  });
}

/**
 * http.response.status and content_length are kept whatever their type (older patchers write
 * lengths as strings; the guide's own example has content_length -1), but a number there must be
 * finite: JSON like 1e400 parses to Infinity, which the status arithmetic and SQL cannot use.
 */
function checkHttpNumbers(http: unknown, path: string): void {
  if (!isRecord(http) || !isRecord(http['response'])) return;
  for (const field of ['status', 'content_length'] as const) {
    const value = http['response'][field];
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw invalid(`${path}.response.${field}`, `${show(value)} must be a finite number`);
    }
  }
}

/** Annotation numbers are indexed in SQL and compared in filters: they must be finite doubles. */
function checkAnnotationNumbers(annotations: unknown, path: string): void {
  if (!isRecord(annotations)) return;
  for (const key in annotations) {
    const value = annotations[key];
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw invalid(`${path}.${clipKey(key)}`, `${show(value)} must be a finite number`);
    }
  }
}

function requireString(doc: Json, field: string, prefix: string): string {
  const value = doc[field];
  if (value === undefined) throw missing(prefix, field);
  if (typeof value !== 'string') throw invalid(prefix + field, `must be a string, got ${describe(value)}`);
  return value;
}

function requireTime(doc: Json, field: string, prefix: string): number {
  const value = doc[field];
  if (value === undefined) throw missing(prefix, field);
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= MAX_EPOCH_SECONDS) {
    throw invalid(prefix + field, `${show(value)} must be a number of epoch seconds above 0 and before `
      + `${MAX_EPOCH_SECONDS} (2100-01-01T00:00:00Z), e.g. 1480615200.010`);
  }
  return value;
}

function checkId(value: unknown, path: string): void {
  if (typeof value !== 'string' || !ID.test(value)) throw invalid(path, `${show(value)} is not 16 lowercase hex digits`);
}

function invalid(path: string, problem: string): Invalid {
  return new Invalid(ErrorCodes.InvalidField, `${clipPath(path)} ${problem}`);
}

function missing(prefix: string, field: string, unless = ''): Invalid {
  return new Invalid(ErrorCodes.MissingField, `${clipPath(prefix + field)} is required${unless}`);
}

/** A path 100 subsegments deep is 1,700 characters: keep its start and its end. */
function clipPath(path: string): string {
  return path.length > 160 ? `${path.slice(0, 60)}...${path.slice(-90)}` : path;
}

function clipText(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars - 3)}...` : text;
}

function fail(id: string | undefined, errorCode: string, message: string): ValidationResult {
  return { ok: false, id, errorCode, message };
}

/** Keys are untrusted too: a 60 KB key must not make a 60 KB message. */
function clipKey(key: string): string {
  return clipText(key, 40);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function idOf(doc: unknown): string | undefined {
  return isRecord(doc) && typeof doc['id'] === 'string' ? doc['id'].slice(0, 64) : undefined;
}
