import { describe, expect, test } from 'vitest';
import { FilterParseError, parse, UnsupportedFilterError } from '../../../src/xray/query/index.ts';
import type { Expression } from '../../../src/xray/query/index.ts';
import { INVALID } from './cases.ts';

describe('parse builds the documented tree', () => {
  test.each<[string, Expression]>([
    ['ok', { kind: 'flag', keyword: 'ok', value: true }],
    ['OK = False', { kind: 'flag', keyword: 'ok', value: false }],
    ['ok != false', { kind: 'flag', keyword: 'ok', value: true }],
    ['responseTime >= 2.5', { kind: 'number', keyword: 'responsetime', operator: '>=', value: 2.5 }],
    ['http.url beginswith "/a"', { kind: 'string', keyword: 'http.url', operator: 'BEGINSWITH', value: '/a' }],
    ['user', { kind: 'present', keyword: 'user' }],
    ['annotation.Game_Id', { kind: 'annotation', key: 'Game_Id', comparison: undefined }],
    ['annotation.n = -3', { kind: 'annotation', key: 'n', comparison: { type: 'number', operator: '=', value: -3 } }],
    ['annotation.b != TRUE', { kind: 'annotation', key: 'b', comparison: { type: 'boolean', operator: '!=', value: true } }],
    ['annotation.s ENDSWITH "x"', { kind: 'annotation', key: 's', comparison: { type: 'string', operator: 'ENDSWITH', value: 'x' } }],
    ['service("a")', { kind: 'service', node: { name: 'a', type: undefined }, filter: undefined }],
    ['service(id(name: "a"))', { kind: 'service', node: { name: 'a', type: undefined }, filter: undefined }],
    ['service() { fault }', { kind: 'service', node: { name: undefined, type: undefined }, filter: { kind: 'flag', keyword: 'fault', value: true } }],
    ['edge(id(type: "T", name: "a"), "b") { error }', {
      kind: 'edge', source: { name: 'a', type: 'T' }, destination: { name: 'b', type: undefined },
      filter: { kind: 'flag', keyword: 'error', value: true },
    }],
    ['group.arn != "arn"', { kind: 'group', field: 'arn', operator: '!=', value: 'arn' }],
    ['RootCause.ResponseTime.Entity', { kind: 'rootcause', category: 'responsetime', level: 'entity', filter: undefined }],
  ])('%s', (text, tree) => {
    expect(parse(text)).toEqual(tree);
  });

  test('precedence: NOT binds tighter than AND, AND (or juxtaposition) tighter than OR', () => {
    const ok = { kind: 'flag', keyword: 'ok', value: true } as const;
    const fault = { kind: 'flag', keyword: 'fault', value: true } as const;
    const error = { kind: 'flag', keyword: 'error', value: true } as const;
    expect(parse('ok OR fault AND error')).toEqual({ kind: 'or', operands: [ok, { kind: 'and', operands: [fault, error] }] });
    expect(parse('ok OR fault error')).toEqual(parse('ok OR fault AND error'));
    expect(parse('!ok AND fault')).toEqual({ kind: 'and', operands: [{ kind: 'not', operand: ok }, fault] });
    expect(parse('NOT ok OR fault')).toEqual({ kind: 'or', operands: [{ kind: 'not', operand: ok }, fault] });
    expect(parse('(ok OR fault) error')).toEqual({ kind: 'and', operands: [{ kind: 'or', operands: [ok, fault] }, error] });
  });

  test('chains are flat: parentheses around the same operator do not nest', () => {
    expect(parse('(ok AND fault) AND (error AND ok)')).toEqual(parse('ok AND fault AND error AND ok'));
    expect(parse('ok OR (fault OR (error))')).toEqual(parse('ok OR fault OR error'));
  });

  test('!responsetime > 5 negates the comparison', () => {
    expect(parse('!responsetime > 5')).toEqual({ kind: 'not', operand: { kind: 'number', keyword: 'responsetime', operator: '>', value: 5 } });
  });
});

describe('invalid filters', () => {
  test('the corpus is large enough', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(25);
  });

  test.each(INVALID.map((c) => [c.filter, c] as const))('%j', (filter, c) => {
    let caught: unknown;
    try {
      parse(filter);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(c.unsupported === true ? UnsupportedFilterError : FilterParseError);
    expect(caught).toMatchObject({ message: c.message, column: c.column });
  });

  test('a parse error carries offset, line, reason and what was expected', () => {
    let caught: unknown;
    try {
      parse('ok AND\n  responsetime > AND');
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({
      name: 'FilterParseError', offset: 24, line: 2, column: 18,
      reason: "expected a number after '>', found 'AND'", expected: "a number after '>'",
      message: "expected a number after '>', found 'AND' at line 2, column 18",
    });
  });

  test('the two error classes are distinct', () => {
    expect(() => parse('rootcause.json = #[]')).toThrow(UnsupportedFilterError);
    expect(() => parse('rootcause.json = #[]')).not.toThrow(FilterParseError);
    expect(() => parse('json')).toThrow(UnsupportedFilterError);
    expect(() => parse('json )')).toThrow(UnsupportedFilterError);
  });

  test('the first error in reading order wins', () => {
    expect(() => parse('foo = "unterminated')).toThrow("unknown keyword 'foo' at column 1");
  });
});
