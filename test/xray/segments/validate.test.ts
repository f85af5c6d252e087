import { describe, expect, test } from 'vitest';
import { MAX_DOCUMENT_BYTES, MAX_NESTING_DEPTH, validateDocument, validateParsedDocument } from '../../../src/xray/segments/validate.ts';
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
  doc('name with "!"', segment({ name: 'hello!' }), 'InvalidField', 'name "hello!" may not hold any of ? ; * ( ) ! $ ~ ^ < >'),
  doc('name with parentheses', segment({ name: 'f(x)' }), 'InvalidField', 'name "f(x)" may not hold any of'),
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
  doc('negative start_time', segment({ start_time: -1 }), 'InvalidField', 'start_time -1 must be a number of epoch seconds above 0 and before 4102444800 (2100-01-01T00:00:00Z)'),
  doc('start_time 0', segment({ start_time: 0 }), 'InvalidField', 'start_time 0 must be a number of epoch seconds above 0'),
  doc('start_time in the year 2100', segment({ start_time: 4102444800, end_time: 4102444801 }), 'InvalidField', 'start_time 4102444800 must be a number of epoch seconds above 0 and before 4102444800'),
  doc('end_time of 1e300', segment({ end_time: 1e300 }), 'InvalidField', 'end_time 1e+300 must be a number of epoch seconds'),
  doc('start_time of Number.MAX_VALUE', segment({ start_time: Number.MAX_VALUE }), 'InvalidField', 'start_time 1.7976931348623157e+308 must be'),
  doc('a nested subsegment ending in 1e20', segment({ subsegments: [child({ end_time: 1e20 })] }), 'InvalidField', 'subsegments[0].end_time 100000000000000000000 must be a number of epoch seconds'),
  doc('in_progress as text and no end_time', without(segment({ in_progress: 'yes' }), 'end_time'), 'MissingField', 'end_time is required unless in_progress is true'),
  ...['status', 'content_length'].map((field) => ({
    why: `http.response.${field} too large for a double`,
    text: JSON.stringify(segment({ http: { response: { [field]: 1 } } })).replace(`"${field}":1`, `"${field}":-1e400`),
    code: 'InvalidField',
    message: `http.response.${field} -Infinity must be a finite number`,
    id: '70de5b6f19ff9a0a',
  })),
  {
    why: 'an annotation number too large for a double',
    text: JSON.stringify(segment({ subsegments: [child({ annotations: { big: 1 } })] })).replace('"big":1', '"big":1e999'),
    code: 'InvalidField',
    message: 'subsegments[0].annotations.big Infinity must be a finite number',
    id: '70de5b6f19ff9a0a',
  },
  { why: 'start_time too large for a double', text: JSON.stringify(segment()).replace('"start_time":1700000000.1', '"start_time":1e400'), code: 'InvalidField', message: 'start_time Infinity must be a number of epoch seconds', id: '70de5b6f19ff9a0a' },
  doc('neither end_time nor in_progress', without(segment(), 'end_time'), 'MissingField', 'end_time is required unless in_progress is true'),
  doc('in_progress false without end_time', without(segment({ in_progress: false }), 'end_time'), 'MissingField', 'end_time is required unless in_progress is true'),
  doc('end before start', segment({ end_time: 1700000000.05 }), 'InvalidField', 'end_time (1700000000.05) is before start_time (1700000000.1)'),
  doc('parent_id not hex', segment({ parent_id: 'parent' }), 'InvalidField', 'parent_id "parent" is not 16 lowercase hex digits'),
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
  // Fields whose value used to be quoted through String(): a deep array there overflowed the stack
  // and threw out of the daemon's receiver, ending the process. About 10 KB each, as over UDP.
  ...['start_time', 'end_time', 'parent_id', 'name', 'id', 'trace_id'].map((field) => ({
    why: `${field} an array 5,000 levels deep`,
    text: JSON.stringify(segment({ parent_id: '3333333333333333', [field]: 'DEEP' })).replace('"DEEP"', '['.repeat(5000) + ']'.repeat(5000)),
    code: 'InvalidField',
    message: `${field}[0][0][0]... nests objects and arrays more than 512 levels deep`,
    id: field === 'id' ? undefined : '70de5b6f19ff9a0a',
  })),
  ...[['http', 'response', 'status'], ['http', 'response', 'content_length'], ['annotations', 'n'], ['cause', 'exceptions'], ['links'], ['aws', 'account_id']].map((keys) => ({
    why: `${keys.join('.')} an array 5,000 levels deep, in a nested subsegment`,
    text: JSON.stringify(segment({ subsegments: [child(keys.reduceRight<Doc>((inner, key, i) => ({ [key]: i === keys.length - 1 ? 'DEEP' : inner }), {}))] }))
      .replace('"DEEP"', '['.repeat(5000) + ']'.repeat(5000)),
    code: 'InvalidField',
    message: 'nests objects and arrays more than 512 levels deep',
    id: '70de5b6f19ff9a0a',
  })),
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

/**
 * What X-Ray stores although the guide documents another type or value: kept exactly as sent.
 * The readers (summaries, the map) use documented values only; see test/xray/traces for them.
 */
const keptAsSent: Array<[string, Doc]> = [
  ['the Python SDK\'s namespace "local"', segment({ subsegments: [child({ namespace: 'local' })] })],
  ['a namespace of another type', segment({ subsegments: [child({ namespace: 42 })] })],
  ['the developer guide\'s content_length -1', segment({ subsegments: [child({ namespace: 'remote', http: { response: { status: 200, content_length: -1 } } })] })],
  ['a content_length written as a string', segment({ http: { response: { status: 200, content_length: '1024' } } })],
  ['an http status written as a string', segment({ http: { response: { status: '200' } } })],
  ['an http status outside 100 to 599', segment({ http: { response: { status: 999 } } })],
  ['an extreme but finite status', segment({ http: { response: { status: 1e300 } } })],
  ['an http url that is a number', segment({ http: { request: { url: 5 } } })],
  ['http a string', segment({ http: 'GET /' })],
  ['flags written as text, numbers and null', segment({ fault: 'true', error: 1, throttle: null })],
  ['in_progress as text next to an end_time', segment({ in_progress: 'no' })],
  ['annotation keys with a dash, a space or another prefix', segment({ annotations: { 'bad-key': 1, 'two words': 'a', 'other:key': true } })],
  ['annotation values of other types', segment({ annotations: { deep: { a: 1 }, gone: null, list: [1] } })],
  ['extreme but finite annotation numbers', segment({ annotations: { max: Number.MAX_VALUE, min: -Number.MAX_VALUE, tiny: 5e-324 } })],
  ['annotations an array', segment({ annotations: [1, 2] })],
  ['aws an array, account_id a number', segment({ aws: [], subsegments: [child({ aws: { account_id: 123456789012 } })] })],
  ['a cause naming no exception id', segment({ cause: 'oops' })],
  ['cause.exceptions an object, an exception id not hex', segment({ cause: { exceptions: {} }, subsegments: [child({ cause: { exceptions: [{ id: 'zz' }, null] } })] })],
  ['origin a number, user a boolean, resource_arn an object', segment({ origin: 7, user: true, resource_arn: {} })],
  ['metadata a string', segment({ metadata: 'note' })],
  ['a top-level type other than "subsegment"', segment({ type: 'segment' })],
  ['precursor ids that are not ids', segment({ subsegments: [child({ precursor_ids: ['x', 5] })] })],
  ['a content_length of null, as the .NET SDK writes it when unknown', segment({ http: { response: { status: 200, content_length: null } } })],
  ['unknown fields', segment({ sdk_note: { any: ['thing'] }, subsegments: [child({ 'weird key!': 1 })] })],
];

describe('validateDocument keeps what X-Ray keeps', () => {
  test.each(keptAsSent)('%s', (_why, document) => {
    const text = JSON.stringify(document);
    const result = validateDocument(text);
    expect(result.ok ? result.record.document : result.message).toBe(text);
  });
});

describe('validateDocument quotes untrusted values in bounded messages', () => {
  const MAX_MESSAGE = 400;
  const deepChild = (leaf: Doc): Doc => {
    let inner = leaf;
    for (let level = 1; level < 100; level++) inner = child({ subsegments: [inner] });
    return inner;
  };
  test.each([
    ['a missing end_time 100 subsegments deep', segment({ subsegments: [deepChild(without(child(), 'end_time'))] }), 'subsegments[0].subsegments[0].subsegm'],
    ['a bad id 100 subsegments deep', segment({ subsegments: [deepChild(child({ id: 'x'.repeat(5000) }))] }), '.id "xxxxx'],
    ['a 20,000-character name', segment({ name: 'n'.repeat(20_000) }), 'name "nnnn'],
    ['a 30,000-character annotation key holding Infinity', null, 'annotations.kkkk'],
    ['a nesting error under a 30,000-character key', segment({ metadata: { ['k'.repeat(30_000)]: arrays(600) } }), 'metadata.kkkk'],
  ])('%s', (_why, document, start) => {
    const text = document === null
      ? JSON.stringify(segment({ annotations: { ['k'.repeat(30_000)]: 1 } })).replace(/:1}/, ':1e999}')
      : JSON.stringify(document);
    const result = validateDocument(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(start);
    expect(result.message.length, result.message).toBeLessThan(MAX_MESSAGE);
  });

  test('invalid JSON of 60,000 characters', () => {
    const result = validateDocument(`{"name":"${'a'.repeat(60_000)}`);
    expect(result.ok ? '' : result.message.length).toBeLessThan(MAX_MESSAGE);
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
    // The OpenTelemetry exporter keeps commas; service names from resource attributes are sent as they are.
    ['a comma, as the OpenTelemetry exporter keeps it', 'orders, v2'],
    ['brackets, quotes and a pipe, which the Python SDK sends', 'orders [eu] "blue" | \'green\''],
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

describe('validateParsedDocument checks a document in memory as validateDocument checks its text', () => {
  const parsedCases = malformed.filter(({ text }) => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null;
    } catch {
      return false;
    }
  });

  test('most malformed cases are objects, so the comparison covers them', () => {
    expect(parsedCases.length).toBeGreaterThanOrEqual(malformed.length - 4);
  });

  test.each(parsedCases)('$why', ({ text }) => {
    // The same refusal, word for word: numbers that overflow to Infinity and nesting included.
    expect(validateParsedDocument(JSON.parse(text) as object)).toEqual(validateDocument(text));
  });

  test.each(keptAsSent)('keeps %s, storing its serialization', (_why, document) => {
    const result = validateParsedDocument(document);
    expect(result.ok ? result.record : result.message).toEqual((validateDocument(JSON.stringify(document)) as { record: unknown }).record);
  });

  test('a document nested past the bound is refused before anything recurses into it', () => {
    const result = validateParsedDocument(segment({ metadata: { deep: arrays(200_000) } }));
    expect(result).toMatchObject({ ok: false, errorCode: 'InvalidField', id: '70de5b6f19ff9a0a' });
    expect(result.ok ? '' : result.message).toContain(`more than ${MAX_NESTING_DEPTH} levels deep`);
  });

  test('a document both too deep and too large is refused as too large, as its text would be', () => {
    const result = validateParsedDocument(segment({ metadata: { deep: arrays(MAX_NESTING_DEPTH + 5), blob: 'x'.repeat(MAX_DOCUMENT_BYTES) } }));
    expect(result).toMatchObject({ ok: false, errorCode: 'DocumentTooLarge' });
  });

  test.each([
    ['start_time NaN', segment({ start_time: Number.NaN }), 'start_time'],
    ['end_time Infinity', segment({ end_time: Number.POSITIVE_INFINITY }), 'end_time'],
    ['an http status NaN', segment({ http: { response: { status: Number.NaN } } }), 'http.response.status'],
    ['a content_length -Infinity', segment({ subsegments: [child({ http: { response: { content_length: Number.NEGATIVE_INFINITY } } })] }), 'subsegments[0].http.response.content_length'],
    ['an annotation Infinity', segment({ annotations: { big: Number.POSITIVE_INFINITY } }), 'annotations.big'],
  ])('a non-finite number where one must be finite is refused: %s', (_why, document, path) => {
    const result = validateParsedDocument(document);
    expect(result).toMatchObject({ ok: false, errorCode: 'InvalidField' });
    expect(result.ok ? '' : result.message).toContain(path);
  });

  test('an array is not a document', () => {
    expect(validateParsedDocument([])).toMatchObject({ ok: false, errorCode: 'InvalidJson', message: 'document must be a JSON object, got an array of 0' });
  });
});
