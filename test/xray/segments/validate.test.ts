import { describe, expect, test } from 'vitest';
import { MAX_DOCUMENT_BYTES, MAX_NESTING_DEPTH, validateDocument } from '../../../src/xray/segments/validate.ts';
import { fixtureNames, loadFixture } from '../fixtures/index.ts';

const TRACE_ID = '1-6553f100-a006649127e371903a2de979';
type Doc = Record<string, unknown>;

function segment(extra: Doc = {}): Doc {
  return { name: 'example.com', id: '70de5b6f19ff9a0a', trace_id: TRACE_ID, start_time: 1700000000.1, end_time: 1700000000.2, ...extra };
}

function without(doc: Doc, field: string): Doc {
  const copy = { ...doc };
  delete copy[field];
  return copy;
}

function child(extra: Doc = {}): Doc {
  return { id: '1111111111111111', name: 'child', start_time: 1700000000.1, end_time: 1700000000.15, ...extra };
}

function link(extra: Doc = {}): Doc {
  return { trace_id: '1-6553f0ff-b006649127e371903a2de979', id: '2222222222222222', ...extra };
}

function nested(depth: number): Doc {
  let inner = child();
  for (let level = 1; level < depth; level++) inner = child({ subsegments: [inner] });
  return inner;
}

/** `depth` arrays, one inside the other. */
function arrays(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

interface Case {
  readonly why: string;
  readonly text: string;
  readonly code: string;
  readonly message: string;
  readonly id?: string | undefined;
}

const doc = (why: string, value: unknown, code: string, message: string, id: string | undefined = '70de5b6f19ff9a0a'): Case =>
  ({ why, text: JSON.stringify(value), code, message, id });

const malformed: Case[] = [
  { why: 'truncated JSON', text: '{"name":"a",', code: 'InvalidJson', message: 'document is not valid JSON' },
  { why: 'a JSON array', text: '[]', code: 'InvalidJson', message: 'document must be a JSON object, got an array' },
  { why: 'a JSON string', text: '"segment"', code: 'InvalidJson', message: 'document must be a JSON object, got string "segment"' },
  { why: 'JSON null', text: 'null', code: 'InvalidJson', message: 'document must be a JSON object, got null' },
  doc('over 64 KB', segment({ metadata: { blob: 'x'.repeat(MAX_DOCUMENT_BYTES) } }), 'DocumentTooLarge', 'the limit is 65536 bytes (64 KB)'),
  doc('over 64 KB of UTF-8 in fewer characters', segment({ metadata: { euro: '€'.repeat(22_000) } }), 'DocumentTooLarge', 'the limit is 65536 bytes'),
  doc('no name', without(segment(), 'name'), 'MissingField', 'name is required'),
  doc('empty name', segment({ name: '' }), 'InvalidField', 'name "" must be 1 to 200 characters, got 0'),
  doc('name of 201 characters', segment({ name: 'a'.repeat(201) }), 'InvalidField', 'must be 1 to 200 characters, got 201'),
  doc('name with "!"', segment({ name: 'hello!' }), 'InvalidField', 'name "hello!" may hold only letters, numbers, whitespace and _ . : / % & # = + \\ - @'),
  doc('name with parentheses', segment({ name: 'f(x)' }), 'InvalidField', 'name "f(x)" may hold only'),
  doc('name not a string', segment({ name: 42 }), 'InvalidField', 'name must be a string, got number 42'),
  { why: 'no id', text: JSON.stringify(without(segment(), 'id')), code: 'MissingField', message: 'id is required', id: undefined },
  doc('id not hex', segment({ id: 'xyz' }), 'InvalidField', 'id "xyz" is not 16 lowercase hex digits', 'xyz'),
  doc('id in upper case', segment({ id: '70DE5B6F19FF9A0A' }), 'InvalidField', 'id "70DE5B6F19FF9A0A" is not 16 lowercase hex digits', '70DE5B6F19FF9A0A'),
  doc('id of 15 digits', segment({ id: '70de5b6f19ff9a0' }), 'InvalidField', 'is not 16 lowercase hex digits', '70de5b6f19ff9a0'),
  doc('no trace_id', without(segment(), 'trace_id'), 'MissingField', 'trace_id is required'),
  doc('short trace_id', segment({ trace_id: '1-abc' }), 'InvalidField', 'trace_id "1-abc" is not of the form 1-<8 hex>-<24 hex>'),
  doc('trace_id of version 2', segment({ trace_id: '2-6553f100-a006649127e371903a2de979' }), 'InvalidField', 'trace_id "2-6553f100-a006649127e371903a2de979" is not of the form'),
  doc('no start_time', without(segment(), 'start_time'), 'MissingField', 'start_time is required'),
  doc('start_time as text', segment({ start_time: '1700000000' }), 'InvalidField', 'start_time "1700000000" must be a number of epoch seconds'),
  doc('negative start_time', segment({ start_time: -1 }), 'InvalidField', 'start_time -1 must be a number of epoch seconds'),
  { why: 'start_time too large for a double', text: JSON.stringify(segment()).replace('"start_time":1700000000.1', '"start_time":1e400'), code: 'InvalidField', message: 'start_time Infinity must be a number of epoch seconds', id: '70de5b6f19ff9a0a' },
  doc('neither end_time nor in_progress', without(segment(), 'end_time'), 'MissingField', 'end_time is required unless in_progress is true'),
  doc('in_progress false without end_time', without(segment({ in_progress: false }), 'end_time'), 'MissingField', 'end_time is required unless in_progress is true'),
  doc('in_progress as text', without(segment({ in_progress: 'yes' }), 'end_time'), 'InvalidField', 'in_progress must be a boolean, got string "yes"'),
  doc('end before start', segment({ end_time: 1700000000.05 }), 'InvalidField', 'end_time (1700000000.05) is before start_time (1700000000.1)'),
  doc('annotation key with a dash', segment({ annotations: { 'bad-key': 1 } }), 'InvalidField', 'annotations.bad-key key may hold only letters, digits and underscores'),
  doc('annotation key with a space', segment({ annotations: { 'two words': 1 } }), 'InvalidField', 'annotations.two words key may hold only'),
  doc('annotation value an object', segment({ annotations: { deep: { a: 1 } } }), 'InvalidField', 'annotations.deep must be a string, number or boolean, got an object'),
  doc('annotation value null', segment({ annotations: { gone: null } }), 'InvalidField', 'annotations.gone must be a string, number or boolean, got null'),
  doc('annotations an array', segment({ annotations: [1, 2] }), 'InvalidField', 'annotations must be an object, got an array'),
  doc('fault as text', segment({ fault: 'true' }), 'InvalidField', 'fault must be a boolean, got string "true"'),
  doc('error as a number', segment({ error: 1 }), 'InvalidField', 'error must be a boolean, got number 1'),
  doc('throttle null', segment({ throttle: null }), 'InvalidField', 'throttle must be a boolean, got null'),
  doc('http a string', segment({ http: 'GET /' }), 'InvalidField', 'http must be an object, got string "GET /"'),
  doc('http status as text', segment({ http: { response: { status: '200' } } }), 'InvalidField', 'http.response.status "200" is not an HTTP status code'),
  doc('http status out of range', segment({ http: { response: { status: 999 } } }), 'InvalidField', 'http.response.status 999 is not an HTTP status code'),
  doc('http url a number', segment({ http: { request: { url: 5 } } }), 'InvalidField', 'http.request.url must be a string, got number 5'),
  doc('aws an array', segment({ aws: [] }), 'InvalidField', 'aws must be an object, got an array'),
  doc('aws.account_id a number', segment({ aws: { account_id: 123456789012 } }), 'InvalidField', 'aws.account_id must be a string'),
  doc('cause a bad exception id', segment({ cause: 'oops' }), 'InvalidField', 'cause "oops" must be an object or the 16-hex id of an exception'),
  doc('cause.exceptions an object', segment({ cause: { exceptions: {} } }), 'InvalidField', 'cause.exceptions must be an array, got an object'),
  doc('exception id not hex', segment({ cause: { exceptions: [{ id: 'zz', message: 'm' }] } }), 'InvalidField', 'cause.exceptions[0].id "zz" is not 16 lowercase hex digits'),
  doc('origin a number', segment({ origin: 7 }), 'InvalidField', 'origin must be a string, got number 7'),
  doc('user a boolean', segment({ user: true }), 'InvalidField', 'user must be a string, got boolean true'),
  doc('metadata a string', segment({ metadata: 'note' }), 'InvalidField', 'metadata must be an object, got string "note"'),
  doc('parent_id not hex', segment({ parent_id: 'parent' }), 'InvalidField', 'parent_id "parent" is not 16 lowercase hex digits'),
  doc('type "segment"', segment({ type: 'segment' }), 'InvalidField', 'type "segment" must be "subsegment" or absent (a segment)'),
  doc('standalone subsegment without parent_id', segment({ type: 'subsegment' }), 'MissingField', 'parent_id is required on a subsegment sent on its own'),
  doc('standalone subsegment without trace_id', without(segment({ type: 'subsegment', parent_id: '2222222222222222' }), 'trace_id'), 'MissingField', 'trace_id is required'),
  doc('subsegments an object', segment({ subsegments: {} }), 'InvalidField', 'subsegments must be an array, got an object'),
  doc('subsegments[1] a string', segment({ subsegments: [child(), 'child'] }), 'InvalidField', 'subsegments[1] must be an object, got string "child"'),
  doc('subsegments[2].id bad', segment({ subsegments: [child(), child(), child({ id: 'nope' })] }), 'InvalidField', 'subsegments[2].id "nope" is not 16 lowercase hex digits'),
  doc('subsegment without a name', segment({ subsegments: [without(child(), 'name')] }), 'MissingField', 'subsegments[0].name is required'),
  doc('subsegment name of 201 characters', segment({ subsegments: [child({ name: 'GET /{id}'.padEnd(201, '!') })] }), 'InvalidField', 'must be 1 to 200 characters, got 201'),
  doc('empty subsegment name', segment({ subsegments: [child({ name: '' })] }), 'InvalidField', 'subsegments[0].name "" must be 1 to 200 characters, got 0'),
  doc('standalone subsegment name of 201 characters', segment({ type: 'subsegment', parent_id: '2222222222222222', name: '('.repeat(201) }), 'InvalidField', 'must be 1 to 200 characters, got 201'),
  doc('nested subsegment without end_time', segment({ subsegments: [child({ subsegments: [without(child(), 'end_time')] })] }), 'MissingField', 'subsegments[0].subsegments[0].end_time is required unless subsegments[0].subsegments[0].in_progress is true'),
  doc('subsegment namespace unknown', segment({ subsegments: [child({ namespace: 'gcp' })] }), 'InvalidField', 'subsegments[0].namespace "gcp" must be "aws" or "remote"'),
  doc('subsegment annotation value an array', segment({ subsegments: [child({ annotations: { list: [1] } })] }), 'InvalidField', 'subsegments[0].annotations.list must be a string, number or boolean, got an array'),
  doc('subsegment precursor id bad', segment({ subsegments: [child({ precursor_ids: ['x'] })] }), 'InvalidField', 'subsegments[0].precursor_ids[0] "x" is not 16 lowercase hex digits'),
  doc('links an object', segment({ links: { id: '2222222222222222' } }), 'InvalidField', 'links must be an array, got an object'),
  doc('a link that is a string', segment({ links: ['2222222222222222'] }), 'InvalidField', 'links[0] must be an object, got string "2222222222222222"'),
  doc('a link without trace_id', segment({ links: [link(), { id: '2222222222222222' }] }), 'MissingField', 'links[1].trace_id is required'),
  doc('a link with a hex trace id', segment({ links: [link({ trace_id: '6553f100a006649127e371903a2de979' })] }), 'InvalidField', 'links[0].trace_id "6553f100a006649127e371903a2de979" is not of the form 1-<8 hex>-<24 hex>'),
  doc('a link without id', segment({ links: [without(link(), 'id')] }), 'MissingField', 'links[0].id is required'),
  doc('a link id of 15 digits', segment({ links: [link({ id: '222222222222222' })] }), 'InvalidField', 'links[0].id "222222222222222" is not 16 lowercase hex digits'),
  doc('link attributes an array', segment({ links: [link({ attributes: ['k'] })] }), 'InvalidField', 'links[0].attributes must be an object, got an array'),
  doc('a nested subsegment link id a number', segment({ subsegments: [child({ links: [link({ id: 42 })] })] }), 'InvalidField', 'subsegments[0].links[0].id must be a string, got number 42'),
  doc('subsegments nested 101 deep', segment({ subsegments: [nested(101)] }), 'InvalidField', 'subsegments nest more than 100 levels deep'),
  // The document, metadata and 511 arrays: 513 levels.
  doc('metadata nested 513 levels deep', segment({ metadata: { deep: arrays(511) } }), 'InvalidField', 'metadata.deep[0][0]... nests objects and arrays more than 512 levels deep'),
  doc('a nested subsegment with an aws block nested deep', segment({ subsegments: [child({ aws: { list: arrays(600) } })] }), 'InvalidField', 'subsegments[0].aws.list... nests objects and arrays more than 512 levels deep'),
  {
    why: 'metadata 30,000 levels deep, which JSON.stringify could not write back',
    text: `{"name":"a","id":"70de5b6f19ff9a0a","trace_id":"${TRACE_ID}","start_time":1,"end_time":2,"metadata":{"d":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`,
    code: 'InvalidField',
    message: 'metadata.d[0][0]... nests objects and arrays more than 512 levels deep',
    id: '70de5b6f19ff9a0a',
  },
];

describe('validateDocument rejects malformed documents', () => {
  test('the table holds at least 25 cases', () => {
    expect(malformed.length).toBeGreaterThanOrEqual(25);
  });

  test.each(malformed)('$why', ({ text, code, message, id }) => {
    const result = validateDocument(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errorCode).toBe(code);
    expect(result.message).toContain(message);
    expect(result.id).toBe(id);
  });
});

describe('validateDocument accepts valid documents', () => {
  test.each(fixtureNames)('every document of fixture %s', (name) => {
    for (const text of loadFixture(name).texts) {
      const result = validateDocument(text);
      expect(result.ok ? 'accepted' : result.message).toBe('accepted');
    }
  });

  test('fills the record from a complete segment and keeps the text as received', () => {
    const text = ` ${JSON.stringify(segment({ parent_id: '3333333333333333' }))}\n`;
    const result = validateDocument(text);
    expect(result).toEqual({
      ok: true,
      record: {
        traceId: TRACE_ID,
        id: '70de5b6f19ff9a0a',
        parentId: '3333333333333333',
        type: 'segment',
        name: 'example.com',
        startTime: 1700000000.1,
        endTime: 1700000000.2,
        inProgress: false,
        document: text,
      },
    });
  });

  test('an in-progress standalone subsegment has no end time', () => {
    const result = validateDocument(JSON.stringify(without(segment({ type: 'subsegment', parent_id: '3333333333333333', in_progress: true }), 'end_time')));
    expect(result.ok && result.record).toMatchObject({ type: 'subsegment', inProgress: true, endTime: undefined, parentId: '3333333333333333' });
  });

  test.each([
    ['Unicode letters and every allowed symbol', 'Über-Dienst 服务 _.:/%&#=+\\-@ 42'],
    ['exactly 200 characters', 'n'.repeat(200)],
    ['200 characters outside the BMP', '𝔘'.repeat(200)],
    ['an API Gateway stage', 'xray-tracer-api/prod'],
  ])('a name of %s', (_why, name) => {
    expect(validateDocument(JSON.stringify(segment({ name }))).ok).toBe(true);
  });

  // The character rule is for segment names only; subsegments carry routes and span names.
  test.each([
    ['a nested subsegment named by its route', segment({ subsegments: [child({ name: 'GET /{id}' })] })],
    ['a subsegment nested deeper with parentheses and a question mark', segment({ subsegments: [child({ subsegments: [child({ name: 'f(x)?' })] })] })],
    ['a standalone subsegment named like an OpenTelemetry span', segment({ type: 'subsegment', parent_id: '2222222222222222', name: 'POST /orders/{orderId}/items [v2]' })],
  ])('%s', (_why, document) => {
    const result = validateDocument(JSON.stringify(document));
    expect(result.ok ? 'accepted' : result.message).toBe('accepted');
  });

  test('a document of exactly 64 KB', () => {
    const base = JSON.stringify(segment({ metadata: { pad: '' } }));
    const text = base.replace('"pad":""', `"pad":"${'p'.repeat(MAX_DOCUMENT_BYTES - base.length)}"`);
    expect(Buffer.byteLength(text)).toBe(MAX_DOCUMENT_BYTES);
    expect(validateDocument(text).ok).toBe(true);
  });

  test('annotation values of each type, and a cause naming an exception by id', () => {
    const text = JSON.stringify(segment({
      annotations: { text: 'a', number: 1.5, flag: false },
      subsegments: [child({ fault: true, cause: 'a1b2c3d4e5f60718' })],
    }));
    expect(validateDocument(text).ok).toBe(true);
  });

  test("annotation keys under AWS's reserved aws: prefix, as API Gateway's stage segment has them", () => {
    const text = JSON.stringify(segment({ annotations: { 'aws:api_id': 'abc123', 'aws:api_stage': 'prod' } }));
    expect(validateDocument(text).ok).toBe(true);
    expect(validateDocument(JSON.stringify(segment({ annotations: { 'aws:': 1 } }))).ok).toBe(false);
    expect(validateDocument(JSON.stringify(segment({ annotations: { 'other:key': 1 } }))).ok).toBe(false);
  });

  test('span links on a segment, a nested subsegment and a standalone subsegment, with or without attributes', () => {
    const attributes = { 'messaging.operation': 'process', count: 3, nested: { list: [1, null] } };
    for (const document of [
      segment({ links: [link(), link({ id: '3333333333333333', attributes })] }),
      segment({ links: [], subsegments: [child({ links: [link({ attributes: {} })] })] }),
      segment({ type: 'subsegment', parent_id: '2222222222222222', links: [link({ attributes })] }),
    ]) {
      const result = validateDocument(JSON.stringify(document));
      expect(result.ok ? 'accepted' : result.message).toBe('accepted');
    }
  });

  test('subsegments nested 100 deep', () => {
    expect(validateDocument(JSON.stringify(segment({ subsegments: [nested(100)] }))).ok).toBe(true);
  });

  test('objects and arrays nested 512 levels deep, with 100 levels of subsegments among them', () => {
    expect(validateDocument(JSON.stringify(segment({ metadata: { deep: arrays(510) } }))).ok).toBe(true);
    // 100 subsegments take 200 levels under the document; the innermost's metadata the rest.
    let inner = child({ metadata: { deep: arrays(MAX_NESTING_DEPTH - 203) } });
    for (let level = 1; level < 100; level++) inner = child({ subsegments: [inner] });
    expect(validateDocument(JSON.stringify(segment({ subsegments: [inner] }))).ok).toBe(true);
  });
});
