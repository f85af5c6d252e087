import { describe, expect, test } from 'vitest';
import { FilterParseError } from '../../../src/xray/query/errors.ts';
import { tokenize, type Token } from '../../../src/xray/query/lexer.ts';

const kinds = (tokens: Token[]) => tokens.map((t) => [t.kind, 'text' in t ? t.text : '', t.offset]);

describe('lexer', () => {
  test('words with dots, operators and punctuation carry their offsets', () => {
    expect(kinds(tokenize('service("a") { http.status >= 500 } AND !annotation.my_key'))).toEqual([
      ['word', 'service', 0], ['punctuation', '(', 7], ['string', '"a"', 8], ['punctuation', ')', 11],
      ['punctuation', '{', 13], ['word', 'http.status', 15], ['operator', '>=', 27], ['number', '500', 30],
      ['punctuation', '}', 34], ['word', 'AND', 36], ['operator', '!', 40], ['word', 'annotation.my_key', 41], ['end', '', 58],
    ]);
  });

  test('every comparison operator', () => {
    expect(tokenize('= != < <= > >= !').map((t) => ('text' in t ? t.text : t.kind))).toEqual(['=', '!=', '<', '<=', '>', '>=', '!', 'end']);
  });

  test.each([
    ['42', 42], ['-7', -7], ['2.5', 2.5], ['.5', 0.5], ['-.25', -0.25], ['1e3', 1000], ['1.5E-2', 0.015], ['7e+1', 70], ['-0', 0],
  ])('number %s reads as %d', (text, value) => {
    const [token] = tokenize(text);
    expect(token).toMatchObject({ kind: 'number', value, text });
    expect(Object.is(token?.kind === 'number' ? token.value : NaN, -0)).toBe(false);
  });

  test.each([
    ['"plain"', 'plain'], ['"say \\"hi\\""', 'say "hi"'], ['"C:\\\\tmp"', 'C:\\tmp'], ['"a\\/b"', 'a/b'],
    ['"line\\nbreak\\ttab\\r"', 'line\nbreak\ttab\r'], ['"\\u00e9\\u0000"', 'é\u0000'], ['"zoë 🚀"', 'zoë 🚀'], ['""', ''],
  ])('string %s decodes its escapes', (text, value) => {
    expect(tokenize(text)[0]).toMatchObject({ kind: 'string', value, offset: 0, end: text.length });
  });

  test('keywords stay words; case is left to the parser', () => {
    expect(tokenize('And oR not Contains BEGINSWITH endswith TRUE false').map((t) => t.kind)).toEqual([
      'word', 'word', 'word', 'word', 'word', 'word', 'word', 'word', 'end',
    ]);
  });

  test('a minus not followed by a digit is not a number', () => {
    expect(() => tokenize('duration > -x')).toThrow("unexpected character '-' at column 12");
  });

  test('errors point at the offending character and carry line and column', () => {
    let caught: unknown;
    try {
      tokenize('ok\n  AND fault\n  AND user = "x\\z"');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FilterParseError);
    expect(caught).toMatchObject({ line: 3, column: 16, offset: 30, message: "unknown escape '\\z' in string at line 3, column 16" });
  });

  test('a control character outside strings is named by its code point', () => {
    expect(() => tokenize('ok \u0007')).toThrow('unexpected character U+0007 at column 4');
  });
});
