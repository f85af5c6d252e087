import { describe, expect, test } from 'vitest';
import { alignedTable, printable } from '../../../src/cli/xray-api/index.ts';

describe('printable', () => {
  test('plain text, accents and emoji pass unchanged', () => {
    expect(printable('GET /prod/caf\u00e9 \u2713 \u{1f600}')).toBe('GET /prod/caf\u00e9 \u2713 \u{1f600}');
  });

  test('escape sequences, newlines, DEL and C1 controls are shown, not sent', () => {
    expect(printable('a\u001b[2Jb\nc\td\u007fe\u009bf')).toBe('a\\x1b[2Jb\\x0ac\\x09d\\x7fe\\x9bf');
  });

  test('bidirectional overrides and line separators are shown too', () => {
    expect(printable('x\u202ey\u2066z\u2028')).toBe('x\\u{202e}y\\u{2066}z\\u{2028}');
  });
});

describe('alignedTable', () => {
  test('pads to the widest cell, right-aligns numbers, leaves no trailing spaces', () => {
    expect(alignedTable([{ title: 'name' }, { title: 'n', align: 'right' }, { title: 'note' }], [['a', '10', ''], ['bbbbbb', '2', 'x']])).toEqual([
      'name     n  note',
      'a       10',
      'bbbbbb   2  x',
    ]);
  });

  test('cells are made printable before they are measured', () => {
    expect(alignedTable([{ title: 'a' }, { title: 'b' }], [['\u001b', 'x']])).toEqual(['a     b', '\\x1b  x']);
  });
});
