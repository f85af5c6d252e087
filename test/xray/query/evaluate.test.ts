import { describe, expect, test } from 'vitest';
import { evaluate, parse } from '../../../src/xray/query/index.ts';
import type { Expression, TraceView } from '../../../src/xray/query/index.ts';
import { VALID } from './cases.ts';
import { TRACE_IDS, TRACES } from './corpus.ts';

const matching = (filter: string): string[] => {
  const expression = parse(filter);
  return TRACES.filter((t) => evaluate(expression, t)).map((t) => t.id);
};

describe('the case corpus over the trace corpus', () => {
  test('is large enough and names only traces that exist', () => {
    expect(VALID.length).toBeGreaterThanOrEqual(60);
    for (const c of VALID) for (const id of c.matches) expect(TRACE_IDS).toContain(id);
  });

  test.each(VALID.map((c) => [c.filter, c.matches] as const))('%s', (filter, matches) => {
    expect(matching(filter).sort()).toEqual([...matches].sort());
  });
});

describe('semantics worth stating on their own', () => {
  const [first] = TRACES;
  const base = first as TraceView;

  test('NOT is the complement for every valid case', () => {
    for (const c of VALID) {
      const negated = TRACES.filter((t) => !evaluate(parse(c.filter), t)).map((t) => t.id);
      expect(matching(`NOT (${c.filter})`)).toEqual(negated);
    }
  });

  test('a comparison on an unset field is false for every operator, != included', () => {
    const bare: TraceView = { ...base, http: { url: undefined, method: undefined, userAgent: undefined, clientIp: undefined, status: undefined }, users: [] };
    for (const filter of ['http.status != 200', 'http.status < 1000', 'http.url != "x"', 'user != "alice"', 'http.method CONTAINS ""']) {
      expect(evaluate(parse(filter), bare), filter).toBe(false);
    }
  });

  test('a hand-made tree with a keyword out of its scope is refused, not guessed', () => {
    const tree: Expression = { kind: 'flag', keyword: 'first', value: true };
    expect(() => evaluate(tree, base)).toThrow("'first' has no value outside a block");
  });

  test('service and edge blocks need one subject to satisfy the whole block', () => {
    // http-remote-fault: the remote node faults, the function does not; no single node is both.
    const remote = TRACES.find((t) => t.id === 'http-remote-fault') as TraceView;
    expect(evaluate(parse('service() { fault } AND service() { type = "AWS::Lambda::Function" }'), remote)).toBe(true);
    expect(evaluate(parse('service() { fault AND type = "AWS::Lambda::Function" }'), remote)).toBe(false);
  });
});
