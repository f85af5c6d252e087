import { describe, expect, test } from 'vitest';
import { clipText, errorText, preview } from '../../src/common/preview.ts';

const deepArray = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('preview', () => {
  test('short values read as JSON', () => {
    expect(preview('abc')).toBe('"abc"');
    expect(preview(42)).toBe('42');
    expect(preview(null)).toBe('null');
    expect(preview(undefined)).toBe('undefined');
    expect(preview([1, 'two', { three: true }])).toBe('[1,"two",{"three":true}]');
  });

  test('a nesting deeper than the stack allows is shown by its first levels', () => {
    // String() and JSON.stringify both overflow the stack on this.
    const value = deepArray(100_000);
    expect(() => String(value)).toThrow(RangeError);
    expect(preview(value)).toBe('[[[[...]]]]');
  });

  test('huge strings, arrays and objects keep their start and end within the limit', () => {
    const text = `start${'x'.repeat(1_000_000)}end`;
    const shown = preview(text, 100);
    expect(shown.length).toBeLessThan(160);
    expect(shown).toMatch(/^"startx+\.\.\.\[\d+ characters left out\]\.\.\.x+end"$/);
    const array = preview(Array.from({ length: 1_000_000 }, (_, i) => i), 100);
    expect(array.length).toBeLessThan(160);
    expect(array.startsWith('[0,1,2,')).toBe(true);
    const object = preview(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])), 100);
    expect(object.length).toBeLessThan(160);
    expect(object.startsWith('{"k0":0,')).toBe(true);
  });

  test('a value whose getter throws is still described', () => {
    const hostile = { get boom(): never { throw new Error('no'); } };
    expect(preview(hostile)).toBe('<object>');
  });
});

describe('clipText', () => {
  test('keeps 60% from the start and 30% from the end, naming what was left out', () => {
    expect(clipText('short', 10)).toBe('short');
    expect(clipText('a'.repeat(600) + 'b'.repeat(500) + 'c'.repeat(300), 1000))
      .toBe(`${'a'.repeat(600)}...[500 characters left out]...${'c'.repeat(300)}`);
  });
});

describe('errorText', () => {
  test('names the cause of any thrown value, never "undefined"', () => {
    expect(errorText(new Error('disk full'))).toBe('disk full');
    expect(errorText(Object.assign(new Error('datatype mismatch'), { code: 'SQLITE_MISMATCH' }))).toBe('datatype mismatch (SQLITE_MISMATCH)');
    // What a SqliteError becomes once cloned from a worker thread.
    expect(errorText({ code: 'SQLITE_MISMATCH' })).toBe('error code SQLITE_MISMATCH');
    expect(errorText(undefined)).toBe('a thrown undefined');
    expect(errorText(null)).toBe('a thrown null');
    expect(errorText('text')).toBe('a thrown "text"');
    expect(errorText(deepArray(100_000))).toBe('a thrown [[[[...]]]]');
  });
});
