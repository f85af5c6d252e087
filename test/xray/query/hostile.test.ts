import { describe, expect, test } from 'vitest';
import {
  evaluate, FilterParseError, MAX_FILTER_LENGTH, MAX_FILTER_TERMS, MAX_NESTING_DEPTH, parse, print, UnsupportedFilterError,
} from '../../../src/xray/query/index.ts';
import { TRACES } from './corpus.ts';

/** Seeded PRNG (mulberry32) so the fuzz inputs are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('hostile input', () => {
  test('a flat expression of the most terms allowed parses to one flat node and evaluates; one more is a clear error', () => {
    const terms = Array.from({ length: MAX_FILTER_TERMS }, (_, i) => `annotation.k${i} = ${i}`);
    const text = terms.join(' OR ');
    expect(text.length).toBeGreaterThan(20_000);
    const tree = parse(text);
    expect(tree.kind === 'or' && tree.operands.length).toBe(MAX_FILTER_TERMS);
    expect(TRACES.some((t) => evaluate(tree, t))).toBe(false);
    expect(parse(print(tree))).toEqual(tree);

    const over = `${text} OR fault`;
    expect(errorOf(() => parse(over))).toMatchObject({
      name: 'FilterParseError',
      message: `filter expression has more than ${MAX_FILTER_TERMS} terms; the limit is ${MAX_FILTER_TERMS} at column ${text.length + 5}`,
    });
    // Terms inside blocks count too.
    const blocks = Array.from({ length: MAX_FILTER_TERMS / 2 }, () => 'service() { fault }').join(' OR ');
    expect(parse(blocks)).toMatchObject({ kind: 'or' });
    expect((errorOf(() => parse(`${blocks} OR ok`)) as Error).message).toMatch(/^filter expression has more than 1000 terms/);
  });

  test('a long word or number is quoted by its start in the message', () => {
    const word = `w${'x'.repeat(90_000)}`;
    expect(errorOf(() => parse(`${word} = 1`))).toMatchObject({ message: `unknown keyword 'w${'x'.repeat(36)}...' at column 1` });
    expect(errorOf(() => parse(`responsetime > ${'1'.repeat(90_000)}x`))).toMatchObject({ message: `malformed number '${'1'.repeat(37)}...' at column 16` });
    expect(errorOf(() => parse(`responsetime > ${'9'.repeat(400)}`))).toMatchObject({ message: `number ${'9'.repeat(37)}... is out of range at column 16` });
  });

  test('text over the length limit is refused before lexing', () => {
    const text = `user = "${'x'.repeat(MAX_FILTER_LENGTH)}"`;
    const error = errorOf(() => parse(text));
    expect(error).toBeInstanceOf(FilterParseError);
    expect((error as Error).message).toBe(
      `filter expression is ${text.length} characters long; the limit is ${MAX_FILTER_LENGTH} at column ${MAX_FILTER_LENGTH + 1}`,
    );
    expect(() => parse(`user = "${'x'.repeat(MAX_FILTER_LENGTH - 10)}"`)).not.toThrow();
  });

  test('nesting up to the limit works; one deeper is a clear error, never a stack overflow', () => {
    const nested = (depth: number) => `${'('.repeat(depth)}ok${')'.repeat(depth)}`;
    expect(parse(nested(MAX_NESTING_DEPTH))).toEqual({ kind: 'flag', keyword: 'ok', value: true });
    expect(errorOf(() => parse(nested(MAX_NESTING_DEPTH + 1)))).toMatchObject({
      message: `filter expression is nested deeper than ${MAX_NESTING_DEPTH} levels at column ${MAX_NESTING_DEPTH + 1}`,
    });
    for (const text of ['('.repeat(90_000), '!'.repeat(90_000) + 'ok', 'NOT '.repeat(20_000) + 'ok', 'service() { '.repeat(5000)]) {
      const error = errorOf(() => parse(text));
      expect(error).toBeInstanceOf(FilterParseError);
      expect(error).not.toBeInstanceOf(RangeError);
    }
    expect(errorOf(() => parse('!'.repeat(90_000) + 'ok'))).toMatchObject({ column: MAX_NESTING_DEPTH + 1 });
    expect(errorOf(() => parse('service() { '.repeat(3)))).toMatchObject({
      message: 'service(...) cannot be used inside a service block at column 13',
    });
  });

  test('SQL-looking strings are plain strings, kept byte for byte', () => {
    for (const value of ["'; DROP TABLE x; --", "' OR '1'='1", '%_\\', '"); DELETE FROM traces; --', '$1 ?1 :name']) {
      const text = `annotation.sql = "${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
      expect(parse(text)).toEqual({ kind: 'annotation', key: 'sql', comparison: { type: 'string', operator: '=', value } });
    }
    const sql = parse(`annotation.sql = "'; DROP TABLE x; --"`);
    expect(TRACES.filter((t) => evaluate(sql, t)).map((t) => t.id)).toEqual(['unicode-cafe']);
    expect(TRACES.filter((t) => evaluate(parse(`annotation.sql CONTAINS "DROP TABLE"`), t)).map((t) => t.id)).toEqual(['unicode-cafe']);
    expect(TRACES.filter((t) => evaluate(parse(`annotation.sql = "' OR '1'='1"`), t))).toEqual([]);
  });

  test('unicode: values round trip and columns count code points', () => {
    const text = 'user = "zoë 🚀 \u{1F600} 日本語 \\u00e9" AND http.url CONTAINS "/é"';
    const tree = parse(text);
    expect(tree).toMatchObject({ operands: [{ value: 'zoë 🚀 😀 日本語 é' }, { value: '/é' }] });
    expect(parse(print(tree))).toEqual(tree);
    expect(errorOf(() => parse('user = "🚀🚀🚀" AND é'))).toMatchObject({ column: 18, offset: 20, message: "unexpected character 'é' at column 18" });
    expect(errorOf(() => parse('ok\u200bAND fault'))).toMatchObject({ message: 'unexpected character U+200B at column 3' });
  });

  test('quotes, backslashes and control characters survive print and parse', () => {
    const value = 'a"b\\c\\"d\n\t\u0000\u001f}{)(';
    const tree = parse(`http.url = ${JSON.stringify(value)}`);
    expect(tree).toEqual({ kind: 'string', keyword: 'http.url', operator: '=', value });
    expect(parse(print(tree))).toEqual(tree);
  });

  test('fuzz: random token soups fail only with the two filter errors', () => {
    const pieces = [
      'ok', 'fault', '!', 'NOT', 'AND', 'OR', '(', ')', '{', '}', 'service(', 'edge(', 'id(', 'name:', 'type:', '"x"', '"', '\\',
      '5', '-1.5e3', '=', '!=', '<', '>=', 'CONTAINS', 'annotation.k', 'annotation.', 'http.status', 'user', 'rootcause.fault.entity',
      'rootcause.json', 'group.name', ',', ':', 'true', 'false', 'name', 'index', '🚀', '#', '\n', ' ',
    ];
    const next = random(20261125);
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      const length = 1 + Math.floor(next() * 12);
      const text = Array.from({ length }, () => pieces[Math.floor(next() * pieces.length)]).join(' ');
      const error = errorOf(() => {
        const tree = parse(text);
        parsed++;
        expect(parse(print(tree))).toEqual(tree);
        for (const t of TRACES) evaluate(tree, t);
      });
      if (error !== undefined && !(error instanceof FilterParseError) && !(error instanceof UnsupportedFilterError)) {
        throw new Error(`${JSON.stringify(text)} threw ${String(error)}`);
      }
    }
    expect(parsed).toBeGreaterThan(30);
  });
});
