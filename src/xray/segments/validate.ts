/**
 * Checks one segment document (the JSON after the daemon header line) against the X-Ray segment
 * document schema and pulls out the fields the store indexes.
 *
 * X-Ray does not publish the values of `UnprocessedTraceSegments[].ErrorCode`, so these codes are
 * ours and stable:
 * - `InvalidJson`: the text is not JSON, or not a JSON object.
 * - `DocumentTooLarge`: more than 64 KB (65,536 bytes of UTF-8).
 * - `MissingField`: a required field is absent (`id`, `name`, `start_time`, `end_time` or
 *   `in_progress`, `trace_id`, `parent_id` on a subsegment sent on its own, and a link's `trace_id`
 *   and `id`).
 * - `InvalidField`: a field has the wrong type, format or value.
 * Messages start with the field's path, e.g. `subsegments[2].id "xyz" is not 16 lowercase hex digits`.
 *
 * Choices where the guide is silent: ids and trace ids must be lowercase hex (as every SDK writes
 * them, and ids are compared as text); subsegments may nest at most 100 levels deep, which keeps the
 * recursion bounded, and objects and arrays at most 512 levels (MAX_NESTING_DEPTH).
 *
 * Names: the developer guide's character rule (Unicode letters, numbers, whitespace and
 * `_ . : / % & # = + \ - @`) is for segment names, which name services on the map. Subsegment names,
 * nested or sent on their own, only get the length limit: they carry routes (`GET /{id}`) and
 * OpenTelemetry span names.
 */
import { preview } from '../../common/preview.ts';
import type { SegmentRecord } from '../store/types.ts';
import type { SegmentDocument } from './document.ts';

export type ValidationResult =
  | { ok: true; record: SegmentRecord }
  | { ok: false; id: string | undefined; errorCode: string; message: string };

export const MAX_DOCUMENT_BYTES = 64 * 1024;
export const MAX_SUBSEGMENT_DEPTH = 100;
/**
 * Objects and arrays in one document, counting the document itself. Assembling a trace writes
 * documents back out with JSON.stringify, which recurses: thousands of levels would overflow the
 * stack and make the whole trace unreadable. This leaves room for the 100 levels of subsegments.
 */
export const MAX_NESTING_DEPTH = 512;

export const ErrorCodes = {
  InvalidJson: 'InvalidJson',
  DocumentTooLarge: 'DocumentTooLarge',
  MissingField: 'MissingField',
  InvalidField: 'InvalidField',
} as const;

const ID = /^[0-9a-f]{16}$/;
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
// Unicode letters (with their combining marks), numbers, whitespace and _ . : / % & # = + \ - @
const NAME = /^[\p{L}\p{M}\p{N}\s_.:/%&#=+\\\-@]+$/u;
// AWS services annotate their own segments under the reserved `aws:` prefix (API Gateway's
// stage segment: aws:api_id, aws:api_stage).
const ANNOTATION_KEY = /^(?:aws:)?[A-Za-z0-9_]+$/;
const MAX_NAME_CHARS = 200;

class Invalid extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

export function validateDocument(text: string): ValidationResult {
  // Each UTF-16 unit is at most 3 UTF-8 bytes, so short texts need no exact count.
  if (text.length * 3 > MAX_DOCUMENT_BYTES) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_DOCUMENT_BYTES) {
      return fail(idOf(tryParse(text)), ErrorCodes.DocumentTooLarge,
        `document is ${bytes} bytes; the limit is ${MAX_DOCUMENT_BYTES} bytes (64 KB)`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(undefined, ErrorCodes.InvalidJson, `document is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) {
    return fail(undefined, ErrorCodes.InvalidJson, `document must be a JSON object, got ${describe(parsed)}`);
  }
  try {
    const record = checkTopLevel(parsed, text);
    if (text.length > 2 * MAX_NESTING_DEPTH) checkNesting(parsed);
    return { ok: true, record };
  } catch (error) {
    if (error instanceof Invalid) return fail(idOf(parsed), error.code, error.message);
    throw error;
  }
}

function checkTopLevel(doc: Json, text: string): SegmentRecord {
  const type = doc['type'];
  if (type !== undefined && type !== 'subsegment') {
    throw invalid('type', `${show(type)} must be "subsegment" or absent (a segment)`);
  }
  const isSubsegment = type === 'subsegment';
  const traceId = requireString(doc, 'trace_id', '');
  if (!TRACE_ID.test(traceId)) {
    throw invalid('trace_id', `${show(traceId)} is not of the form 1-<8 hex>-<24 hex>`);
  }
  if (isSubsegment && doc['parent_id'] === undefined) {
    throw new Invalid(ErrorCodes.MissingField, 'parent_id is required on a subsegment sent on its own (type "subsegment")');
  }
  checkEntity(doc, '', 0, !isSubsegment);
  for (const field of ['origin', 'user', 'resource_arn'] as const) {
    optionalString(doc, field, '');
  }
  const valid = doc as unknown as SegmentDocument;
  const inProgress = valid.in_progress === true;
  return {
    traceId,
    id: valid.id,
    parentId: valid.parent_id,
    type: isSubsegment ? 'subsegment' : 'segment',
    name: valid.name,
    startTime: valid.start_time,
    endTime: inProgress ? undefined : valid.end_time,
    inProgress,
    document: text,
  };
}

/** Checks what segments and subsegments share, then recurses into `subsegments`. */
function checkEntity(doc: Json, prefix: string, depth: number, isSegment = false): void {
  const id = requireString(doc, 'id', prefix);
  if (!ID.test(id)) throw invalid(prefix + 'id', `${show(id)} is not 16 lowercase hex digits`);

  const name = requireString(doc, 'name', prefix);
  const chars = [...name].length;
  if (chars === 0 || chars > MAX_NAME_CHARS) {
    throw invalid(prefix + 'name', `${show(name)} must be 1 to ${MAX_NAME_CHARS} characters, got ${chars}`);
  }
  if (isSegment && !NAME.test(name)) {
    throw invalid(prefix + 'name', `${show(name)} may hold only letters, numbers, whitespace and _ . : / % & # = + \\ - @`);
  }

  if (prefix !== '' && doc['trace_id'] !== undefined) {
    const traceId = doc['trace_id'];
    if (typeof traceId !== 'string' || !TRACE_ID.test(traceId)) {
      throw invalid(prefix + 'trace_id', `${show(traceId)} is not of the form 1-<8 hex>-<24 hex>`);
    }
  }
  if (doc['parent_id'] !== undefined) checkId(doc['parent_id'], prefix + 'parent_id');
  if (prefix !== '' && doc['type'] !== undefined && doc['type'] !== 'subsegment') {
    throw invalid(prefix + 'type', `${show(doc['type'])} must be "subsegment" or absent`);
  }

  const start = requireTime(doc, 'start_time', prefix);
  const inProgress = doc['in_progress'];
  if (inProgress !== undefined && typeof inProgress !== 'boolean') {
    throw invalid(prefix + 'in_progress', `must be a boolean, got ${describe(inProgress)}`);
  }
  if (doc['end_time'] === undefined) {
    if (inProgress !== true) {
      throw new Invalid(ErrorCodes.MissingField, `${prefix}end_time is required unless ${prefix}in_progress is true`);
    }
  } else {
    const end = requireTime(doc, 'end_time', prefix);
    if (end < start) throw invalid(prefix + 'end_time', `(${end}) is before start_time (${start})`);
  }

  for (const flag of ['error', 'fault', 'throttle'] as const) {
    const value = doc[flag];
    if (value !== undefined && typeof value !== 'boolean') {
      throw invalid(prefix + flag, `must be a boolean, got ${describe(value)}`);
    }
  }
  if (doc['http'] !== undefined) checkHttp(doc['http'], prefix + 'http');
  if (doc['aws'] !== undefined) checkAws(doc['aws'], prefix + 'aws');
  if (doc['cause'] !== undefined) checkCause(doc['cause'], prefix + 'cause');
  if (doc['annotations'] !== undefined) checkAnnotations(doc['annotations'], prefix + 'annotations');
  for (const field of ['metadata', 'service', 'sql'] as const) {
    if (doc[field] !== undefined && !isObject(doc[field])) {
      throw invalid(prefix + field, `must be an object, got ${describe(doc[field])}`);
    }
  }
  if (doc['namespace'] !== undefined && doc['namespace'] !== 'aws' && doc['namespace'] !== 'remote') {
    throw invalid(prefix + 'namespace', `${show(doc['namespace'])} must be "aws" or "remote"`);
  }
  if (doc['precursor_ids'] !== undefined) {
    const ids = doc['precursor_ids'];
    if (!Array.isArray(ids)) throw invalid(prefix + 'precursor_ids', `must be an array, got ${describe(ids)}`);
    ids.forEach((value, i) => checkId(value, `${prefix}precursor_ids[${i}]`));
  }
  if (doc['links'] !== undefined) checkLinks(doc['links'], prefix + 'links');

  const subsegments = doc['subsegments'];
  if (subsegments === undefined) return;
  if (!Array.isArray(subsegments)) {
    throw invalid(prefix + 'subsegments', `must be an array, got ${describe(subsegments)}`);
  }
  if (subsegments.length > 0 && depth + 1 > MAX_SUBSEGMENT_DEPTH) {
    throw invalid(prefix + 'subsegments', `nest more than ${MAX_SUBSEGMENT_DEPTH} levels deep`);
  }
  subsegments.forEach((child, i) => {
    const path = `${prefix}subsegments[${i}]`;
    if (!isObject(child)) throw invalid(path, `must be an object, got ${describe(child)}`);
    checkEntity(child, path + '.', depth + 1);
  });
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
    const shown = keys.slice(0, 4).map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
    return keys.length > 4 ? `${shown}...` : shown;
  }
}

function checkHttp(value: unknown, path: string): void {
  const http = requireObject(value, path);
  if (http['request'] !== undefined) {
    const request = requireObject(http['request'], path + '.request');
    for (const field of ['method', 'url', 'user_agent', 'client_ip'] as const) {
      optionalString(request, field, path + '.request.');
    }
    for (const field of ['x_forwarded_for', 'traced'] as const) {
      const flag = request[field];
      if (flag !== undefined && typeof flag !== 'boolean') {
        throw invalid(`${path}.request.${field}`, `must be a boolean, got ${describe(flag)}`);
      }
    }
  }
  if (http['response'] !== undefined) {
    const response = requireObject(http['response'], path + '.response');
    const status = response['status'];
    if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) {
      throw invalid(path + '.response.status', `${show(status)} is not an HTTP status code (an integer from 100 to 599)`);
    }
    const length = response['content_length'];
    if (length !== undefined && !(typeof length === 'number' && length >= 0)) {
      throw invalid(path + '.response.content_length', `${show(length)} must be a number of bytes`);
    }
  }
}

function checkAws(value: unknown, path: string): void {
  const aws = requireObject(value, path);
  optionalString(aws, 'account_id', path + '.');
}

function checkCause(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (!ID.test(value)) throw invalid(path, `${show(value)} must be an object or the 16-hex id of an exception`);
    return;
  }
  const cause = requireObject(value, path);
  optionalString(cause, 'working_directory', path + '.');
  if (cause['paths'] !== undefined) {
    const paths = cause['paths'];
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
      throw invalid(path + '.paths', 'must be an array of strings');
    }
  }
  const exceptions = cause['exceptions'];
  if (exceptions === undefined) return;
  if (!Array.isArray(exceptions)) throw invalid(path + '.exceptions', `must be an array, got ${describe(exceptions)}`);
  exceptions.forEach((item, i) => {
    const at = `${path}.exceptions[${i}]`;
    const exception = requireObject(item, at);
    if (exception['id'] !== undefined) checkId(exception['id'], at + '.id');
    for (const field of ['message', 'type'] as const) optionalString(exception, field, at + '.');
    if (exception['remote'] !== undefined && typeof exception['remote'] !== 'boolean') {
      throw invalid(at + '.remote', `must be a boolean, got ${describe(exception['remote'])}`);
    }
    for (const field of ['truncated', 'skipped'] as const) {
      const count = exception[field];
      if (count !== undefined && !(Number.isInteger(count) && (count as number) >= 0)) {
        throw invalid(`${at}.${field}`, `${show(count)} must be a whole number`);
      }
    }
    if (exception['cause'] !== undefined) checkId(exception['cause'], at + '.cause');
    if (exception['stack'] !== undefined) {
      const stack = exception['stack'];
      if (!Array.isArray(stack) || !stack.every(isObject)) throw invalid(at + '.stack', 'must be an array of objects');
    }
  });
}

/** Span links, as AWS's OpenTelemetry exporter writes them: `{ trace_id, id, attributes? }`. */
function checkLinks(value: unknown, path: string): void {
  if (!Array.isArray(value)) throw invalid(path, `must be an array, got ${describe(value)}`);
  value.forEach((item, i) => {
    const at = `${path}[${i}]`;
    const link = requireObject(item, at);
    const traceId = requireString(link, 'trace_id', at + '.');
    if (!TRACE_ID.test(traceId)) throw invalid(at + '.trace_id', `${show(traceId)} is not of the form 1-<8 hex>-<24 hex>`);
    checkId(requireString(link, 'id', at + '.'), at + '.id');
    if (link['attributes'] !== undefined) requireObject(link['attributes'], at + '.attributes');
  });
}

function checkAnnotations(value: unknown, path: string): void {
  const annotations = requireObject(value, path);
  for (const [key, item] of Object.entries(annotations)) {
    if (!ANNOTATION_KEY.test(key)) {
      throw invalid(`${path}.${key}`, 'key may hold only letters, digits and underscores');
    }
    const kind = typeof item;
    if (kind !== 'string' && kind !== 'boolean' && !(kind === 'number' && Number.isFinite(item))) {
      throw invalid(`${path}.${key}`, `must be a string, number or boolean, got ${describe(item)}`);
    }
  }
}

function requireString(doc: Json, field: string, prefix: string): string {
  const value = doc[field];
  if (value === undefined) throw new Invalid(ErrorCodes.MissingField, `${prefix}${field} is required`);
  if (typeof value !== 'string') throw invalid(prefix + field, `must be a string, got ${describe(value)}`);
  return value;
}

function optionalString(doc: Json, field: string, prefix: string): void {
  const value = doc[field];
  if (value !== undefined && typeof value !== 'string') {
    throw invalid(prefix + field, `must be a string, got ${describe(value)}`);
  }
}

function requireTime(doc: Json, field: string, prefix: string): number {
  const value = doc[field];
  if (value === undefined) throw new Invalid(ErrorCodes.MissingField, `${prefix}${field} is required`);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(prefix + field, `${show(value)} must be a number of epoch seconds, e.g. 1480615200.010`);
  }
  return value;
}

function requireObject(value: unknown, path: string): Json {
  if (!isObject(value)) throw invalid(path, `must be an object, got ${describe(value)}`);
  return value;
}

function checkId(value: unknown, path: string): void {
  if (typeof value !== 'string' || !ID.test(value)) throw invalid(path, `${show(value)} is not 16 lowercase hex digits`);
}

function invalid(path: string, problem: string): Invalid {
  return new Invalid(ErrorCodes.InvalidField, `${path} ${problem}`);
}

function fail(id: string | undefined, errorCode: string, message: string): ValidationResult {
  return { ok: false, id, errorCode, message };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function idOf(doc: unknown): string | undefined {
  return isObject(doc) && typeof doc['id'] === 'string' ? doc['id'] : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${show(value)}`;
}

function show(value: unknown): string {
  // Not String(): a field nested thousands of levels deep overflows the stack there.
  return typeof value === 'string' ? JSON.stringify(clip(value)) : preview(value, 60);
}

function clip(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}
