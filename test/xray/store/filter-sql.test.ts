/**
 * The filter compiler on its own: what it pushes down, that values only ever travel as
 * parameters, and that the SQL it writes means what the evaluator means, checked on a small
 * SQLite database of the store's columns, hostile values included.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { evaluate, MAX_FILTER_TERMS, parse, type AnnotationValue, type Expression, type ServiceView, type TraceView } from '../../../src/xray/query/index.ts';
import { quote } from '../../../src/xray/query/print.ts';
import { compileFilter, MAX_SQL_DEPTH, MAX_SQL_SUBQUERIES, sqlDepth, storesExactly } from '../../../src/xray/store/filter-sql.ts';
import { ALWAYS, NEVER } from '../../../src/xray/store/filter-plan.ts';
import { bucketSeconds } from '../../../src/xray/graph/histogram.ts';
import { seededRandom } from '../graph/pattern-traces.ts';

describe('what is pushed down', () => {
  const exact = [
    'ok', '!ok', 'error', 'fault = false', 'throttle', 'partial', 'inferred', '!inferred',
    'responsetime > 1', 'duration <= 2.5', 'http.status = 200', 'http.status != 500', 'http.status',
    'http.url = "https://x/y"', 'http.url CONTAINS "/prod/"', 'http.method BEGINSWITH "G"', 'http.useragent ENDSWITH "k6"',
    'http.clientip != "1.2.3.4"', 'user', '!user',
    'annotation.path', '!annotation.path', 'annotation.path = "/a"', 'annotation.path != "/a"', 'annotation.n > 3',
    'annotation.n != 3', 'annotation.flag = true', 'annotation.flag != false', 'annotation.path ENDSWITH "a"',
    'service("x")', '!service("x")', 'service() { fault }', 'service(id(name: "x", type: "remote")) { throttle OR error }',
    'service() { responsetime }',
    'service() { name BEGINSWITH "dyn" AND type = "AWS::Lambda::Function" }', 'service() { root AND !inferred }',
    'fault OR annotation.path = "/a"', 'NOT (error OR service("x") { throttle })',
  ];
  test.each(exact)('%s runs in SQL alone', (text) => {
    const compiled = compileFilter(parse(text));
    expect(compiled.residual).toBeUndefined();
    expect(compiled.where).not.toBe('1');
  });

  const residual: Array<[string, string | undefined]> = [
    ['user = "alice"', 'user = "alice"'],
    ['availabilityzone = "us-east-1a"', 'availabilityzone = "us-east-1a"'],
    ['edge("a", "b") { fault }', 'edge("a", "b") { fault }'],
    ['rootcause.fault.service { name = "x" }', 'rootcause.fault.service { name = "x" }'],
    // The table holds a node's response time bucketed: SQL narrows, memory decides.
    ['service("x") { responsetime > 2 }', 'service("x") { responsetime > 2 }'],
    // Only the part SQL cannot say stays for memory.
    ['fault AND user = "alice" AND responsetime > 1', 'user = "alice"'],
    // Inside OR or NOT, the whole operand goes.
    ['fault OR user = "alice"', 'fault OR user = "alice"'],
    ['!(user = "alice")', '!(user = "alice")'],
    // Text SQLite would not keep as JavaScript does.
    ['http.url = "\\ud800"', 'http.url = "\\ud800"'],
    ['annotation.a CONTAINS "\uFFFD"', 'annotation.a CONTAINS "\uFFFD"'],
  ];
  test.each(residual)('%s leaves %s to memory', (text, left) => {
    const compiled = compileFilter(parse(text));
    expect(compiled.residual).toEqual(left === undefined ? undefined : parse(left));
  });

  test('the empty AND and OR (a resolved group) are true and false in SQL', () => {
    expect(compileFilter(ALWAYS)).toEqual({ where: '1', params: {}, residual: undefined, drivers: [] });
    expect(compileFilter(NEVER).where).toBe('0');
    expect(compileFilter({ kind: 'not', operand: NEVER }).where).toBe('NOT 0');
  });

  test('conditions an index can list give drivers; others do not', () => {
    const drivers = (text: string): string[] => compileFilter(parse(text)).drivers.map((d) => d.replace(/@f\d+/g, '@p'));
    expect(drivers('annotation.customer = "c-1" AND annotation.n >= 3 AND fault')).toEqual([
      "SELECT a.trace_seq FROM annotations a WHERE a.key = @p AND a.type = 'string' AND a.value = @p",
      "SELECT a.trace_seq FROM annotations a WHERE a.key = @p AND a.type = 'number' AND a.value >= @p",
    ]);
    expect(drivers('service("svc-7") { fault }')).toEqual(['SELECT s.trace_seq FROM trace_services s WHERE s.name = @p AND (s.fault = 1)']);
    // An OR whose every operand an index lists: all the lists, one statement a table.
    expect(drivers('annotation.a = 1 OR service("x") OR annotation.b > 2 OR service("y") { fault }')).toEqual([
      "SELECT a.trace_seq FROM annotations a WHERE ((a.key = @p AND a.type = 'number' AND a.value = @p) OR (a.key = @p AND a.type = 'number' AND a.value > @p))"
      + ' UNION ALL SELECT s.trace_seq FROM trace_services s WHERE ((s.name = @p) OR (s.name = @p AND (s.fault = 1)))',
    ]);
    for (const text of [
      'annotation.a != "x"', 'annotation.a CONTAINS "x"', 'annotation.a', 'service() { fault }', 'service(id(type: "remote"))', 'fault OR annotation.a = 1', 'user = "x"',
      'annotation.a = 1 OR annotation.b CONTAINS "x"', '!(annotation.a = 1 OR annotation.b = 2)',
    ]) {
      expect(drivers(text)).toEqual([]);
    }
  });

  test('a group test must be resolved first', () => {
    expect(() => compileFilter(parse('group.name = "g"'))).toThrow(/resolved into group filters/);
  });
});

const HOSTILE = [
  "'; DROP TABLE traces; --", '"; DELETE FROM annotations; --', '%', '_', '%_%', '\\', '\\%', "a'b", 'a"b', '[*]', '?', '*',
  'ß', 'É', 'é', 'e\u0301', '🚀', 'zoë 🚀', 'NUL\u0000inside', '\u0000', 'Robert\'); DROP TABLE students;--', 'a\nb', '\t',
  'İ', 'ı', 'ǅ', 'ﬁ', '', ' ', 'A', 'a',
];

describe('values travel as parameters only', () => {
  test.each(HOSTILE.filter((v) => v.length > 2))('%j never appears in the SQL text', (value) => {
    for (const text of [
      `http.url = ${quote(value)}`, `http.url CONTAINS ${quote(value)}`, `annotation.k BEGINSWITH ${quote(value)}`,
      `annotation.k != ${quote(value)}`, `service(${quote(value)}) { name ENDSWITH ${quote(value)} }`,
    ]) {
      const compiled = compileFilter(parse(text));
      expect(compiled.where).not.toContain(value);
      expect(Object.values(compiled.params)).toContain(value);
    }
  });

  test('the SQL text is made only of the compiler\'s own words', () => {
    const compiled = compileFilter(parse(`annotation.k = ${quote("x') OR 1=1 --")} AND http.method CONTAINS ${quote('%')}`));
    expect(compiled.where.replace(/@f\d+/g, '@p')).toBe(
      "(EXISTS (SELECT 1 FROM annotations a WHERE a.trace_seq = t.seq AND a.key = @p AND a.type = 'string' AND a.value = @p)"
      + ' AND (t.http_method IS NOT NULL AND instr(CAST(t.http_method AS BLOB), CAST(@p AS BLOB)) > 0))',
    );
  });

  test('long AND/OR chains are grouped in halves: a thousand terms stay far from SQLite\'s 1000 levels', () => {
    const compiled = compileFilter(parse(Array.from({ length: 8 }, (_, i) => `http.status = ${200 + i}`).join(' OR ')));
    const term = (i: number): string => `(t.http_status IS NOT NULL AND t.http_status = @f${i})`;
    expect(compiled.where).toBe(`(((${term(0)} OR ${term(1)}) OR (${term(2)} OR ${term(3)})) OR ((${term(4)} OR ${term(5)}) OR (${term(6)} OR ${term(7)})))`);
    const thousand = parse(Array.from({ length: MAX_FILTER_TERMS }, (_, i) => `annotation.k${i} = ${i}`).join(' OR '));
    expect(sqlDepth(thousand)).toBeLessThan(MAX_SQL_DEPTH);
    expect(compileFilter(thousand).residual).toBeUndefined();
  });

  const subqueries = (sql: string): number => sql.split('(SELECT ').length - 1;

  test('ORed tests of annotations, and of services, each run as one subquery', () => {
    const annotations = compileFilter(parse(Array.from({ length: MAX_FILTER_TERMS }, (_, i) => `annotation.k${i} = ${i}`).join(' OR ')));
    expect(subqueries(annotations.where)).toBe(1);
    expect(annotations.where).toMatch(/^EXISTS \(SELECT 1 FROM annotations a WHERE a\.trace_seq = t\.seq AND a\.key IN \(@f0, @f2, /);
    const services = compileFilter(parse(Array.from({ length: 500 }, (_, i) => `service("s${i}") { fault }`).join(' OR ')));
    expect(subqueries(services.where)).toBe(1);
    expect(services.where).toContain('s.name IN (@f0, @f1, ');
    const mixed = compileFilter(parse('annotation.a = 1 OR service("x") OR fault OR annotation.b CONTAINS "y" OR service() { error }'));
    expect(mixed.residual).toBeUndefined();
    expect(subqueries(mixed.where)).toBe(2);
    // A test that does not fix the key leaves the keys unlisted.
    expect(compileFilter(parse('service("x") OR service() { error }')).where).not.toContain(' IN (');
  });

  test(`past ${MAX_SQL_SUBQUERIES} subqueries a statement, the conditions left over are checked in memory`, () => {
    const and = parse(Array.from({ length: 40 }, (_, i) => `annotation.k${i} = ${i}`).join(' AND '));
    const compiled = compileFilter(and);
    expect(subqueries(compiled.where)).toBe(MAX_SQL_SUBQUERIES);
    expect(compiled.residual).toEqual({ kind: 'and', operands: (and as Extract<Expression, { kind: 'and' }>).operands.slice(MAX_SQL_SUBQUERIES) });
    // The parameters of what is left over are not bound.
    expect(Object.keys(compiled.params)).toHaveLength(2 * MAX_SQL_SUBQUERIES);
    // `!=` takes two subqueries a test, which cannot merge: a thousand ORed go to memory whole.
    const unequal = parse(Array.from({ length: MAX_FILTER_TERMS }, (_, i) => `annotation.k${i} != ${i}`).join(' OR '));
    expect(compileFilter(unequal)).toEqual({ where: '1', params: {}, residual: unequal, drivers: [] });
    const withFault = compileFilter({ kind: 'and', operands: [parse('fault'), unequal] });
    expect(withFault.where).toBe('(t.has_fault = 1)');
    expect(withFault.residual).toEqual(unequal);
  });

test('a filter whose SQL could pass SQLite\'s limits is left to the in-memory evaluation whole', () => {
    // The parser's limits keep one filter well inside; groups expanded into a filter (filter-plan.ts) can add up.
    let deep: Expression = parse('fault');
    for (let i = 0; i < 300; i++) deep = { kind: 'not', operand: { kind: 'or', operands: [parse('ok'), deep] } };
    expect(sqlDepth(deep)).toBeGreaterThan(MAX_SQL_DEPTH);
    expect(compileFilter(deep)).toEqual({ where: '1', params: {}, residual: deep, drivers: [] });
    const group = parse(Array.from({ length: MAX_FILTER_TERMS }, (_, i) => `annotation.k${i} = ${i}`).join(' OR '));
    const manyGroups: Expression = { kind: 'or', operands: Array.from({ length: 20 }, () => group) };
    expect(compileFilter(manyGroups)).toEqual({ where: '1', params: {}, residual: manyGroups, drivers: [] });
  });
});

/**
 * A database of the store's filterable columns, each row with the trace view it stands for; every
 * filter's SQL result must equal the evaluator's on the views.
 */
describe('the SQL means what the evaluator means', () => {
  const db = new Database(':memory:');
  afterAll(() => db.close());
  db.exec(`
    CREATE TABLE traces (seq INTEGER PRIMARY KEY, response_time REAL, duration REAL NOT NULL, http_status INTEGER,
      http_url TEXT, http_method TEXT, http_useragent TEXT, http_clientip TEXT, user TEXT,
      has_fault INTEGER NOT NULL, has_error INTEGER NOT NULL, has_throttle INTEGER NOT NULL, is_partial INTEGER NOT NULL) STRICT;
    CREATE TABLE annotations (trace_seq INTEGER NOT NULL, key TEXT NOT NULL, type TEXT NOT NULL, value ANY NOT NULL,
      PRIMARY KEY (trace_seq, key, type, value)) STRICT, WITHOUT ROWID;
    CREATE TABLE trace_services (trace_seq INTEGER NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, root INTEGER NOT NULL,
      inferred INTEGER NOT NULL, ok INTEGER NOT NULL, error INTEGER NOT NULL, throttle INTEGER NOT NULL, fault INTEGER NOT NULL,
      response_time REAL, PRIMARY KEY (trace_seq, name, type)) STRICT, WITHOUT ROWID;
  `);

  const random = seededRandom(2024);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const maybe = <T>(value: T): T | undefined => (random() < 0.25 ? undefined : value);
  const views = new Map<number, TraceView>();
  const STATUSES = [200, 201, 400, 404, 429, 500, 502];
  for (let seq = 1; seq <= 120; seq++) {
    const status = maybe(pick(STATUSES));
    const fault = status !== undefined && status >= 500;
    const error = status !== undefined && status >= 400 && status < 500;
    const throttle = status === 429 || random() < 0.1;
    const responseTime = maybe(Math.round(random() * 3000) / 1000);
    const duration = Math.round(random() * 5000) / 1000;
    const http = {
      url: maybe(`https://h/${pick(HOSTILE)}${pick(HOSTILE)}`), method: maybe(pick(['GET', 'get', 'POST', ...HOSTILE])),
      userAgent: maybe(pick(HOSTILE)), clientIp: maybe(pick(['1.2.3.4', '::1', ...HOSTILE])), status,
    };
    const users = random() < 0.5 ? [] : [pick(HOSTILE)];
    const annotations = new Map<string, AnnotationValue[]>();
    for (const key of ['k', 'n', 'flag']) {
      const values = new Set<AnnotationValue>();
      for (let i = Math.floor(random() * 3); i > 0; i--) {
        values.add(key === 'flag' ? random() < 0.5 : key === 'n' && random() < 0.7 ? Math.round(random() * 10) - 2 : pick(HOSTILE));
      }
      if (values.size > 0) annotations.set(key, [...values]);
    }
    const services: ServiceView[] = [];
    for (const name of new Set([pick(HOSTILE), pick(['api', 'fn', ...HOSTILE])])) {
      services.push({
        name, type: pick(['AWS::Lambda', 'remote', '', ...HOSTILE]), root: random() < 0.3, inferred: random() < 0.4,
        ok: random() < 0.5, error: random() < 0.3, throttle: random() < 0.1, fault: random() < 0.2, responseTime: maybe(random() * 2),
      });
    }
    db.prepare('INSERT INTO traces VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      seq, responseTime ?? null, duration, status ?? null, http.url ?? null, http.method ?? null, http.userAgent ?? null,
      http.clientIp ?? null, users[0] ?? null, Number(fault), Number(error), Number(throttle), Number(random() < 0.1),
    );
    for (const [key, values] of annotations) {
      for (const value of values) {
        db.prepare('INSERT INTO annotations VALUES (?, ?, ?, ?)').run(seq, key, typeof value, typeof value === 'boolean' ? Number(value) : value);
      }
    }
    for (const s of services) {
      db.prepare('INSERT INTO trace_services VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        seq, s.name, s.type, Number(s.root), Number(s.inferred), Number(s.ok), Number(s.error), Number(s.throttle), Number(s.fault),
        // Bucketed, as the store keeps it.
        s.responseTime === undefined ? null : bucketSeconds(s.responseTime),
      );
    }
    const row = db.prepare('SELECT is_partial FROM traces WHERE seq = ?').get(seq) as { is_partial: number };
    views.set(seq, {
      id: String(seq), responseTime, duration, http, ok: !fault && !error, error, throttle, fault, partial: row.is_partial === 1,
      users, availabilityZones: [], instanceIds: [], resourceArns: [], annotations, services, edges: [], groups: [],
      rootCauses: { fault: [], error: [], responseTime: [] },
    });
  }

  const run = (text: string): { sql: number[]; memory: number[] } => {
    const filter = parse(text);
    const { where, params, residual } = compileFilter(filter);
    const rows = db.prepare(`SELECT seq FROM traces t WHERE ${where} ORDER BY seq`).pluck().all(params) as number[];
    const sql = rows.filter((seq) => residual === undefined || evaluate(residual, views.get(seq)!));
    const memory = [...views].filter(([, view]) => evaluate(filter, view)).map(([seq]) => seq);
    return { sql, memory };
  };

  const filters: string[] = [];
  for (const value of HOSTILE) {
    const v = quote(value);
    for (const op of ['=', '!=', 'CONTAINS', 'BEGINSWITH', 'ENDSWITH']) {
      filters.push(`http.url ${op} ${v}`, `http.method ${op} ${v}`, `http.useragent ${op} ${v}`, `annotation.k ${op} ${v}`);
      filters.push(`service() { name ${op} ${v} }`, `service() { type ${op} ${v} }`, `!(annotation.k ${op} ${v})`);
    }
    filters.push(`service(${v})`, `!service(${v}) OR user = ${v}`, `service(id(type: ${v})) { fault OR responsetime > 1 }`);
  }
  for (const op of ['=', '!=', '<', '<=', '>', '>=']) {
    for (const n of [-2, 0, 0.5, 1, 3, 200, 429, 500]) {
      filters.push(`responsetime ${op} ${n}`, `duration ${op} ${n}`, `http.status ${op} ${n}`, `annotation.n ${op} ${n}`, `!(annotation.n ${op} ${n})`);
      filters.push(`service() { responsetime ${op} ${n} }`, `service() { responsetime ${op} ${n + 0.0049} }`);
    }
  }
  filters.push(
    'ok', '!ok', 'error', 'throttle', 'fault', 'partial', 'inferred', '!inferred', 'http.status', '!http.url', 'user', '!user',
    'annotation.flag', '!annotation.flag', 'annotation.flag = true', 'annotation.flag = false', 'annotation.flag != true',
    'annotation.k', 'annotation.n = "3"', 'annotation.k > 1', 'annotation.missing', '!annotation.missing',
    'service() { root AND !inferred AND ok }', 'service() { throttle } AND !service() { fault }', 'service() { name }',
    'fault OR error AND NOT throttle', '(ok OR partial) !(http.method = "GET")', 'service() { responsetime }',
  );
  // ORed row tests, merged into one subquery a table (with or without every key fixed), beside other conditions.
  for (const value of HOSTILE.slice(0, 12)) {
    const v = quote(value);
    filters.push(
      `annotation.k = ${v} OR annotation.n > 2 OR annotation.flag`, `annotation.k CONTAINS ${v} OR annotation.n = 1 OR fault`,
      `!(annotation.k = ${v} OR annotation.n <= 0)`, `service(${v}) OR service("api") { fault } OR annotation.k BEGINSWITH ${v}`,
      `service(${v}) { fault } OR service(id(type: "remote")) OR annotation.n != 3 OR annotation.k = ${v}`,
      `(annotation.k = ${v} OR (annotation.n = 2 OR annotation.n = 3)) AND (service("fn") OR service(${v}) { throttle })`,
      `annotation.k = "\\ud800" OR annotation.k = ${v} OR user = ${v}`,
    );
  }

  test(`${filters.length} filters: the SQL (plus residual) selects exactly what the evaluator selects`, () => {
    const wrong = filters.map((text) => ({ text, ...run(text) })).filter((r) => JSON.stringify(r.sql) !== JSON.stringify(r.memory));
    expect(wrong).toEqual([]);
    // The corpus is not trivial: most filters select some rows and leave others.
    const selective = filters.filter((text) => {
      const { memory } = run(text);
      return memory.length > 0 && memory.length < views.size;
    });
    expect(selective.length).toBeGreaterThan(filters.length / 2);
  });

  test('hostile values match literally: no wildcard, no case folding', () => {
    db.prepare("UPDATE traces SET http_url = 'https://h/100%_done\\x' WHERE seq = 1").run();
    db.prepare("UPDATE traces SET http_url = 'https://h/100xydone\\x' WHERE seq = 2").run();
    db.prepare("UPDATE traces SET http_url = 'HTTPS://H/100%_DONE\\X' WHERE seq = 3").run();
    const seqs = (text: string): number[] => {
      const { where, params } = compileFilter(parse(text));
      return db.prepare(`SELECT seq FROM traces t WHERE ${where} AND seq <= 3 ORDER BY seq`).pluck().all(params) as number[];
    };
    expect(seqs('http.url CONTAINS "%_"')).toEqual([1, 3]);
    expect(seqs('http.url CONTAINS "0%_d"')).toEqual([1]);
    expect(seqs('http.url ENDSWITH "done\\\\x"')).toEqual([1, 2]);
    expect(seqs('http.url BEGINSWITH "https://h/100_"')).toEqual([]);
    expect(seqs('http.url = "https://h/100%_done\\\\x"')).toEqual([1]);
    // After every hostile string above, the tables are all still there.
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['annotations', 'trace_services', 'traces']);
  });

  test('storesExactly tells which text SQLite keeps as JavaScript does', () => {
    expect(storesExactly('zoë 🚀 NUL\u0000')).toBe(true);
    expect(storesExactly('\ud800')).toBe(false);
    expect(storesExactly('a\udc00')).toBe(false);
    expect(storesExactly('\uFFFD')).toBe(false);
  });
});
