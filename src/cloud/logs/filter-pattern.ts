/**
 * CloudWatch Logs filter patterns ("Filter pattern syntax for metric filters, subscription filters,
 * filter log events and Live Tail", CloudWatch Logs User Guide), compiled to a predicate on a
 * message:
 * - unstructured: terms and "quoted phrases" (all must occur, case-sensitive), `?term` alternatives
 *   (any), `-term` exclusions, `%regex%`, the empty pattern and `" "` matching every event;
 * - JSON: `{ $.a.b[0] = "value" }` with `=`/`!=` on strings (`*` wildcards, quotes optional),
 *   `= != < > <= >=` on numbers, `IS TRUE|FALSE|NULL`, `NOT EXISTS`, `&&`, `||` and parentheses;
 * - space-delimited: `[ip, user, ..., status = 4*, bytes > 1000]`, fields split on spaces with
 *   `"..."` and `[...]` kept together, conditions joined with `&&` and `||`.
 * A pattern that does not parse throws `FilterPatternError` (AWS: InvalidParameterException).
 * `traceIdHint` is a trace id every match must contain: the store then reads only its lines.
 */

export class FilterPatternError extends Error {}

export interface CompiledFilter {
  matches(message: string): boolean;
  readonly traceIdHint: string | undefined;
}

const TRACE_ID = /1-[0-9a-f]{8}-[0-9a-f]{24}/;

export function compileFilterPattern(pattern: string | undefined): CompiledFilter {
  const text = (pattern ?? '').trim();
  if (text === '') return { matches: () => true, traceIdHint: undefined };
  if (text.startsWith('{')) return compileJson(text);
  if (text.startsWith('[')) return compileSpaceDelimited(text);
  return compileTerms(text);
}

// ---------- unstructured terms ----------

interface Term { readonly kind: 'all' | 'any' | 'none'; readonly test: (message: string) => boolean; readonly literal?: string }

function compileTerms(text: string): CompiledFilter {
  const terms: Term[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ' || text[i] === '\t') { i++; continue; }
    let kind: Term['kind'] = 'all';
    if (text[i] === '?') { kind = 'any'; i++; }
    else if (text[i] === '-' && i + 1 < text.length && text[i + 1] !== ' ') { kind = 'none'; i++; }
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new FilterPatternError(`Invalid filter pattern: unterminated quote in ${text}`);
      const phrase = text.slice(i + 1, end);
      i = end + 1;
      terms.push(phrase.trim() === '' ? { kind, test: () => true } : { kind, test: (m) => m.includes(phrase), literal: phrase });
    } else if (text[i] === '%') {
      const end = text.indexOf('%', i + 1);
      if (end < 0) throw new FilterPatternError(`Invalid filter pattern: unterminated regular expression in ${text}`);
      const regex = compileRegex(text.slice(i + 1, end));
      i = end + 1;
      terms.push({ kind, test: (m) => regex.test(m) });
    } else {
      let end = i;
      while (end < text.length && text[end] !== ' ' && text[end] !== '\t') end++;
      const word = text.slice(i, end);
      i = end;
      if (word === '') throw new FilterPatternError(`Invalid filter pattern: ${text}`);
      terms.push({ kind, test: (m) => m.includes(word), literal: word });
    }
  }
  const all = terms.filter((term) => term.kind === 'all');
  const any = terms.filter((term) => term.kind === 'any');
  const none = terms.filter((term) => term.kind === 'none');
  const hint = all.map((term) => term.literal?.match(TRACE_ID)?.[0]).find((id) => id !== undefined);
  return {
    matches: (m) => all.every((term) => term.test(m)) && (any.length === 0 || any.some((term) => term.test(m))) && !none.some((term) => term.test(m)),
    traceIdHint: hint,
  };
}

function compileRegex(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new FilterPatternError(`Invalid regular expression in filter pattern: ${(error as Error).message}`);
  }
}

// ---------- JSON ----------

type JsonPath = ReadonlyArray<string | number>;
type JsonNode =
  | { readonly op: 'and' | 'or'; readonly left: JsonNode; readonly right: JsonNode }
  | { readonly op: 'compare'; readonly path: JsonPath; readonly comparator: string; readonly value: string | number; readonly quoted: boolean }
  | { readonly op: 'is'; readonly path: JsonPath; readonly what: 'TRUE' | 'FALSE' | 'NULL' }
  | { readonly op: 'exists'; readonly path: JsonPath; readonly negated: boolean };

function compileJson(text: string): CompiledFilter {
  if (!text.endsWith('}')) throw new FilterPatternError(`Invalid filter pattern: a JSON pattern must end with }: ${text}`);
  const parser = new Tokens(text.slice(1, -1));
  const tree = parseOr(parser);
  if (!parser.done()) throw new FilterPatternError(`Invalid filter pattern: unexpected "${parser.peek()}" in ${text}`);
  return {
    matches: (message) => {
      const start = message.indexOf('{');
      if (start < 0) return false;
      let document: unknown;
      try {
        document = JSON.parse(start === 0 ? message : message.slice(start));
      } catch {
        return false;
      }
      return evaluate(tree, document);
    },
    traceIdHint: jsonHint(tree),
  };
}

function jsonHint(node: JsonNode): string | undefined {
  if (node.op === 'and') return jsonHint(node.left) ?? jsonHint(node.right);
  if (node.op === 'compare' && node.comparator === '=' && typeof node.value === 'string' && !node.value.includes('*')) {
    const id = node.value.match(TRACE_ID)?.[0];
    return id === node.value ? id : undefined;
  }
  return undefined;
}

class Tokens {
  private readonly tokens: string[];
  private index = 0;
  constructor(text: string) {
    this.tokens = [];
    const re = /\s*("(?:[^"\\]|\\.)*"|&&|\|\||!=|<=|>=|=|<|>|\(|\)|[^\s()=<>!&|]+)/gy;
    let match: RegExpExecArray | null;
    let last = 0;
    while ((match = re.exec(text)) !== null) {
      if (match[1] === undefined) break;
      this.tokens.push(match[1]);
      last = re.lastIndex;
    }
    if (text.slice(last).trim() !== '') throw new FilterPatternError(`Invalid filter pattern: cannot read "${text.slice(last).trim()}"`);
  }
  peek(): string | undefined { return this.tokens[this.index]; }
  next(): string {
    const token = this.tokens[this.index++];
    if (token === undefined) throw new FilterPatternError('Invalid filter pattern: it ends too early');
    return token;
  }
  done(): boolean { return this.index >= this.tokens.length; }
}

function parseOr(tokens: Tokens): JsonNode {
  let left = parseAnd(tokens);
  while (tokens.peek() === '||') {
    tokens.next();
    left = { op: 'or', left, right: parseAnd(tokens) };
  }
  return left;
}

function parseAnd(tokens: Tokens): JsonNode {
  let left = parsePrimary(tokens);
  while (tokens.peek() === '&&') {
    tokens.next();
    left = { op: 'and', left, right: parsePrimary(tokens) };
  }
  return left;
}

function parsePrimary(tokens: Tokens): JsonNode {
  const token = tokens.next();
  if (token === '(') {
    const inner = parseOr(tokens);
    if (tokens.next() !== ')') throw new FilterPatternError('Invalid filter pattern: missing )');
    return inner;
  }
  const path = parsePath(token);
  const operator = tokens.next();
  if (operator === 'IS') {
    const what = tokens.next();
    if (what !== 'TRUE' && what !== 'FALSE' && what !== 'NULL') throw new FilterPatternError(`Invalid filter pattern: IS ${what}`);
    return { op: 'is', path, what };
  }
  if (operator === 'NOT') {
    if (tokens.next() !== 'EXISTS') throw new FilterPatternError('Invalid filter pattern: NOT must be followed by EXISTS');
    return { op: 'exists', path, negated: true };
  }
  if (operator === 'EXISTS') return { op: 'exists', path, negated: false };
  if (!['=', '!=', '<', '>', '<=', '>='].includes(operator)) throw new FilterPatternError(`Invalid filter pattern: unknown operator "${operator}"`);
  const raw = tokens.next();
  return { op: 'compare', path, comparator: operator, ...literal(raw, operator) };
}

function literal(raw: string, operator: string): { value: string | number; quoted: boolean } {
  if (raw.startsWith('"')) return { value: JSON.parse(raw) as string, quoted: true };
  const number = Number(raw);
  if (raw !== '' && Number.isFinite(number)) return { value: number, quoted: false };
  if (operator !== '=' && operator !== '!=') throw new FilterPatternError(`Invalid filter pattern: ${operator} needs a number, got ${raw}`);
  return { value: raw, quoted: false };
}

function parsePath(token: string): JsonPath {
  if (!token.startsWith('$')) throw new FilterPatternError(`Invalid filter pattern: a selector starts with $, got "${token}"`);
  const path: Array<string | number> = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]/gy;
  re.lastIndex = 1;
  let match: RegExpExecArray | null;
  let last = 1;
  while ((match = re.exec(token)) !== null) {
    path.push(match[1] !== undefined ? match[1] : Number(match[2]));
    last = re.lastIndex;
  }
  if (last !== token.length || path.length === 0) throw new FilterPatternError(`Invalid filter pattern: bad selector "${token}"`);
  return path;
}

const MISSING = Symbol('missing');

function select(document: unknown, path: JsonPath): unknown {
  let value: unknown = document;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(value) || key >= value.length) return MISSING;
      value = value[key];
    } else {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return MISSING;
      value = (value as Record<string, unknown>)[key];
    }
  }
  return value;
}

function evaluate(node: JsonNode, document: unknown): boolean {
  switch (node.op) {
    case 'and': return evaluate(node.left, document) && evaluate(node.right, document);
    case 'or': return evaluate(node.left, document) || evaluate(node.right, document);
    case 'exists': return (select(document, node.path) !== MISSING) !== node.negated;
    case 'is': {
      const value = select(document, node.path);
      return node.what === 'NULL' ? value === null : value === (node.what === 'TRUE');
    }
    case 'compare': {
      const value = select(document, node.path);
      if (value === MISSING) return false;
      return compare(value, node.comparator, node.value);
    }
  }
}

function compare(value: unknown, comparator: string, expected: string | number): boolean {
  if (typeof expected === 'number') {
    if (typeof value !== 'number') return false;
    switch (comparator) {
      case '=': return value === expected;
      case '!=': return value !== expected;
      case '<': return value < expected;
      case '>': return value > expected;
      case '<=': return value <= expected;
      default: return value >= expected;
    }
  }
  if (typeof value === 'object' && value !== null) return false;
  const text = value === null ? 'null' : String(value);
  const equal = wildcard(expected).test(text);
  return comparator === '=' ? equal : !equal;
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

// ---------- space-delimited ----------

type FieldSpec = { readonly name: string; readonly ellipsis: boolean };

function compileSpaceDelimited(text: string): CompiledFilter {
  if (!text.endsWith(']')) throw new FilterPatternError(`Invalid filter pattern: a space-delimited pattern must end with ]: ${text}`);
  const parts = splitTopLevel(text.slice(1, -1));
  const fields: FieldSpec[] = [];
  const conditions: Array<(values: Map<string, string>) => boolean> = [];
  for (const part of parts) {
    const trimmed = part.trim();
    if (trimmed === '...') { fields.push({ name: '', ellipsis: true }); continue; }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(trimmed)?.[0];
    if (name === undefined) throw new FilterPatternError(`Invalid filter pattern: bad field "${trimmed}"`);
    fields.push({ name, ellipsis: false });
    const rest = trimmed.slice(name.length).trim();
    if (rest !== '') conditions.push(fieldCondition(name, rest));
  }
  return {
    matches: (message) => {
      const values = assignFields(fields, tokenizeSpaces(message));
      return values !== undefined && conditions.every((condition) => condition(values));
    },
    traceIdHint: undefined,
  };
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === ',') { parts.push(text.slice(start, i)); start = i + 1; }
  }
  parts.push(text.slice(start));
  return parts;
}

function fieldCondition(name: string, text: string): (values: Map<string, string>) => boolean {
  // `status = 4* || status = 5*` or `bytes > 1000 && bytes < 2000`: each side names the field again.
  const alternatives = text.split('||').map((alternative) => alternative.split('&&').map((clause, index) => {
    const stripped = index === 0 && !/^(=|!=|<|>|<=|>=)/.test(clause.trim()) ? clause : `${name} ${clause}`;
    const match = /^\s*(?:[A-Za-z_][A-Za-z0-9_]*)?\s*(!=|<=|>=|=|<|>)\s*(.+?)\s*$/.exec(index === 0 ? clause : stripped);
    if (match === null) throw new FilterPatternError(`Invalid filter pattern: bad condition "${clause.trim()}" on ${name}`);
    const operator = match[1] ?? '=';
    const { value } = literal(match[2] ?? '', operator);
    return (values: Map<string, string>): boolean => {
      const found = values.get(name);
      if (found === undefined) return false;
      if (typeof value === 'number') {
        const number = Number(found);
        return found !== '' && Number.isFinite(number) && compare(number, operator, value);
      }
      return compare(found, operator, value);
    };
  }));
  return (values) => alternatives.some((clauses) => clauses.every((clause) => clause(values)));
}

function tokenizeSpaces(message: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"|\[([^\]]*)\]|(\S+)/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(message)) !== null) tokens.push(match[1] ?? match[2] ?? match[3] ?? '');
  return tokens;
}

function assignFields(fields: readonly FieldSpec[], tokens: readonly string[]): Map<string, string> | undefined {
  const values = new Map<string, string>();
  const ellipsisIndex = fields.findIndex((field) => field.ellipsis);
  if (ellipsisIndex < 0) {
    if (tokens.length !== fields.length) return undefined;
    fields.forEach((field, i) => values.set(field.name, tokens[i] ?? ''));
    return values;
  }
  const before = fields.slice(0, ellipsisIndex);
  const after = fields.slice(ellipsisIndex + 1).filter((field) => !field.ellipsis);
  if (tokens.length < before.length + after.length) return undefined;
  before.forEach((field, i) => values.set(field.name, tokens[i] ?? ''));
  after.forEach((field, i) => values.set(field.name, tokens[tokens.length - after.length + i] ?? ''));
  return values;
}
