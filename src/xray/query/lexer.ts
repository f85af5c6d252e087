/**
 * Splits a filter expression into tokens, one at a time, so the first error in reading order is
 * the one reported (a bad string near the end never hides a bad keyword at the start).
 *
 * Words are identifiers with optional dotted parts (`http.status`, `annotation.my_key`,
 * `rootcause.fault.service`); the parser decides which words are keywords, case-insensitively.
 */
import { clip, FilterParseError, quote } from './errors.ts';

interface Span {
  /** Index of the first UTF-16 code unit. */
  readonly offset: number;
  /** Index just past the token. */
  readonly end: number;
}

export type Punctuation = '(' | ')' | '{' | '}' | ',' | ':';
export type OperatorSymbol = '=' | '!=' | '<' | '<=' | '>' | '>=' | '!';

export type Token =
  | (Span & { readonly kind: 'word'; readonly text: string })
  | (Span & { readonly kind: 'string'; readonly value: string; readonly text: string })
  | (Span & { readonly kind: 'number'; readonly value: number; readonly text: string })
  | (Span & { readonly kind: 'punctuation'; readonly text: Punctuation })
  | (Span & { readonly kind: 'operator'; readonly text: OperatorSymbol })
  | (Span & { readonly kind: 'end' });

const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]*)*/y;
const NUMBER = /-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
/** What a malformed number runs on into, to quote it whole in the error. */
const NUMBER_TAIL = /[A-Za-z0-9_.+-]*/y;
const PUNCTUATION = new Set<string>(['(', ')', '{', '}', ',', ':']);
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"', '\\': '\\', '/': '/', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f',
};

/** Shows a character in an error: quoted if printable, U+XXXX if not. */
export function describeCharacter(ch: string): string {
  if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch)) return `'${ch}'`;
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export class Lexer {
  private position = 0;
  private lookahead: Token | undefined;

  constructor(readonly text: string) {}

  peek(): Token {
    this.lookahead ??= this.read();
    return this.lookahead;
  }

  next(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  private fail(offset: number, reason: string): never {
    throw new FilterParseError(this.text, offset, reason);
  }

  private read(): Token {
    const text = this.text;
    while (this.position < text.length && /\s/u.test(text[this.position] ?? '')) this.position++;
    const start = this.position;
    if (start >= text.length) return { kind: 'end', offset: start, end: start };
    const ch = text[start] ?? '';
    const after = text[start + 1] ?? '';

    if (ch === '"') return this.readString(start);
    if (/[0-9]/.test(ch) || (ch === '-' && /[0-9.]/.test(after)) || (ch === '.' && /[0-9]/.test(after))) {
      return this.readNumber(start);
    }
    if (/[A-Za-z_]/.test(ch)) {
      WORD.lastIndex = start;
      const word = WORD.exec(text)?.[0] ?? ch;
      this.position = start + word.length;
      return { kind: 'word', text: word, offset: start, end: this.position };
    }
    if (PUNCTUATION.has(ch)) {
      this.position = start + 1;
      return { kind: 'punctuation', text: ch as Punctuation, offset: start, end: this.position };
    }
    switch (ch) {
      case '=':
        if (after === '=') this.fail(start, "unexpected '==' (use =)");
        return this.operator('=', start, 1);
      case '!':
        return after === '=' ? this.operator('!=', start, 2) : this.operator('!', start, 1);
      case '<':
        return after === '=' ? this.operator('<=', start, 2) : this.operator('<', start, 1);
      case '>':
        return after === '=' ? this.operator('>=', start, 2) : this.operator('>', start, 1);
      case "'":
        return this.fail(start, `unexpected "'" (strings use double quotes)`);
      case '&':
        return this.fail(start, "unexpected '&' (use AND)");
      case '|':
        return this.fail(start, "unexpected '|' (use OR)");
      default: {
        const codePoint = String.fromCodePoint(text.codePointAt(start) ?? 0);
        return this.fail(start, `unexpected character ${describeCharacter(codePoint)}`);
      }
    }
  }

  private operator(symbol: OperatorSymbol, start: number, length: number): Token {
    this.position = start + length;
    return { kind: 'operator', text: symbol, offset: start, end: this.position };
  }

  private readNumber(start: number): Token {
    NUMBER.lastIndex = start;
    const matched = NUMBER.exec(this.text)?.[0] ?? '';
    const next = this.text[start + matched.length] ?? '';
    if (matched === '' || /[A-Za-z0-9_.]/.test(next)) {
      NUMBER_TAIL.lastIndex = start + matched.length;
      const tail = NUMBER_TAIL.exec(this.text)?.[0] ?? '';
      this.fail(start, `malformed number ${quote(matched + tail)}`);
    }
    const value = Number(matched);
    if (!Number.isFinite(value)) this.fail(start, `number ${clip(matched)} is out of range`);
    this.position = start + matched.length;
    // -0 and 0 are the same filter; keep one so printed and parsed trees compare equal.
    return { kind: 'number', value: value === 0 ? 0 : value, text: matched, offset: start, end: this.position };
  }

  private readString(start: number): Token {
    const text = this.text;
    let value = '';
    let i = start + 1;
    for (;;) {
      if (i >= text.length) this.fail(start, 'unterminated string');
      const ch = text[i] ?? '';
      if (ch === '"') break;
      if (ch !== '\\') {
        value += ch;
        i++;
        continue;
      }
      const escape = text[i + 1];
      if (escape === undefined) this.fail(start, 'unterminated string');
      if (escape === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail(i, "expected 4 hex digits after '\\u' in string");
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const decoded = ESCAPES[escape];
      if (decoded === undefined) {
        const shown = String.fromCodePoint(text.codePointAt(i + 1) ?? 0);
        this.fail(i, `unknown escape '\\${shown}' in string`);
      }
      value += decoded;
      i += 2;
    }
    this.position = i + 1;
    return { kind: 'string', value, text: text.slice(start, this.position), offset: start, end: this.position };
  }
}

/** All tokens up to and including the end token; mainly for tests and tools. */
export function tokenize(text: string): Token[] {
  const lexer = new Lexer(text);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.next();
    tokens.push(token);
    if (token.kind === 'end') return tokens;
  }
}
