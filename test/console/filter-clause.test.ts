import { describe, expect, it } from 'vitest';
import {
  annotationClause, httpClause, narrow, noHttpClause, noRootCauseClause, numberLiteral, quote, responseTimeClause, rootCauseClause, serviceClause,
} from '../../src/console/analytics/filter-clause.ts';
import { parse } from '../../src/xray/query/index.ts';
import type { Expression } from '../../src/xray/query/index.ts';
import { seededRandom } from '../xray/graph/pattern-traces.ts';

/** Values a trace may carry that a careless quoting would break or change. */
const AWKWARD = [
  '', 'plain', '/prod/foo', 'a "quoted" word', 'back\\slash', 'trailing\\', '\\"', 'line\nbreak', 'tab\tand\rreturn',
  '\u0000nul', '\u0007bell', '\u007f', '\u2028\u2029', 'é ünïcödé', '😀 emoji', '\ud800 lone high', 'lone low \udc00', '\udc00\ud800',
  '<img src=x onerror="window.__xss=1">', 'x OR y', ') OR (fault', '} AND { ok', 'annotation.x = 1', '\\u0041', '"',
];

function randomText(random: () => number): string {
  let text = '';
  const length = Math.floor(random() * 12);
  for (let i = 0; i < length; i += 1) {
    const pick = random();
    text += pick < 0.3 ? String.fromCharCode(Math.floor(random() * 0x80)) : pick < 0.5 ? '"\\'[Math.floor(random() * 2)] : String.fromCharCode(Math.floor(random() * 0x10000));
  }
  return text;
}

const VALUES = [...AWKWARD, ...Array.from({ length: 300 }, ((random) => () => randomText(random))(seededRandom(7)))];

describe('clauses the page adds, read by the service\'s own parser', () => {
  it('quotes any string so that it reads back as the same string', () => {
    for (const value of VALUES) {
      expect(parse(`http.url = ${quote(value)}`), JSON.stringify(value)).toEqual({ kind: 'string', keyword: 'http.url', operator: '=', value });
    }
  });

  it('writes numbers the lexer reads back exactly, and none for NaN or infinities', () => {
    for (const value of [0, -0, 7, -3, 0.1 + 0.2, 1e21, 1.5e-7, -2.5e300, Number.MAX_VALUE, Number.MIN_VALUE, 502]) {
      const literal = numberLiteral(value);
      expect(literal).toBeDefined();
      expect(parse(`http.status = ${literal}`)).toEqual({ kind: 'number', keyword: 'http.status', operator: '=', value: value === 0 ? 0 : value });
    }
    expect([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map(numberLiteral)).toEqual([undefined, undefined, undefined]);
  });

  it('picks an annotation value by its type, and refuses a key the language cannot write', () => {
    for (const value of VALUES) {
      expect(parse(annotationClause('path', { StringValue: value }) ?? '')).toEqual({ kind: 'annotation', key: 'path', comparison: { type: 'string', operator: '=', value } });
    }
    expect(parse(annotationClause('retries_2', { NumberValue: -4.25 }) ?? '')).toEqual({ kind: 'annotation', key: 'retries_2', comparison: { type: 'number', operator: '=', value: -4.25 } });
    expect(parse(annotationClause('cold', { BooleanValue: false }) ?? '')).toEqual({ kind: 'annotation', key: 'cold', comparison: { type: 'boolean', operator: '=', value: false } });
    expect(annotationClause('with-dash', { StringValue: 'x' })).toBeUndefined();
    expect(annotationClause('a.b', { StringValue: 'x' })).toBeUndefined();
    expect(annotationClause('', { StringValue: 'x' })).toBeUndefined();
    expect(annotationClause('n', { NumberValue: Number.NaN })).toBeUndefined();
    expect(annotationClause('n', {})).toBeUndefined();
  });

  it('names a fault or error root cause by the service it ends in, by name and type', () => {
    for (const name of VALUES.slice(0, 60)) {
      expect(parse(rootCauseClause('fault', { Name: name, Type: 'remote' }))).toEqual({
        kind: 'rootcause', category: 'fault', level: 'service', filter: {
          kind: 'and', operands: [
            { kind: 'flag', keyword: 'last', value: true },
            { kind: 'string', keyword: 'name', operator: '=', value: name },
            { kind: 'string', keyword: 'type', operator: '=', value: 'remote' },
          ],
        },
      });
    }
    // A service sent without a type has the type "" (as the map's filters say it).
    expect(rootCauseClause('error', { Name: 'x' })).toBe('rootcause.error.service { last AND name = "x" AND type = "" }');
    expect(parse(noRootCauseClause('fault'))).toEqual({ kind: 'not', operand: { kind: 'rootcause', category: 'fault', level: 'service', filter: undefined } });
    expect(parse(noRootCauseClause('error'))).toEqual({ kind: 'not', operand: { kind: 'rootcause', category: 'error', level: 'service', filter: undefined } });
  });

  it('names a service by name and type, HTTP fields by value, and their absence', () => {
    for (const name of VALUES.slice(0, 60)) {
      expect(parse(serviceClause({ Name: name, Type: 'AWS::Lambda' }))).toEqual({ kind: 'service', node: { name, type: 'AWS::Lambda' }, filter: undefined });
    }
    expect(parse(serviceClause({ Name: 'bare' }))).toEqual({ kind: 'service', node: { name: 'bare', type: '' }, filter: undefined });
    expect(parse(httpClause('status', 502) ?? '')).toEqual({ kind: 'number', keyword: 'http.status', operator: '=', value: 502 });
    expect(parse(httpClause('method', 'GET') ?? '')).toEqual({ kind: 'string', keyword: 'http.method', operator: '=', value: 'GET' });
    expect(parse(httpClause('url', 'https://h/a?b="c"') ?? '')).toEqual({ kind: 'string', keyword: 'http.url', operator: '=', value: 'https://h/a?b="c"' });
    for (const field of ['status', 'url', 'method'] as const) {
      expect(parse(noHttpClause(field))).toEqual({ kind: 'not', operand: { kind: 'present', keyword: `http.${field}` } });
    }
  });

  it('says a response-time range with its edges as people would write them', () => {
    expect(responseTimeClause(0.30000000000000004, 0.6000000000000001)).toBe('responsetime >= 0.3 AND responsetime <= 0.6');
    expect(parse(responseTimeClause(0, 1.25))).toEqual({ kind: 'and', operands: [
      { kind: 'number', keyword: 'responsetime', operator: '>=', value: 0 },
      { kind: 'number', keyword: 'responsetime', operator: '<=', value: 1.25 },
    ] });
  });
});

describe('narrowing a filter with a clause', () => {
  const andOf = (...parts: Expression[]): Expression => ({ kind: 'and', operands: parts.flatMap((part) => (part.kind === 'and' ? part.operands : [part])) });
  const CLAUSES = [
    httpClause('status', 502) ?? '', serviceClause({ Name: ') OR (x', Type: 'remote' }), rootCauseClause('fault', { Name: 'a OR b', Type: '' }),
    annotationClause('path', { StringValue: '" OR "' }) ?? '', responseTimeClause(0.1, 0.2), noHttpClause('url'),
  ];
  const FILTERS = [
    'fault', 'ok AND !partial', 'fault OR error', 'fault or error', 'service("a") { fault OR error }', '(fault OR error) AND ok',
    'http.url = "x OR y"', 'annotation.OR = 1', 'annotation.x = "\\" OR "', 'NOT fault OR ok', 'responsetime > 1e5 AND ok',
    'rootcause.fault.service { name = "x" OR name = "y" }', 'ok\nOR\nfault', 'ok fault', '!(ok OR fault)', 'edge("a", "b") { error OR fault }',
  ];

  it('is the clause alone when there is no filter', () => {
    expect(narrow('', 'fault')).toBe('fault');
    expect(narrow('  \n', 'fault')).toBe('fault');
  });

  it('always parses as the filter AND the clause', () => {
    for (const filter of FILTERS) {
      for (const clause of CLAUSES) {
        const narrowed = narrow(filter, clause);
        expect(parse(narrowed), narrowed).toEqual(andOf(parse(filter), parse(clause)));
      }
    }
  });

  it('wraps the filter only when an OR at its top level would take the clause in', () => {
    expect(narrow('fault OR error', 'ok')).toBe('(fault OR error) AND ok');
    expect(narrow('service("a") { fault OR error }', 'ok')).toBe('service("a") { fault OR error } AND ok');
    expect(narrow('http.url = "x OR y"', 'ok')).toBe('http.url = "x OR y" AND ok');
    expect(narrow('annotation.OR = 1', 'ok')).toBe('annotation.OR = 1 AND ok');
  });

  it('keeps one flat AND however many clauses are added, and adds a clause once', () => {
    let filter = 'fault OR error';
    for (let i = 0; i < 100; i += 1) filter = narrow(filter, `http.status = ${i}`);
    const tree = parse(filter);
    expect(tree.kind === 'and' ? tree.operands.length : 0).toBe(101);
    expect(narrow('ok AND http.status = 502', 'http.status = 502')).toBe('ok AND http.status = 502');
    const range = responseTimeClause(0.1, 0.2);
    expect(narrow(`ok AND ${range}`, range)).toBe(`ok AND ${range}`);
  });
});
