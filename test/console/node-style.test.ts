import { describe, expect, it } from 'vitest';
import { MAX_LABEL_CHARS, shortLabel, styleOf } from '../../src/console/map/node-style.ts';

describe('node styles', () => {
  it('names a known type by its readable label', () => {
    expect(styleOf('AWS::SQS::Queue').label).toBe('SQS queue');
  });

  it('shows a short unknown type whole', () => {
    expect(styleOf('AWS::Kinesis::Stream').label).toBe('AWS::Kinesis::Stream');
  });

  it('cuts a long unknown type so it cannot run across the neighbouring nodes', () => {
    const type = `Custom::${'VeryLongComponentName'.repeat(20)}`;
    const label = styleOf(type).label;
    expect(Array.from(label)).toHaveLength(MAX_LABEL_CHARS);
    expect(label.endsWith('…')).toBe(true);
    expect(type.startsWith(label.slice(0, -1))).toBe(true);
  });

  it('never splits a character made of two UTF-16 units', () => {
    const label = shortLabel('😀'.repeat(40));
    expect(Array.from(label)).toHaveLength(MAX_LABEL_CHARS);
    expect(label).toBe(`${'😀'.repeat(MAX_LABEL_CHARS - 1)}…`);
  });
});
