/**
 * A filter expression compiled for the SQLite store: a WHERE fragment over the `traces` row `t`
 * (with `annotations` and `trace_services` looked up by `t.seq`), and the residual the store must
 * still evaluate in memory on the rows the fragment lets through.
 *
 * The fragment never misses a matching trace: where a construct cannot be said in SQL it says
 * something weaker (at worst `1`), and the construct goes to the residual. For every trace,
 * `filter` holds exactly when `where` holds and `residual` (if any) holds. Fragments are 0 or 1,
 * never NULL, so NOT and OR keep their meaning. Every value is a named parameter; nothing from
 * the filter is ever spliced into the SQL text.
 *
 * Text comparisons run on the UTF-8 bytes (`CAST(x AS BLOB)`): byte-exact, case-sensitive, no
 * wildcards, and right even for values holding NUL. A value SQLite would store differently from
 * JavaScript (a lone surrogate, which it turns into U+FFFD, or U+FFFD itself) is left to the
 * residual. So is `responsetime` inside a service block: the table keeps it bucketed
 * (sqlite-services.ts), and bucketing is monotonic, so the bucket gives a bound.
 */
import { bucketSeconds } from '../graph/histogram.ts';
import type { Expression, NodeSelector, NumberKeyword, NumberOperator, StringKeyword, StringOperator } from '../query/index.ts';
import { InvalidQueryError } from './query.ts';

export interface FilterSql {
  /** A condition on the `traces` row aliased `t`. */
  readonly where: string;
  /** Named parameters of `where` (names without the `@`). */
  readonly params: Readonly<Record<string, string | number>>;
  /** What must still be checked in memory; undefined when `where` says it all. */
  readonly residual: Expression | undefined;
  /**
   * Queries (`SELECT trace_seq ...`, same parameters) that each list, through an index, a superset
   * of the matching traces: one per top-level condition that an index can answer (annotation
   * equality and ranges, a named service). A reader may start from the smallest instead of
   * scanning the time range.
   */
  readonly drivers: readonly string[];
}

interface Compiled {
  readonly sql: string;
  /** `sql` holds exactly for the matching traces (otherwise for a superset of them). */
  readonly exact: boolean;
  /**
   * Row tests an index answers (annotation values, named services) whose rows' traces, together,
   * are a superset of the matching traces: the page may start from that list (`drivers`).
   */
  readonly indexed?: readonly RowTest[];
  /** `sql` is `EXISTS` of a row of the trace in `table` meeting `condition`: ORed ones merge into one. */
  readonly rows?: RowTest;
}

interface RowTest {
  readonly table: RowTable;
  readonly condition: string;
  /** The parameter the row's key column must equal (`a.key`, `s.name`), when the condition fixes it. */
  readonly key: string | undefined;
}

type RowTable = 'annotations' | 'trace_services';
const ROW_ALIAS: Readonly<Record<RowTable, string>> = { annotations: 'a', trace_services: 's' };
const ROW_KEY: Readonly<Record<RowTable, string>> = { annotations: 'a.key', trace_services: 's.name' };

/** `EXISTS` of a row of the trace `t` in `table` meeting `condition`. */
function exists(table: RowTable, condition: string): string {
  const alias = ROW_ALIAS[table];
  return `EXISTS (SELECT 1 FROM ${table} ${alias} WHERE ${alias}.trace_seq = t.seq${condition === '1' ? '' : ` AND ${condition}`})`;
}

/**
 * `EXISTS (row meets c1) OR EXISTS (row meets c2) ...` said as `EXISTS (row meets c1 OR c2 ...)`,
 * which means the same: SQLite then runs one subquery a trace, where each EXISTS of a statement is
 * a cursor of its own and a thousand of them cost quadratically (issue 11: a thousand ORed
 * annotation tests took 16 s over 500 traces). When every operand fixes the key, the keys listed
 * let the primary key (trace_seq, key, ...) find the few rows to test.
 */
function mergeRows(table: RowTable, tests: readonly RowTest[]): RowTest {
  if (tests.length === 1) return tests[0]!;
  const conditions = tests.map((r) => (r.condition === '1' ? '1' : `(${r.condition})`));
  const keys = tests.map((r) => r.key);
  const listed = keys.every((k): k is string => k !== undefined) ? `${ROW_KEY[table]} IN (${[...new Set(keys)].join(', ')}) AND ` : '';
  return { table, condition: `${listed}${balanced(conditions, 'OR')}`, key: undefined };
}

const TRUE: Compiled = { sql: '1', exact: false };

const TRACE_NUMBERS: Partial<Record<NumberKeyword, string>> = {
  responsetime: 't.response_time',
  duration: 't.duration',
  'http.status': 't.http_status',
};
const TRACE_STRINGS: Partial<Record<StringKeyword, string>> = {
  'http.url': 't.http_url',
  'http.method': 't.http_method',
  'http.useragent': 't.http_useragent',
  'http.clientip': 't.http_clientip',
};
const TRACE_FLAGS: Readonly<Record<string, string>> = {
  ok: '(t.has_fault = 0 AND t.has_error = 0)',
  error: 't.has_error = 1',
  throttle: 't.has_throttle = 1',
  fault: 't.has_fault = 1',
  partial: 't.is_partial = 1',
  inferred: 'EXISTS (SELECT 1 FROM trace_services s WHERE s.trace_seq = t.seq AND s.inferred = 1)',
};
const SERVICE_FLAGS: Readonly<Record<string, string>> = {
  ok: 's.ok = 1', error: 's.error = 1', throttle: 's.throttle = 1', fault: 's.fault = 1', root: 's.root = 1', inferred: 's.inferred = 1',
};

/** SQLite keeps such text exactly as JavaScript does: no lone surrogate (stored as U+FFFD), no U+FFFD. */
export function storesExactly(text: string): boolean {
  return !/[\uD800-\uDFFF\uFFFD]/u.test(text);
}

type Scope = 'trace' | 'service';

class Compiler {
  readonly params: Record<string, string | number> = {};
  private count = 0;

  /** Where the parameters stand; `forgetSince` unbinds those named after. */
  mark(): number {
    return this.count;
  }

  forgetSince(mark: number): void {
    for (let i = mark; i < this.count; i++) delete this.params[`f${i}`];
  }

  param(value: string | number): string {
    const name = `f${this.count++}`;
    this.params[name] = value;
    return `@${name}`;
  }

  compile(e: Expression, scope: Scope): Compiled {
    switch (e.kind) {
      case 'and': {
        const parts = e.operands.map((o) => this.compile(o, scope));
        const sql = parts.map((p) => p.sql).filter((s) => s !== '1');
        return { sql: sql.length === 0 ? '1' : balanced(sql, 'AND'), exact: parts.every((p) => p.exact) };
      }
      case 'or': {
        const parts = e.operands.map((o) => this.compile(o, scope));
        const exact = parts.every((p) => p.exact);
        if (parts.some((p) => p.sql === '1')) return { sql: '1', exact };
        if (parts.length === 0) return { sql: '0', exact };
        const sql: string[] = [];
        const byTable = new Map<RowTable, RowTest[]>();
        for (const part of parts) {
          if (part.rows === undefined) sql.push(part.sql);
          else byTable.set(part.rows.table, [...(byTable.get(part.rows.table) ?? []), part.rows]);
        }
        const merged = [...byTable].map(([table, tests]) => mergeRows(table, tests));
        // When every operand's traces can be listed, so can the OR's: all the lists together.
        const indexed = parts.every((p) => p.indexed !== undefined) ? { indexed: parts.flatMap((p) => p.indexed!) } : {};
        // Still one row test: an OR enclosing this one may merge it further.
        if (sql.length === 0 && merged.length === 1) return { sql: exists(merged[0]!.table, merged[0]!.condition), exact, rows: merged[0]!, ...indexed };
        sql.push(...merged.map((r) => exists(r.table, r.condition)));
        return { sql: balanced(sql, 'OR'), exact, ...indexed };
      }
      case 'not': {
        const inner = this.compile(e.operand, scope);
        return inner.exact ? { sql: `NOT ${inner.sql}`, exact: true } : TRUE;
      }
      case 'flag': {
        const sql = (scope === 'trace' ? TRACE_FLAGS : SERVICE_FLAGS)[e.keyword];
        if (sql === undefined) return TRUE;
        return { sql: e.value ? `(${sql})` : `NOT (${sql})`, exact: true };
      }
      case 'number': {
        if (scope === 'service') return e.keyword === 'responsetime' ? this.bucketed('s.response_time', e.operator, e.value) : TRUE;
        const column = TRACE_NUMBERS[e.keyword];
        if (column === undefined) return TRUE;
        return { sql: `(${column} IS NOT NULL AND ${column} ${sqlOperator(e.operator)} ${this.param(e.value)})`, exact: true };
      }
      case 'string': return this.string(e.keyword, e.operator, e.value, scope);
      case 'present': return this.present(e.keyword, scope);
      case 'annotation': return this.annotation(e);
      case 'service': {
        const conditions = this.selector(e.node);
        let exact = conditions.exact;
        if (e.filter !== undefined) {
          const block = this.compile(e.filter, 'service');
          if (block.sql !== '1') conditions.sql.push(block.sql);
          exact &&= block.exact;
        }
        const rows: RowTest = {
          table: 'trace_services',
          condition: conditions.sql.length === 0 ? '1' : conditions.sql.join(' AND '),
          key: conditions.name,
        };
        // A named node: the (name, type) index lists the traces.
        return { sql: services(conditions.sql), exact, rows, ...(rows.key === undefined ? {} : { indexed: [rows] }) };
      }
      case 'edge': {
        // Both ends of an edge are nodes of the trace; what the edge did needs the documents.
        const sql = [services(this.selector(e.source).sql), services(this.selector(e.destination).sql)];
        return { sql: `(${sql.join(' AND ')})`, exact: false };
      }
      case 'rootcause': return TRUE;
      case 'group':
        throw new InvalidQueryError('group.name and group.arn must be resolved into group filters before compiling (see filter-plan.ts)');
    }
  }

  private string(keyword: StringKeyword, operator: StringOperator, value: string, scope: Scope): Compiled {
    const column = scope === 'trace' ? TRACE_STRINGS[keyword] : keyword === 'name' ? 's.name' : keyword === 'type' ? 's.type' : undefined;
    if (column === undefined) {
      // A trace's users are a list; the column holds one of them, so it only tells whether there are any.
      return keyword === 'user' && scope === 'trace' ? { sql: 't.user IS NOT NULL', exact: false } : TRUE;
    }
    const set = `${column} IS NOT NULL`;
    if (!storesExactly(value)) return { sql: set, exact: false };
    return { sql: `(${set} AND ${this.text(column, operator, value)})`, exact: true };
  }

  /** `column op value` where the column holds bucketSeconds(x) of the real x: x op value implies the bound. */
  private bucketed(column: string, operator: NumberOperator, value: number): Compiled {
    const bucket = (): string => this.param(bucketSeconds(value));
    const bound = operator === '>' || operator === '>=' ? `${column} >= ${bucket()}`
      : operator === '<' || operator === '<=' ? `${column} <= ${bucket()}`
      : operator === '=' ? `${column} = ${bucket()}`
      : operator === '!=' ? '1'
      : sqlOperator(operator);
    return { sql: `(${column} IS NOT NULL AND ${bound})`, exact: false };
  }

  /** A comparison of a TEXT expression with `value`, on UTF-8 bytes. */
  private text(column: string, operator: StringOperator, value: string): string {
    if (operator === '=') return `${column} = ${this.param(value)}`;
    if (operator === '!=') return `${column} != ${this.param(value)}`;
    // Every string contains, begins and ends with "".
    if (value === '') return '1';
    const bytes = Buffer.byteLength(value, 'utf8');
    const blob = `CAST(${column} AS BLOB)`;
    switch (operator) {
      case 'CONTAINS': return `instr(${blob}, CAST(${this.param(value)} AS BLOB)) > 0`;
      case 'BEGINSWITH': return `substr(${blob}, 1, ${this.param(bytes)}) = CAST(${this.param(value)} AS BLOB)`;
      case 'ENDSWITH': return `substr(${blob}, -${this.param(bytes)}) = CAST(${this.param(value)} AS BLOB)`;
    }
  }

  private present(keyword: NumberKeyword | StringKeyword, scope: Scope): Compiled {
    if (scope === 'service') {
      if (keyword === 'responsetime') return { sql: 's.response_time IS NOT NULL', exact: true };
      return { sql: '1', exact: keyword === 'name' || keyword === 'type' };
    }
    const column = TRACE_NUMBERS[keyword as NumberKeyword] ?? TRACE_STRINGS[keyword as StringKeyword] ?? (keyword === 'user' ? 't.user' : undefined);
    return column === undefined ? TRUE : { sql: `${column} IS NOT NULL`, exact: true };
  }

  private annotation(e: Extract<Expression, { kind: 'annotation' }>): Compiled {
    const key = this.param(e.key);
    const rows = (condition: string): RowTest => ({ table: 'annotations', condition: `a.key = ${key} AND ${condition}`, key });
    const test = (condition: string, exact: boolean): Compiled => {
      const r = rows(condition);
      return { sql: exists(r.table, r.condition), exact, rows: r };
    };
    const c = e.comparison;
    // Alone, an annotation is set; a boolean one reads as its value.
    if (c === undefined) return test("NOT (a.type = 'boolean' AND a.value = 0)", true);
    const type = `a.type = '${c.type}'`;
    if (c.type === 'string' && !storesExactly(c.value)) return test(type, false);
    const value = c.type === 'boolean' ? (c.value ? 1 : 0) : c.value;
    if (c.operator === '!=') {
      // Values of that type exist and none equals.
      const some = rows(type);
      const equal = rows(`${type} AND a.value = ${this.param(value)}`);
      return { sql: `(${exists(some.table, some.condition)} AND NOT ${exists(equal.table, equal.condition)})`, exact: true };
    }
    if (c.type === 'string' && c.operator !== '=') return test(`${type} AND ${this.text('a.value', c.operator, c.value)}`, true);
    // Equality and ranges: the (key, type, value) index lists the traces.
    const condition = `${type} AND a.value ${sqlOperator(c.operator as NumberOperator)} ${this.param(value)}`;
    const compiled = test(condition, true);
    return { ...compiled, indexed: [compiled.rows!] };
  }

  /** Conditions on the `trace_services` row `s` for a node selector. */
  private selector(node: NodeSelector): { sql: string[]; exact: boolean; name: string | undefined } {
    const sql: string[] = [];
    let exact = true;
    let name: string | undefined;
    for (const [column, value] of [['s.name', node.name], ['s.type', node.type]] as const) {
      if (value === undefined) continue;
      if (!storesExactly(value)) {
        exact = false;
        continue;
      }
      const param = this.param(value);
      if (column === 's.name') name = param;
      sql.push(`${column} = ${param}`);
    }
    return { sql, exact, name };
  }
}

/**
 * `(a OP b OP c ...)` grouped as a balanced tree: SQLite nests a chain one level a term and
 * refuses an expression deeper than 1000 levels, which a thousand ORs reach; halves cost log2(n).
 */
function balanced(parts: readonly string[], operator: 'AND' | 'OR'): string {
  if (parts.length === 1) return parts[0] as string;
  const middle = parts.length >> 1;
  return `(${balanced(parts.slice(0, middle), operator)} ${operator} ${balanced(parts.slice(middle), operator)})`;
}

/**
 * SQLite's limits on one statement are an expression 1000 levels deep (SQLITE_MAX_EXPR_DEPTH; a
 * subquery's depth counts in its parent's) and 32,766 parameters. A filter whose SQL could come
 * near either is evaluated in memory instead (MAX_FILTER_TERMS and MAX_NESTING_DEPTH keep that
 * rare): slower, never a failed query.
 */
export const MAX_SQL_DEPTH = 500;
export const MAX_SQL_PARAMS = 10_000;
/**
 * Subqueries (EXISTS over annotations or services) in one page query, at most. Each is a cursor of
 * its own for every row SQLite tests, and their cost grows faster than their number: 10 ORed
 * cost 0.2 us a subquery a row, 300 cost 6 us, 1,000 cost 15-20 us (SQLite 3.51). Top-level
 * conditions past the budget are checked in memory instead.
 */
export const MAX_SQL_SUBQUERIES = 32;
/** Index lists tried a page, at most: each is a query. */
export const MAX_DRIVERS = 8;

/** An upper bound on the depth of the SQL compiled from `e`, in SQLite's expression levels. */
export function sqlDepth(e: Expression): number {
  // A leaf compiles to at most an EXISTS subquery with a few ANDs: about 6 levels.
  const LEAF = 8;
  switch (e.kind) {
    case 'and':
    case 'or': {
      let deepest = 0;
      for (const operand of e.operands) deepest = Math.max(deepest, sqlDepth(operand));
      return deepest + Math.ceil(Math.log2(Math.max(1, e.operands.length))) + 1;
    }
    case 'not': return sqlDepth(e.operand) + 2;
    case 'service': return LEAF + (e.filter === undefined ? 0 : sqlDepth(e.filter));
    default: return LEAF;
  }
}

function services(conditions: readonly string[]): string {
  return `EXISTS (SELECT 1 FROM trace_services s WHERE ${['s.trace_seq = t.seq', ...conditions].join(' AND ')})`;
}

const SQL_OPERATORS: Readonly<Record<NumberOperator, string>> = { '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** From a fixed list, so a hand-made tree cannot put its own text into the SQL either. */
function sqlOperator(operator: NumberOperator): string {
  const sql = SQL_OPERATORS[operator] as string | undefined;
  if (sql === undefined) throw new InvalidQueryError(`unknown comparison operator ${JSON.stringify(operator)}`);
  return sql;
}

/** The operands of a top-level AND, nested ANDs (left by group expansion) included. */
function conjuncts(filter: Expression): Expression[] {
  return filter.kind === 'and' ? filter.operands.flatMap(conjuncts) : [filter];
}

/**
 * A `SELECT trace_seq` listing the traces with a row meeting one of `tests`: one statement a table,
 * its ORed conditions each answered by an index (SQLite's multi-index OR).
 */
function driver(tests: readonly RowTest[]): string {
  const byTable = new Map<RowTable, string[]>();
  for (const test of tests) byTable.set(test.table, [...(byTable.get(test.table) ?? []), test.condition]);
  return [...byTable].map(([table, conditions]) => {
    const alias = ROW_ALIAS[table];
    const condition = conditions.length === 1 ? conditions[0]! : balanced(conditions.map((c) => `(${c})`), 'OR');
    return `SELECT ${alias}.trace_seq FROM ${table} ${alias} WHERE ${condition}`;
  }).join(' UNION ALL ');
}

/** The tests of a filter (its leaves, a block counting as one more): what evaluating it on one trace costs, roughly. */
export function filterTerms(e: Expression): number {
  switch (e.kind) {
    case 'and':
    case 'or': {
      let terms = 0;
      for (const operand of e.operands) terms += filterTerms(operand);
      return Math.max(1, terms);
    }
    case 'not': return filterTerms(e.operand);
    case 'service':
    case 'edge':
    case 'rootcause': return 1 + (e.filter === undefined ? 0 : filterTerms(e.filter));
    default: return 1;
  }
}

/** The subqueries in compiled SQL: the compiler's own text, so each is one `(SELECT `. */
function subqueries(sql: string): number {
  return sql.split('(SELECT ').length - 1;
}

/** Compiles a filter without group tests (see filter-plan.ts). */
export function compileFilter(filter: Expression): FilterSql {
  const inMemory: FilterSql = { where: '1', params: {}, residual: filter, drivers: [] };
  if (sqlDepth(filter) > MAX_SQL_DEPTH) return inMemory;
  const compiler = new Compiler();
  const parts: Array<{ operand: Expression; compiled: Compiled }> = [];
  let budget = MAX_SQL_SUBQUERIES;
  for (const operand of conjuncts(filter)) {
    const mark = compiler.mark();
    const compiled = compiler.compile(operand, 'trace');
    const cost = subqueries(compiled.sql);
    if (cost <= budget) {
      budget -= cost;
      parts.push({ operand, compiled });
      continue;
    }
    // Over the budget: this condition is checked in memory (bounded a page), its parameters unbound.
    compiler.forgetSince(mark);
    parts.push({ operand, compiled: TRUE });
  }
  if (Object.keys(compiler.params).length > MAX_SQL_PARAMS) return inMemory;
  const where = parts.map((p) => p.compiled.sql).filter((sql) => sql !== '1');
  const residual = parts.filter((p) => !p.compiled.exact).map((p) => p.operand);
  return {
    where: where.length === 0 ? '1' : balanced(where, 'AND'),
    params: compiler.params,
    residual: residual.length === 0 ? undefined : residual.length === 1 ? residual[0] : { kind: 'and', operands: residual },
    drivers: parts.flatMap((p) => (p.compiled.indexed === undefined ? [] : [driver(p.compiled.indexed)])).slice(0, MAX_DRIVERS),
  };
}
