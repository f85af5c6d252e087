/**
 * Runs a parsed Insights query over log events: each event becomes a record of discovered fields
 * (`@timestamp`, `@message`, `@logStream`, `@log`, `@ingestionTime`; the JSON in the message
 * flattened with dots, `a.b` and `list.0`; and for Lambda's lines `@type`, `@requestId`,
 * `@duration`, `@billedDuration`, `@memorySize`, `@maxMemoryUsed`, `@initDuration`, `@xrayTraceId`
 * as Insights discovers them), then the commands in order. Without `stats` or `sort`, records
 * come newest first, as the console's default query asks.
 */
import type { Command, Expr, Projection } from './parse.ts';
import { AGGREGATES, containsAggregate, MalformedQueryError } from './parse.ts';

export type Value = string | number | boolean | null | undefined;
export type LogRecord = Map<string, Value>;

export interface InputEvent {
  readonly timestampMs: number;
  readonly ingestionMs: number;
  readonly message: string;
  readonly streamName: string;
  readonly groupName: string;
  readonly accountId: string;
}

export interface QueryOutput {
  readonly rows: Array<Array<{ field: string; value: string }>>;
  readonly recordsMatched: number;
  readonly recordsScanned: number;
  readonly bytesScanned: number;
}

export function discoverFields(event: InputEvent): LogRecord {
  const record: LogRecord = new Map<string, Value>([
    ['@timestamp', event.timestampMs],
    ['@message', event.message],
    ['@logStream', event.streamName],
    ['@log', `${event.accountId}:${event.groupName}`],
    ['@ingestionTime', event.ingestionMs],
  ]);
  const brace = event.message.indexOf('{');
  if (brace >= 0) {
    try {
      const parsed = JSON.parse(event.message.slice(brace)) as unknown;
      if (typeof parsed === 'object' && parsed !== null) flatten(parsed, '', record);
    } catch {
      // Not JSON: the message alone.
    }
  }
  if (event.groupName.startsWith('/aws/lambda/') || /^(START|END|REPORT) RequestId: /.test(event.message)) lambdaFields(event.message, record);
  return record;
}

function flatten(value: unknown, prefix: string, record: LogRecord): void {
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof child === 'object' && child !== null) flatten(child, name, record);
    else if (!record.has(name)) record.set(name, child as Value);
  }
}

function lambdaFields(message: string, record: LogRecord): void {
  const type = /^(START|END|REPORT) RequestId: ([0-9a-f-]+)/.exec(message);
  if (type === null) return;
  record.set('@type', type[1]);
  record.set('@requestId', type[2]);
  if (type[1] !== 'REPORT') return;
  const number = (pattern: RegExp): number | undefined => {
    const match = pattern.exec(message);
    return match === null ? undefined : Number(match[1]);
  };
  const set = (name: string, value: Value): void => { if (value !== undefined) record.set(name, value); };
  set('@duration', number(/\tDuration: ([\d.]+) ms/));
  set('@billedDuration', number(/Billed Duration: ([\d.]+) ms/));
  // Insights reports memory in bytes.
  const memory = number(/Memory Size: (\d+) MB/);
  set('@memorySize', memory === undefined ? undefined : memory * 1_000_000);
  const used = number(/Max Memory Used: (\d+) MB/);
  set('@maxMemoryUsed', used === undefined ? undefined : used * 1_000_000);
  set('@initDuration', number(/Init Duration: ([\d.]+) ms/));
  set('@xrayTraceId', /XRAY TraceId: (\S+)/.exec(message)?.[1]);
  set('@xraySegmentId', /SegmentId: (\S+)/.exec(message)?.[1]);
}

/** Runs the commands over the records; `limit` caps the rows when the query has no `limit`. */
export function runCommands(commands: readonly Command[], records: Iterable<LogRecord>, options: { limit: number }): { rows: LogRecord[]; fields: string[]; matched: number } {
  let rows: LogRecord[] = [];
  let fields: string[] | undefined;
  let limit: number | undefined;
  // Commands before the first stats run record by record, as the records stream past.
  const firstStats = commands.findIndex((command) => command.kind === 'stats' || command.kind === 'sort' || command.kind === 'limit');
  const streaming = firstStats < 0 ? commands : commands.slice(0, firstStats);
  const rest = firstStats < 0 ? [] : commands.slice(firstStats);
  for (const record of records) {
    if (streamRecord(streaming, record, (names) => { fields = names; })) rows.push(record);
  }
  const matched = rows.length;
  for (const command of streaming) if (command.kind === 'fields' && fields === undefined) fields = command.items.map((item) => item.name);
  // Newest first unless the query orders or aggregates, before any limit takes the first rows.
  if (!commands.some((command) => command.kind === 'stats' || command.kind === 'sort')) {
    rows = sortRows(rows, [{ expr: { kind: 'field', name: '@timestamp' }, name: '@timestamp', descending: true }]);
  }
  for (const command of rest) {
    switch (command.kind) {
      case 'stats': {
        rows = aggregate(command.aggregates, command.groups, rows);
        fields = [...command.groups.map((group) => group.name), ...command.aggregates.map((item) => item.name)];
        break;
      }
      case 'sort':
        rows = sortRows(rows, command.keys);
        break;
      case 'limit':
        limit = Math.min(limit ?? Infinity, command.count);
        rows = rows.slice(0, command.count);
        break;
      default:
        rows = rows.filter((row) => streamRecord([command], row, (names) => { fields = names; }));
    }
  }
  return { rows: rows.slice(0, limit ?? options.limit), fields: fields ?? ['@timestamp', '@message'], matched };
}

/** Applies record-level commands; false when a filter drops the record. */
function streamRecord(commands: readonly Command[], record: LogRecord, setFields: (names: string[]) => void): boolean {
  for (const command of commands) {
    switch (command.kind) {
      case 'filter':
        if (!truthy(evaluate(command.condition, record))) return false;
        break;
      case 'fields':
        for (const item of command.items) {
          if (item.expr.kind !== 'field' || item.expr.name !== item.name) record.set(item.name, evaluate(item.expr, record));
        }
        if (command.display) setFields(command.items.map((item) => item.name));
        else setFields(command.items.map((item) => item.name));
        break;
      case 'parse': {
        const text = evaluate(command.source, record);
        if (typeof text !== 'string') break;
        const match = command.pattern.exec(text);
        if (match === null) break;
        if (match.groups !== undefined) {
          for (const name of command.names) record.set(name, match.groups[name]);
        } else {
          command.names.forEach((name, i) => record.set(name, match[i + 1]));
        }
        break;
      }
      default:
        break;
    }
  }
  return true;
}

function truthy(value: Value): boolean {
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}

function toNumber(value: Value): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

export function evaluate(expr: Expr, record: LogRecord): Value {
  switch (expr.kind) {
    case 'number': return expr.value;
    case 'string': return expr.value;
    case 'regex': return expr.value.source;
    case 'field': return record.get(expr.name);
    case 'list': return undefined;
    case 'unary': {
      const value = evaluate(expr.operand, record);
      if (expr.op === 'not') return !truthy(value);
      const number = toNumber(value);
      return number === undefined ? undefined : -number;
    }
    case 'call': return callFunction(expr, record);
    case 'binary': return binary(expr, record);
  }
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, record: LogRecord): Value {
  if (expr.op === 'and') return truthy(evaluate(expr.left, record)) && truthy(evaluate(expr.right, record));
  if (expr.op === 'or') return truthy(evaluate(expr.left, record)) || truthy(evaluate(expr.right, record));
  const left = evaluate(expr.left, record);
  if (expr.op === 'in') {
    if (expr.right.kind !== 'list') throw new MalformedQueryError('in takes a list: [a, b]');
    return expr.right.items.some((item) => equal(left, evaluate(item, record)));
  }
  if (expr.op === 'like' || expr.op === '=~') {
    if (left === undefined || left === null) return false;
    const text = String(left);
    if (expr.right.kind === 'regex') return expr.right.value.test(text);
    const right = evaluate(expr.right, record);
    if (right === undefined || right === null) return false;
    // A string after like matches as a substring; after =~ as a regular expression.
    return expr.op === 'like' ? text.includes(String(right)) : new RegExp(String(right)).test(text);
  }
  const right = evaluate(expr.right, record);
  switch (expr.op) {
    case '=': return equal(left, right);
    case '!=': return left !== undefined && right !== undefined && !equal(left, right);
    case '<': case '<=': case '>': case '>=': {
      if (left === undefined || left === null || right === undefined || right === null) return false;
      const a = toNumber(left);
      const b = toNumber(right);
      const order = a !== undefined && b !== undefined ? a - b : String(left).localeCompare(String(right));
      return expr.op === '<' ? order < 0 : expr.op === '<=' ? order <= 0 : expr.op === '>' ? order > 0 : order >= 0;
    }
    default: {
      const a = toNumber(left);
      const b = toNumber(right);
      if (a === undefined || b === undefined) return undefined;
      switch (expr.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0 ? undefined : a / b;
        default: return b === 0 ? undefined : a % b;
      }
    }
  }
}

function equal(left: Value, right: Value): boolean {
  if (left === undefined || right === undefined) return false;
  const a = toNumber(left);
  const b = toNumber(right);
  if (typeof left === 'number' || typeof right === 'number') return a !== undefined && a === b;
  return String(left) === String(right);
}

const DURATION_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function callFunction(expr: Extract<Expr, { kind: 'call' }>, record: LogRecord): Value {
  if (AGGREGATES.has(expr.name)) throw new MalformedQueryError(`${expr.name}() can only be used in stats`);
  const args = expr.args.map((arg) => evaluate(arg, record));
  const first = args[0];
  switch (expr.name) {
    case 'bin': {
      const period = expr.args[0];
      const text = period?.kind === 'field' || period?.kind === 'string' ? (period.kind === 'field' ? period.name : period.value) : '';
      const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text);
      if (match === null) throw new MalformedQueryError(`bin() takes a period such as 5m, got "${text}"`);
      const size = Number(match[1]) * (DURATION_MS[match[2] ?? 's'] ?? 1000);
      const at = toNumber(record.get('@timestamp')) ?? 0;
      return Math.floor(at / size) * size;
    }
    case 'ispresent': return first !== undefined && first !== null;
    case 'isempty': return first === undefined || first === null || first === '';
    case 'isblank': return first === undefined || first === null || String(first).trim() === '';
    case 'strlen': return first === undefined || first === null ? undefined : String(first).length;
    case 'tolower': return first === undefined || first === null ? undefined : String(first).toLowerCase();
    case 'toupper': return first === undefined || first === null ? undefined : String(first).toUpperCase();
    case 'concat': return args.map((arg) => (arg === undefined || arg === null ? '' : String(arg))).join('');
    case 'trim': return first === undefined || first === null ? undefined : String(first).trim();
    case 'substr': {
      if (first === undefined || first === null) return undefined;
      const start = toNumber(args[1]) ?? 0;
      const length = toNumber(args[2]);
      return String(first).substr(start, length);
    }
    case 'replace': return first === undefined || first === null ? undefined : String(first).split(String(args[1] ?? '')).join(String(args[2] ?? ''));
    case 'strcontains': return first !== undefined && first !== null && String(first).includes(String(args[1] ?? ''));
    case 'abs': case 'ceil': case 'floor': case 'sqrt': case 'log': {
      const number = toNumber(first);
      if (number === undefined) return undefined;
      return expr.name === 'log' ? Math.log(number) : Math[expr.name](number);
    }
    case 'greatest': case 'least': {
      const numbers = args.map(toNumber).filter((n): n is number => n !== undefined);
      return numbers.length === 0 ? undefined : expr.name === 'greatest' ? Math.max(...numbers) : Math.min(...numbers);
    }
    case 'coalesce': return args.find((arg) => arg !== undefined && arg !== null);
    case 'fromMillis': case 'frommillis': return toNumber(first);
    case 'tomillis': return toNumber(first);
    default: throw new MalformedQueryError(`unknown function ${expr.name}()`);
  }
}

// ---------- stats ----------

function aggregate(aggregates: readonly Projection[], groups: readonly Projection[], rows: readonly LogRecord[]): LogRecord[] {
  const buckets = new Map<string, { keys: Value[]; rows: LogRecord[] }>();
  for (const row of rows) {
    const keys = groups.map((group) => evaluate(group.expr, row));
    const key = JSON.stringify(keys);
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = { keys, rows: [] };
      buckets.set(key, bucket);
    }
    bucket.rows.push(row);
  }
  if (groups.length === 0 && buckets.size === 0) buckets.set('[]', { keys: [], rows: [] });
  const out: LogRecord[] = [];
  for (const bucket of buckets.values()) {
    const record: LogRecord = new Map();
    groups.forEach((group, i) => record.set(group.name, group.expr.kind === 'call' && group.expr.name === 'bin' ? bucket.keys[i] : bucket.keys[i]));
    for (const item of aggregates) record.set(item.name, aggregateValue(item.expr, bucket.rows));
    out.push(record);
  }
  // A time series reads oldest first.
  const binIndex = groups.findIndex((group) => group.expr.kind === 'call' && group.expr.name === 'bin');
  if (binIndex >= 0) out.sort((a, b) => (toNumber(a.get(groups[binIndex]?.name ?? '')) ?? 0) - (toNumber(b.get(groups[binIndex]?.name ?? '')) ?? 0));
  return out;
}

/** An aggregate expression over a bucket's rows: the aggregate calls inside it computed, the rest evaluated. */
function aggregateValue(expr: Expr, rows: readonly LogRecord[]): Value {
  if (expr.kind === 'call' && AGGREGATES.has(expr.name)) return aggregateCall(expr, rows);
  if (expr.kind === 'binary' && containsAggregate(expr)) {
    const record: LogRecord = new Map([['__l', aggregateValue(expr.left, rows)], ['__r', aggregateValue(expr.right, rows)]]);
    return evaluate({ kind: 'binary', op: expr.op, left: { kind: 'field', name: '__l' }, right: { kind: 'field', name: '__r' } }, record);
  }
  return rows[0] === undefined ? undefined : evaluate(expr, rows[0]);
}

function aggregateCall(expr: Extract<Expr, { kind: 'call' }>, rows: readonly LogRecord[]): Value {
  const arg = expr.args[0];
  if (expr.name === 'count') {
    if (expr.star === true || arg === undefined) return rows.length;
    return rows.filter((row) => { const v = evaluate(arg, row); return v !== undefined && v !== null; }).length;
  }
  if (arg === undefined) throw new MalformedQueryError(`${expr.name}() needs a field`);
  const values = rows.map((row) => evaluate(arg, row)).filter((value) => value !== undefined && value !== null);
  if (expr.name === 'count_distinct') return new Set(values.map(String)).size;
  if (expr.name === 'earliest' || expr.name === 'latest') {
    const timed = rows.map((row) => ({ at: toNumber(row.get('@timestamp')) ?? 0, value: evaluate(arg, row) })).filter((item) => item.value !== undefined);
    timed.sort((a, b) => a.at - b.at);
    return (expr.name === 'earliest' ? timed[0] : timed.at(-1))?.value;
  }
  const numbers = values.map(toNumber).filter((n): n is number => n !== undefined);
  if (numbers.length === 0) return undefined;
  switch (expr.name) {
    case 'sum': return numbers.reduce((a, b) => a + b, 0);
    case 'avg': return numbers.reduce((a, b) => a + b, 0) / numbers.length;
    case 'min': return Math.min(...numbers);
    case 'max': return Math.max(...numbers);
    case 'stddev': {
      const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
      return Math.sqrt(numbers.reduce((a, b) => a + (b - mean) ** 2, 0) / numbers.length);
    }
    default: {
      // pct(field, p): the value at the p-th percentile (nearest rank).
      const p = toNumber(expr.args[1] === undefined ? undefined : evaluate(expr.args[1], new Map()));
      if (p === undefined || p < 0 || p > 100) throw new MalformedQueryError(`${expr.name}() takes a percentile from 0 to 100`);
      const sorted = [...numbers].sort((a, b) => a - b);
      const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
      return sorted[rank - 1];
    }
  }
}

function sortRows(rows: readonly LogRecord[], keys: ReadonlyArray<{ expr: Expr; name: string; descending: boolean }>): LogRecord[] {
  const valueOf = (row: LogRecord, key: { expr: Expr; name: string }): Value => (row.has(key.name) ? row.get(key.name) : evaluate(key.expr, row));
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const x = valueOf(a, key);
      const y = valueOf(b, key);
      if (x === y) continue;
      if (x === undefined || x === null) return 1;
      if (y === undefined || y === null) return -1;
      const nx = toNumber(x);
      const ny = toNumber(y);
      const order = nx !== undefined && ny !== undefined ? nx - ny : String(x).localeCompare(String(y));
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  });
}

/** A value as GetQueryResults answers it: timestamps as `2026-12-04 22:30:00.000`, the rest as text. */
export function formatValue(field: string, value: Value, isTime: boolean): string {
  if (value === undefined || value === null) return '';
  if (isTime && typeof value === 'number') return new Date(value).toISOString().replace('T', ' ').replace('Z', '');
  return String(value);
}

export function isTimeField(name: string, projections: readonly Command[]): boolean {
  if (name === '@timestamp' || name === '@ingestionTime') return true;
  for (const command of projections) {
    if (command.kind === 'stats' && command.groups.some((group) => group.name === name && group.expr.kind === 'call' && group.expr.name === 'bin')) return true;
  }
  return false;
}
