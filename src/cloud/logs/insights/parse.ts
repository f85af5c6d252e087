/**
 * The CloudWatch Logs Insights query language ("CloudWatch Logs Insights language query syntax"),
 * the subset served here, parsed into a pipeline of commands:
 * `fields`, `display`, `filter`, `stats ... by ...`, `sort`, `limit`, `parse` (glob or regex).
 * Expressions: literals (numbers, '...' and "..." strings, /regex/), fields (`@message`, `a.b`,
 * `` `odd name` ``), `+ - * / %`, comparisons, `like`, `not like`, `=~`, `in [..]`, `not in`,
 * `and`, `or`, `not`, and the functions in `run.ts`. A query that does not parse throws
 * MalformedQueryError (the API's MalformedQueryException).
 */

export class MalformedQueryError extends Error {}

export type Expr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'regex'; readonly value: RegExp }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'list'; readonly items: readonly Expr[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly star?: boolean }
  | { readonly kind: 'unary'; readonly op: 'not' | '-'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr };

export interface Projection { readonly expr: Expr; readonly name: string }
export interface SortKey { readonly expr: Expr; readonly name: string; readonly descending: boolean }

export type Command =
  | { readonly kind: 'fields'; readonly items: readonly Projection[]; readonly display: boolean }
  | { readonly kind: 'filter'; readonly condition: Expr }
  | { readonly kind: 'stats'; readonly aggregates: readonly Projection[]; readonly groups: readonly Projection[] }
  | { readonly kind: 'sort'; readonly keys: readonly SortKey[] }
  | { readonly kind: 'limit'; readonly count: number }
  | { readonly kind: 'parse'; readonly source: Expr; readonly pattern: RegExp; readonly names: readonly string[] };

type Token = { readonly type: 'number' | 'string' | 'regex' | 'ident' | 'op' | 'pipe'; readonly text: string; readonly value?: unknown };

export const AGGREGATES = new Set(['count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'pct', 'percentile', 'stddev', 'earliest', 'latest']);

export function parseQuery(query: string): Command[] {
  const tokens = tokenize(query);
  if (tokens.length === 0) throw new MalformedQueryError('The query is empty.');
  const commands: Command[] = [];
  const parser = new Parser(tokens);
  commands.push(parser.command());
  while (!parser.done()) {
    parser.expect('|');
    commands.push(parser.command());
  }
  if (commands.length === 0) throw new MalformedQueryError('The query is empty.');
  return commands;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const previousAllowsRegex = (): boolean => {
    const last = tokens.at(-1);
    const beforeLast = tokens.at(-2);
    if (beforeLast?.type === 'ident' && beforeLast.text.toLowerCase() === 'parse') return true;
    return last === undefined || last.type === 'op' || last.type === 'pipe' || (last.type === 'ident' && /^(like|filter|parse|and|or|not|in)$/i.test(last.text));
  };
  while (i < query.length) {
    const c = query[i] ?? '';
    if (/\s/.test(c)) { i++; continue; }
    if (c === '#') { while (i < query.length && query[i] !== '\n') i++; continue; }
    if (c === '|') { tokens.push({ type: 'pipe', text: '|' }); i++; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < query.length && query[j] !== c) {
        if (query[j] === '\\' && j + 1 < query.length) { text += query[j + 1]; j += 2; continue; }
        text += query[j];
        j++;
      }
      if (j >= query.length) throw new MalformedQueryError(`unterminated string at position ${i}`);
      tokens.push({ type: 'string', text, value: text });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = query.indexOf('`', i + 1);
      if (j < 0) throw new MalformedQueryError(`unterminated \` at position ${i}`);
      tokens.push({ type: 'ident', text: query.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    if (c === '/' && previousAllowsRegex()) {
      let j = i + 1;
      while (j < query.length && query[j] !== '/') j += query[j] === '\\' ? 2 : 1;
      if (j >= query.length) throw new MalformedQueryError(`unterminated regular expression at position ${i}`);
      const body = query.slice(i + 1, j);
      let k = j + 1;
      let flags = '';
      while (k < query.length && /[a-z]/.test(query[k] ?? '')) flags += query[k++];
      tokens.push({ type: 'regex', text: body, value: compileRegex(body.replace(/\\\//g, '/'), flags) });
      i = k;
      continue;
    }
    const number = /^\d+(\.\d+)?([eE][-+]?\d+)?/.exec(query.slice(i));
    if (number !== null) {
      // `5m` in bin(5m) is a duration, read as an identifier-like token.
      const unit = /^(ms|s|m|h|d|w|mo|q|y)\b/.exec(query.slice(i + number[0].length));
      if (unit !== null) {
        tokens.push({ type: 'ident', text: number[0] + unit[0] });
        i += number[0].length + unit[0].length;
      } else {
        tokens.push({ type: 'number', text: number[0], value: Number(number[0]) });
        i += number[0].length;
      }
      continue;
    }
    const ident = /^[@A-Za-z_][@A-Za-z0-9_.$]*/.exec(query.slice(i));
    if (ident !== null) {
      tokens.push({ type: 'ident', text: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = /^(=~|!=|<=|>=|==|=|<|>|\(|\)|\[|\]|,|\+|-|\*|\/|%)/.exec(query.slice(i));
    if (op !== null) {
      tokens.push({ type: 'op', text: op[0] });
      i += op[0].length;
      continue;
    }
    throw new MalformedQueryError(`unexpected character "${c}" at position ${i}`);
  }
  return tokens;
}

function compileRegex(body: string, flags: string): RegExp {
  try {
    // Insights' (?i) prefix for case-insensitive matching.
    if (body.startsWith('(?i)')) return new RegExp(body.slice(4), `${flags.replace('i', '')}i`);
    return new RegExp(body, flags.replace(/[^imsu]/g, ''));
  } catch (error) {
    throw new MalformedQueryError(`invalid regular expression /${body}/: ${(error as Error).message}`);
  }
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  done(): boolean { return this.index >= this.tokens.length; }
  private peek(offset = 0): Token | undefined { return this.tokens[this.index + offset]; }
  private next(): Token {
    const token = this.tokens[this.index++];
    if (token === undefined) throw new MalformedQueryError('unexpected end of query');
    return token;
  }
  expect(text: string): void {
    const token = this.next();
    if (token.text !== text || token.type === 'string') throw new MalformedQueryError(`expected "${text}" but found "${token.text}"`);
  }
  private isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.type === 'ident' && token.text.toLowerCase() === word;
  }
  private atCommandEnd(): boolean {
    const token = this.peek();
    return token === undefined || token.type === 'pipe';
  }

  command(): Command {
    const token = this.next();
    if (token.type !== 'ident') throw new MalformedQueryError(`expected a command but found "${token.text}"`);
    switch (token.text.toLowerCase()) {
      case 'fields': return { kind: 'fields', items: this.projections(), display: false };
      case 'display': return { kind: 'fields', items: this.projections(), display: true };
      case 'filter': return { kind: 'filter', condition: this.expression() };
      case 'stats': return this.stats();
      case 'sort': return this.sort();
      case 'limit': {
        const count = this.next();
        if (count.type !== 'number' || !Number.isInteger(count.value) || (count.value as number) < 1 || (count.value as number) > 10_000) {
          throw new MalformedQueryError(`limit takes a whole number from 1 to 10000, got "${count.text}"`);
        }
        return { kind: 'limit', count: count.value as number };
      }
      case 'parse': return this.parse();
      default: throw new MalformedQueryError(`unknown command "${token.text}"`);
    }
  }

  private projections(): Projection[] {
    const items: Projection[] = [];
    do {
      const start = this.index;
      const expr = this.expression();
      let name = this.sourceText(start);
      if (this.isWord('as')) {
        this.next();
        name = this.next().text;
      }
      items.push({ expr, name });
    } while (this.comma());
    return items;
  }

  private comma(): boolean {
    if (this.peek()?.text === ',' && this.peek()?.type === 'op') {
      this.next();
      return true;
    }
    return false;
  }

  /** How a projection is named without `as`: its text as written (`count(*)`, `bin(5m)`, `@message`). */
  private sourceText(start: number): string {
    return this.tokens.slice(start, this.index).map((token) => (token.type === 'string' ? `'${token.text}'` : token.type === 'regex' ? `/${token.text}/` : token.text))
      .join('').replace(/,/g, ', ').replace(/\b(and|or|not|like|in)\b/g, ' $1 ');
  }

  private stats(): Command {
    const aggregates = this.projections();
    for (const aggregate of aggregates) {
      if (!containsAggregate(aggregate.expr)) throw new MalformedQueryError(`stats needs an aggregate function, got "${aggregate.name}"`);
    }
    let groups: Projection[] = [];
    if (this.isWord('by')) {
      this.next();
      groups = this.projections();
    }
    return { kind: 'stats', aggregates, groups };
  }

  private sort(): Command {
    const keys: SortKey[] = [];
    do {
      const start = this.index;
      const expr = this.expression();
      const name = this.sourceText(start);
      let descending = true;
      if (this.isWord('asc')) { this.next(); descending = false; }
      else if (this.isWord('desc')) this.next();
      keys.push({ expr, name, descending });
    } while (this.comma());
    return { kind: 'sort', keys };
  }

  private parse(): Command {
    const source = this.primary();
    const pattern = this.next();
    if (pattern.type === 'regex') {
      const regex = pattern.value as RegExp;
      const names = [...regex.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((match) => match[1] ?? '');
      if (names.length === 0) throw new MalformedQueryError('parse with a regular expression needs named groups: (?<name>...)');
      return { kind: 'parse', source, pattern: regex, names };
    }
    if (pattern.type !== 'string') throw new MalformedQueryError(`parse takes a 'glob' or a /regex/, got "${pattern.text}"`);
    if (!this.isWord('as')) throw new MalformedQueryError('parse with a glob needs "as" and the field names');
    this.next();
    const names: string[] = [];
    do names.push(this.next().text); while (this.comma());
    const stars = pattern.text.split('*').length - 1;
    if (stars !== names.length) throw new MalformedQueryError(`parse: the glob has ${stars} * but ${names.length} field names are given`);
    const source2 = pattern.text.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.*?)');
    return { kind: 'parse', source, pattern: new RegExp(source2, 's'), names };
  }

  expression(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      left = { kind: 'binary', op: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord('and')) {
      this.next();
      left = { kind: 'binary', op: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): Expr {
    if (this.isWord('not')) {
      this.next();
      return { kind: 'unary', op: 'not', operand: this.not() };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const token = this.peek();
    if (token === undefined) return left;
    if (token.type === 'op' && ['=', '==', '!=', '<', '<=', '>', '>=', '=~'].includes(token.text)) {
      this.next();
      const op = token.text === '==' ? '=' : token.text;
      return { kind: 'binary', op, left, right: this.additive() };
    }
    if (this.isWord('like')) {
      this.next();
      return { kind: 'binary', op: 'like', left, right: this.additive() };
    }
    if (this.isWord('in')) {
      this.next();
      return { kind: 'binary', op: 'in', left, right: this.additive() };
    }
    if (this.isWord('not') && (this.isWord('like', 1) || this.isWord('in', 1))) {
      this.next();
      const op = this.next().text.toLowerCase();
      return { kind: 'unary', op: 'not', operand: { kind: 'binary', op, left, right: this.additive() } };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.peek()?.type === 'op' && (this.peek()?.text === '+' || this.peek()?.text === '-')) {
      const op = this.next().text;
      left = { kind: 'binary', op, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.peek()?.type === 'op' && ['*', '/', '%'].includes(this.peek()?.text ?? '')) {
      const op = this.next().text;
      left = { kind: 'binary', op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    if (this.peek()?.type === 'op' && this.peek()?.text === '-') {
      this.next();
      return { kind: 'unary', op: '-', operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expr {
    const token = this.next();
    switch (token.type) {
      case 'number': return { kind: 'number', value: token.value as number };
      case 'string': return { kind: 'string', value: token.text };
      case 'regex': return { kind: 'regex', value: token.value as RegExp };
      case 'pipe': throw new MalformedQueryError('unexpected "|"');
      case 'op':
        if (token.text === '(') {
          const inner = this.expression();
          this.expect(')');
          return inner;
        }
        if (token.text === '[') {
          const items: Expr[] = [];
          if (this.peek()?.text !== ']') {
            do items.push(this.expression()); while (this.comma());
          }
          this.expect(']');
          return { kind: 'list', items };
        }
        throw new MalformedQueryError(`unexpected "${token.text}"`);
      case 'ident': {
        if (this.peek()?.type === 'op' && this.peek()?.text === '(') {
          this.next();
          const name = token.text.toLowerCase();
          if (this.peek()?.type === 'op' && this.peek()?.text === '*' && this.peek(1)?.text === ')') {
            this.next();
            this.next();
            return { kind: 'call', name, args: [], star: true };
          }
          const args: Expr[] = [];
          if (this.peek()?.text !== ')') {
            do args.push(this.expression()); while (this.comma());
          }
          this.expect(')');
          return { kind: 'call', name, args };
        }
        if (this.atCommandEnd() && /^\d/.test(token.text)) return { kind: 'string', value: token.text };
        if (/^\d/.test(token.text)) return { kind: 'string', value: token.text };
        return { kind: 'field', name: token.text };
      }
    }
  }
}

export function containsAggregate(expr: Expr): boolean {
  switch (expr.kind) {
    case 'call': return AGGREGATES.has(expr.name) || expr.args.some(containsAggregate);
    case 'binary': return containsAggregate(expr.left) || containsAggregate(expr.right);
    case 'unary': return containsAggregate(expr.operand);
    default: return false;
  }
}
