/**
 * Errors of the filter language. Both carry where in the text the problem is, so the API can
 * answer InvalidRequestException with a message a person can act on.
 */

export interface SourcePosition {
  /** Index into the JavaScript string (UTF-16 code units), for slicing the text. */
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based, counted in Unicode code points so an emoji is one column. */
  readonly column: number;
}

/** Line and column of `offset` in `text`; lines break at \n, \r\n or \r. */
export function positionOf(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = Array.from(text.slice(lineStart, offset)).length + 1;
  return { offset, line, column };
}

/** A word or number from the filter, in quotes, clipped: a message should point at it, not repeat 100,000 characters. */
export function quote(text: string): string {
  return `'${clip(text)}'`;
}

export function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function where(text: string, position: SourcePosition): string {
  return /[\r\n]/.test(text) ? `line ${position.line}, column ${position.column}` : `column ${position.column}`;
}

/** The text is not a filter expression. */
export class FilterParseError extends Error {
  override readonly name = 'FilterParseError';
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** The message without its position, e.g. `expected a number after '>'`. */
  readonly reason: string;
  /** What would have been accepted at that point, when there is one thing to say. */
  readonly expected: string | undefined;

  constructor(text: string, offset: number, reason: string, expected?: string) {
    const position = positionOf(text, offset);
    super(`${reason} at ${where(text, position)}`);
    this.offset = offset;
    this.line = position.line;
    this.column = position.column;
    this.reason = reason;
    this.expected = expected;
  }
}

/** The text is a valid filter expression, but uses a construct this implementation does not evaluate. */
export class UnsupportedFilterError extends Error {
  override readonly name = 'UnsupportedFilterError';
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly construct: string;

  constructor(text: string, offset: number, construct: string, detail: string) {
    const position = positionOf(text, offset);
    super(`${construct} is not supported: ${detail} (at ${where(text, position)})`);
    this.offset = offset;
    this.line = position.line;
    this.column = position.column;
    this.construct = construct;
  }
}
