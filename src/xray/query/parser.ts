/**
 * Recursive descent over the lexer's tokens. Precedence, loosest first: OR, then AND (written or
 * implied by juxtaposition), then `!`/NOT, then a single term. The grammar is written out in
 * docs/filter-expressions.md; every error names what was expected and where.
 */
import type {
  Comparison, EqualityOperator, Expression, NodeSelector, NumberOperator, RootCauseCategory, RootCauseLevel,
  StringOperator,
} from './ast.ts';
import { clip, FilterParseError, quote, UnsupportedFilterError } from './errors.ts';
import { allowedKeywords, describeScope, lookupKeyword, type KeywordInfo, type Scope } from './keywords.ts';
import { Lexer, type Token } from './lexer.ts';

/** Longer texts are refused before lexing, so a hostile request cannot make us build a huge tree. */
export const MAX_FILTER_LENGTH = 100_000;
/** Parentheses, `!`/NOT and blocks together; deeper nesting is refused instead of overflowing the stack. */
export const MAX_NESTING_DEPTH = 64;
/**
 * Terms (a comparison, a flag, an annotation test, a block, a group test), counted inside blocks
 * too. It bounds what one filter costs to evaluate on every trace of a range, and the SQL made of
 * it (filter-sql.ts). AWS documents no limit; no filter written by hand comes near this one.
 */
export const MAX_FILTER_TERMS = 1000;

const NUMBER_OPERATORS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);
const STRING_OPERATORS = new Set<string>(['=', '!=', 'CONTAINS', 'BEGINSWITH', 'ENDSWITH']);
const WORD_OPERATORS = new Set<string>(['CONTAINS', 'BEGINSWITH', 'ENDSWITH']);
/** Words that can never begin a term. */
const NON_TERM_WORDS = new Set<string>(['AND', 'OR', 'CONTAINS', 'BEGINSWITH', 'ENDSWITH', 'TRUE', 'FALSE']);
const ROOT_CAUSE_CATEGORIES = new Set<string>(['fault', 'error', 'responsetime']);
const ROOT_CAUSE_LEVELS = new Set<string>(['service', 'entity', 'exception']);
const ANNOTATION_KEY = /^[A-Za-z0-9_]+$/;
const TRACE_SCOPE: Scope = { kind: 'trace' };

type Closer = 'end' | ')' | '}';
interface OperatorToken { readonly symbol: string; readonly token: Token }

/** Parses a filter expression; throws FilterParseError or UnsupportedFilterError. */
export function parse(text: string): Expression {
  if (text.length > MAX_FILTER_LENGTH) {
    throw new FilterParseError(
      text, MAX_FILTER_LENGTH, `filter expression is ${text.length} characters long; the limit is ${MAX_FILTER_LENGTH}`,
    );
  }
  return new Parser(text).parseFilter();
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end': return 'the end of the filter';
    case 'string': {
      const shown = token.text.length > 40 ? `${token.text.slice(0, 37)}..."` : token.text;
      return `string ${shown}`;
    }
    case 'number': return `number ${clip(token.text)}`;
    default: return quote(token.text);
  }
}

function showOperator(symbol: string): string {
  return WORD_OPERATORS.has(symbol) ? symbol : `'${symbol}'`;
}

function isWord(token: Token, upper: string): boolean {
  return token.kind === 'word' && token.text.toUpperCase() === upper;
}

function isPunctuation(token: Token, text: string): boolean {
  return token.kind === 'punctuation' && token.text === text;
}

/** A value where an operator should be: `responsetime 5`. */
function isLiteral(token: Token): boolean {
  return token.kind === 'string' || token.kind === 'number' || isWord(token, 'TRUE') || isWord(token, 'FALSE');
}

function startsTerm(token: Token): boolean {
  if (token.kind === 'operator') return token.text === '!';
  if (token.kind === 'punctuation') return token.text === '(';
  return token.kind === 'word' && !NON_TERM_WORDS.has(token.text.toUpperCase());
}

function andOperands(expression: Expression): readonly Expression[] {
  return expression.kind === 'and' ? expression.operands : [expression];
}

function orOperands(expression: Expression): readonly Expression[] {
  return expression.kind === 'or' ? expression.operands : [expression];
}

class Parser {
  private readonly lexer: Lexer;
  private depth = 0;
  private terms = 0;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
  }

  parseFilter(): Expression {
    const expression = this.parseOr(TRACE_SCOPE, undefined);
    const token = this.lexer.peek();
    if (token.kind !== 'end') this.failUnexpected(token, 'end');
    return expression;
  }

  // ---- errors ----

  private fail(offset: number, reason: string, expected?: string): never {
    throw new FilterParseError(this.text, offset, reason, expected);
  }

  /** `expected X` at the token found instead, naming it unless the text simply ended. */
  private expected(token: Token, expectation: string): never {
    const reason = token.kind === 'end' ? `expected ${expectation}` : `expected ${expectation}, found ${describe(token)}`;
    this.fail(token.offset, reason, expectation);
  }

  /** A term ended and what follows cannot continue the expression. */
  private failUnexpected(token: Token, closer: Closer): never {
    if (closer === 'end' && isPunctuation(token, ')')) this.fail(token.offset, "')' has no matching '('");
    if (closer === 'end' && isPunctuation(token, '}')) this.fail(token.offset, "'}' has no matching '{'");
    const close = closer === 'end' ? 'the end of the filter' : `'${closer}'`;
    this.expected(token, `AND, OR or ${close}`);
  }

  private enter(token: Token): void {
    this.depth++;
    if (this.depth > MAX_NESTING_DEPTH) {
      this.fail(token.offset, `filter expression is nested deeper than ${MAX_NESTING_DEPTH} levels`);
    }
  }

  private leave(): void {
    this.depth--;
  }

  // ---- boolean structure ----

  /** `after` names what came just before, for the message when no term follows. */
  private parseOr(scope: Scope, after: string | undefined, closer: Closer = 'end'): Expression {
    const operands = [...orOperands(this.parseAnd(scope, after, closer))];
    while (isWord(this.lexer.peek(), 'OR')) {
      this.lexer.next();
      operands.push(...orOperands(this.parseAnd(scope, 'OR', closer)));
    }
    return operands.length === 1 ? (operands[0] as Expression) : { kind: 'or', operands };
  }

  private parseAnd(scope: Scope, after: string | undefined, closer: Closer): Expression {
    const operands = [...andOperands(this.parseUnary(scope, after))];
    for (;;) {
      const token = this.lexer.peek();
      if (isWord(token, 'AND')) {
        this.lexer.next();
        operands.push(...andOperands(this.parseUnary(scope, 'AND')));
      } else if (startsTerm(token)) {
        operands.push(...andOperands(this.parseUnary(scope, undefined)));
      } else if (token.kind === 'end' || isWord(token, 'OR') || isPunctuation(token, closer)) {
        break;
      } else {
        this.failUnexpected(token, closer);
      }
    }
    return operands.length === 1 ? (operands[0] as Expression) : { kind: 'and', operands };
  }

  private parseUnary(scope: Scope, after: string | undefined): Expression {
    const token = this.lexer.peek();
    if ((token.kind === 'operator' && token.text === '!') || isWord(token, 'NOT')) {
      this.lexer.next();
      this.enter(token);
      const operand = this.parseUnary(scope, token.kind === 'operator' ? "'!'" : 'NOT');
      this.leave();
      return { kind: 'not', operand };
    }
    return this.parsePrimary(scope, after);
  }

  private parsePrimary(scope: Scope, after: string | undefined): Expression {
    const token = this.lexer.peek();
    if (!startsTerm(token)) this.expected(token, after === undefined ? 'a filter expression' : `a filter expression after ${after}`);
    if (isPunctuation(token, '(')) return this.parseParenthesized(scope);
    if (++this.terms > MAX_FILTER_TERMS) this.fail(token.offset, `filter expression has more than ${MAX_FILTER_TERMS} terms; the limit is ${MAX_FILTER_TERMS}`);
    this.lexer.next();
    if (token.kind !== 'word') this.expected(token, 'a filter expression'); // unreachable: startsTerm admits words only
    const word = token.text.toLowerCase();

    if (word === 'service') return this.parseService(token, scope);
    if (word === 'edge') return this.parseEdge(token, scope);
    if (word === 'id') this.fail(token.offset, 'id(...) can only be used inside service(...) or edge(...)');
    if (word === 'annotation' || word.startsWith('annotation.')) return this.parseAnnotation(token, scope);
    if (word === 'group.name' || word === 'group.arn') return this.parseGroup(token, scope, word === 'group.name' ? 'name' : 'arn');
    if (word === 'json' || word === 'rootcause.json') {
      throw new UnsupportedFilterError(
        this.text, token.offset, word,
        'JSON root cause objects are not evaluated; use rootcause.{fault|error|responsetime}.{service|entity|exception} { ... }',
      );
    }
    if (word === 'rootcause' || word.startsWith('rootcause.')) return this.parseRootCause(token, scope, word);
    const keyword = lookupKeyword(word);
    if (keyword === undefined) this.fail(token.offset, `unknown keyword ${quote(token.text)}`);
    return this.parseKeyword(token, keyword, scope);
  }

  private parseParenthesized(scope: Scope): Expression {
    const open = this.lexer.next();
    this.enter(open);
    const inner = this.parseOr(scope, "'('", ')');
    const close = this.lexer.peek();
    if (close.kind === 'end') this.fail(open.offset, "'(' is never closed");
    if (!isPunctuation(close, ')')) this.failUnexpected(close, ')');
    this.lexer.next();
    this.leave();
    return inner;
  }

  private parseBlock(scope: Scope): Expression {
    const open = this.lexer.next();
    this.enter(open);
    const inner = this.parseOr(scope, "'{'", '}');
    const close = this.lexer.peek();
    if (close.kind === 'end') this.fail(open.offset, "'{' is never closed");
    if (!isPunctuation(close, '}')) this.failUnexpected(close, '}');
    this.lexer.next();
    this.leave();
    return inner;
  }

  private optionalBlock(scope: Scope): Expression | undefined {
    return isPunctuation(this.lexer.peek(), '{') ? this.parseBlock(scope) : undefined;
  }

  private requireTraceScope(token: Token, scope: Scope, construct: string): void {
    if (scope.kind !== 'trace') this.fail(token.offset, `${construct} cannot be used ${describeScope(scope)}`);
  }

  // ---- keyword comparisons ----

  /** The comparison operator next in line, if there is one; `!` is not one. */
  private peekOperator(): OperatorToken | undefined {
    const token = this.lexer.peek();
    if (token.kind === 'operator' && token.text !== '!') return { symbol: token.text, token };
    if (token.kind === 'word' && WORD_OPERATORS.has(token.text.toUpperCase())) return { symbol: token.text.toUpperCase(), token };
    return undefined;
  }

  private failMissingOperator(keyword: Token & { kind: 'word' }, operators: string): never {
    const value = this.lexer.peek();
    this.fail(value.offset, `expected an operator (${operators}) between ${quote(keyword.text)} and ${describe(value)}`, operators);
  }

  private failWrongOperator(operator: OperatorToken, what: string, allowed: string): never {
    this.fail(operator.token.offset, `operator ${showOperator(operator.symbol)} cannot compare ${what} (use ${allowed})`, allowed);
  }

  private parseKeyword(token: Token & { kind: 'word' }, info: KeywordInfo, scope: Scope): Expression {
    if (!allowedKeywords(scope).has(info.keyword)) this.fail(token.offset, `${quote(token.text)} cannot be used ${describeScope(scope)}`);
    const operator = this.peekOperator();
    switch (info.type) {
      case 'flag': {
        if (operator === undefined) {
          if (isLiteral(this.lexer.peek())) this.failMissingOperator(token, '= or !=');
          return { kind: 'flag', keyword: info.keyword, value: true };
        }
        if (operator.symbol !== '=' && operator.symbol !== '!=') {
          this.failWrongOperator(operator, `boolean keyword ${quote(token.text)}`, '= or !=');
        }
        this.lexer.next();
        const value = this.lexer.next();
        const isTrue = isWord(value, 'TRUE');
        if (!isTrue && !isWord(value, 'FALSE')) this.expected(value, `true or false after ${showOperator(operator.symbol)}`);
        return { kind: 'flag', keyword: info.keyword, value: isTrue === (operator.symbol === '=') };
      }
      case 'number': {
        if (operator === undefined) {
          if (isLiteral(this.lexer.peek())) this.failMissingOperator(token, '=, !=, <, <=, >, >=');
          return { kind: 'present', keyword: info.keyword };
        }
        if (!NUMBER_OPERATORS.has(operator.symbol)) {
          this.failWrongOperator(operator, `number keyword ${quote(token.text)}`, '=, !=, <, <=, >, >=');
        }
        this.lexer.next();
        const value = this.lexer.next();
        if (value.kind !== 'number') this.expected(value, `a number after ${showOperator(operator.symbol)}`);
        return { kind: 'number', keyword: info.keyword, operator: operator.symbol as NumberOperator, value: value.value };
      }
      case 'string': {
        if (operator === undefined) {
          if (isLiteral(this.lexer.peek())) this.failMissingOperator(token, '=, !=, CONTAINS, BEGINSWITH, ENDSWITH');
          return { kind: 'present', keyword: info.keyword };
        }
        if (!STRING_OPERATORS.has(operator.symbol)) {
          this.failWrongOperator(operator, `string keyword ${quote(token.text)}`, '=, !=, CONTAINS, BEGINSWITH or ENDSWITH');
        }
        this.lexer.next();
        const value = this.lexer.next();
        if (value.kind !== 'string') this.expected(value, `a quoted string after ${showOperator(operator.symbol)}`);
        return { kind: 'string', keyword: info.keyword, operator: operator.symbol as StringOperator, value: value.value };
      }
    }
  }

  private parseAnnotation(token: Token & { kind: 'word' }, scope: Scope): Expression {
    this.requireTraceScope(token, scope, 'annotation.KEY');
    const key = token.text.slice('annotation.'.length);
    if (key === '' || token.text.length === 'annotation'.length) this.fail(token.offset, "expected an annotation key after 'annotation.'");
    if (!ANNOTATION_KEY.test(key)) {
      this.fail(token.offset + 'annotation.'.length, `invalid annotation key ${quote(key)} (keys are letters, digits and underscores)`);
    }
    const operator = this.peekOperator();
    if (operator === undefined) {
      if (isLiteral(this.lexer.peek())) this.failMissingOperator(token, '=, !=, <, <=, >, >=, CONTAINS, BEGINSWITH, ENDSWITH');
      return { kind: 'annotation', key, comparison: undefined };
    }
    this.lexer.next();
    const value = this.lexer.next();
    const shown = showOperator(operator.symbol);
    let comparison: Comparison;
    if (operator.symbol === '=' || operator.symbol === '!=') {
      const equality = operator.symbol as EqualityOperator;
      if (value.kind === 'string') comparison = { type: 'string', operator: equality, value: value.value };
      else if (value.kind === 'number') comparison = { type: 'number', operator: equality, value: value.value };
      else if (isWord(value, 'TRUE') || isWord(value, 'FALSE')) comparison = { type: 'boolean', operator: equality, value: isWord(value, 'TRUE') };
      else this.expected(value, `a quoted string, a number, true or false after ${shown}`);
    } else if (NUMBER_OPERATORS.has(operator.symbol)) {
      if (value.kind !== 'number') this.expected(value, `a number after ${shown}`);
      comparison = { type: 'number', operator: operator.symbol as NumberOperator, value: value.value };
    } else {
      if (value.kind !== 'string') this.expected(value, `a quoted string after ${shown}`);
      comparison = { type: 'string', operator: operator.symbol as StringOperator, value: value.value };
    }
    return { kind: 'annotation', key, comparison };
  }

  private parseGroup(token: Token & { kind: 'word' }, scope: Scope, field: 'name' | 'arn'): Expression {
    this.requireTraceScope(token, scope, `group.${field}`);
    const operator = this.peekOperator();
    if (operator === undefined) this.expected(this.lexer.peek(), `= or != after ${quote(token.text)}`);
    if (operator.symbol !== '=' && operator.symbol !== '!=') this.failWrongOperator(operator, quote(token.text), '= or !=');
    this.lexer.next();
    const value = this.lexer.next();
    if (value.kind !== 'string') this.expected(value, `a quoted group ${field} after ${showOperator(operator.symbol)}`);
    return { kind: 'group', field, operator: operator.symbol as EqualityOperator, value: value.value };
  }

  // ---- complex keywords ----

  private expectPunctuation(text: string, expectation: string): Token {
    const token = this.lexer.next();
    if (!isPunctuation(token, text)) this.expected(token, expectation);
    return token;
  }

  private parseService(token: Token, scope: Scope): Expression {
    this.requireTraceScope(token, scope, 'service(...)');
    this.expectPunctuation('(', "'(' after 'service'");
    let node: NodeSelector = { name: undefined, type: undefined };
    if (!isPunctuation(this.lexer.peek(), ')')) {
      node = this.parseNodeSelector('service(...)');
      this.expectPunctuation(')', "')' after the service in service(...)");
    } else {
      this.lexer.next();
    }
    return { kind: 'service', node, filter: this.optionalBlock({ kind: 'service' }) };
  }

  private parseEdge(token: Token, scope: Scope): Expression {
    this.requireTraceScope(token, scope, 'edge(...)');
    this.expectPunctuation('(', "'(' after 'edge'");
    const source = this.parseNodeSelector('edge(...)');
    this.expectPunctuation(',', "',' and a destination service in edge(...)");
    const destination = this.parseNodeSelector('edge(...)');
    this.expectPunctuation(')', "')' after the destination in edge(...)");
    return { kind: 'edge', source, destination, filter: this.optionalBlock({ kind: 'edge' }) };
  }

  /** A quoted service name or `id(name: "n", type: "t")` with either field optional. */
  private parseNodeSelector(where: string): NodeSelector {
    const token = this.lexer.next();
    if (token.kind === 'string') return { name: token.value, type: undefined };
    if (!isWord(token, 'ID')) this.expected(token, `a quoted service name or id(...) in ${where}`);
    this.expectPunctuation('(', "'(' after 'id'");
    const fields: { name?: string; type?: string } = {};
    for (;;) {
      const field = this.lexer.next();
      if (field.kind !== 'word') this.expected(field, 'name: or type: in id(...)');
      const fieldName = field.text.toLowerCase();
      if (fieldName !== 'name' && fieldName !== 'type') this.fail(field.offset, `unknown field ${quote(field.text)} in id(...) (use name or type)`);
      if (fields[fieldName] !== undefined) this.fail(field.offset, `duplicate field '${fieldName}' in id(...)`);
      this.expectPunctuation(':', `':' after ${quote(field.text)} in id(...)`);
      const value = this.lexer.next();
      if (value.kind !== 'string') this.expected(value, `a quoted string after '${fieldName}:'`);
      fields[fieldName] = value.value;
      const separator = this.lexer.next();
      if (isPunctuation(separator, ')')) break;
      if (!isPunctuation(separator, ',')) this.expected(separator, "',' or ')' in id(...)");
    }
    return { name: fields.name, type: fields.type };
  }

  private parseRootCause(token: Token, scope: Scope, word: string): Expression {
    this.requireTraceScope(token, scope, 'rootcause');
    const [, category = '', level = '', ...rest] = word.split('.');
    if (!ROOT_CAUSE_CATEGORIES.has(category) || !ROOT_CAUSE_LEVELS.has(level) || rest.length > 0) {
      this.fail(token.offset, `unknown keyword ${quote(word)} (use rootcause.{fault|error|responsetime}.{service|entity|exception})`);
    }
    if (category === 'responsetime' && level === 'exception') {
      this.fail(token.offset, 'rootcause.responsetime has no exceptions (use rootcause.responsetime.service or .entity)');
    }
    const rootCause = { kind: 'rootcause', category: category as RootCauseCategory, level: level as RootCauseLevel } as const;
    return { ...rootCause, filter: this.optionalBlock(rootCause) };
  }
}
