import { describe, expect, it } from 'vitest';
import { formatTraceHeader, parseTraceHeader, TraceHeaderError, tryParseTraceHeader } from '../../../src/cloud/tracing/trace-header.ts';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';

describe('parseTraceHeader', () => {
  it.each([
    [`Root=${ROOT};Parent=${PARENT};Sampled=1`, { root: ROOT, parent: PARENT, sampled: true }],
    [`Root=${ROOT};Sampled=0`, { root: ROOT, sampled: false }],
    [`Root=${ROOT}`, { root: ROOT }],
    [`Root=${ROOT};Parent=${PARENT};Sampled=?`, { root: ROOT, parent: PARENT }],
    // Keys in any order and case, spaces around parts, as load balancers and SDKs vary.
    [`sampled=1; parent=${PARENT}; root=${ROOT}`, { root: ROOT, parent: PARENT, sampled: true }],
    // Self= (added by load balancers) and Lineage= are tolerated and dropped.
    [`Self=1-67891234-12456789abcdef012345678;Root=${ROOT};Parent=${PARENT};Sampled=1`, { root: ROOT, parent: PARENT, sampled: true }],
    [`Root=${ROOT};Parent=${PARENT};Sampled=1;Lineage=a87bd80c:1|68fd508a:5`, { root: ROOT, parent: PARENT, sampled: true }],
  ])('%s', (text, expected) => {
    expect(parseTraceHeader(text)).toEqual(expected);
  });

  it.each([
    ['Parent=53995c3f42cd8ad8;Sampled=1', 'has no Root'],
    ['Root=1-5759e988-bd86;Sampled=1', 'Root "1-5759e988-bd86" is not a trace id'],
    [`Root=${ROOT};Parent=xyz`, 'Parent "xyz" is not 16 hex digits'],
    [`Root=${ROOT};Sampled=yes`, 'Sampled "yes" is not 0, 1 or ?'],
    [`Root=${ROOT};garbage`, 'part "garbage" is not key=value'],
  ])('rejects %s', (text, message) => {
    expect(() => parseTraceHeader(text)).toThrow(TraceHeaderError);
    expect(() => parseTraceHeader(text)).toThrow(message);
  });

  it('tryParseTraceHeader gives undefined for missing or malformed headers', () => {
    expect(tryParseTraceHeader(undefined)).toBeUndefined();
    expect(tryParseTraceHeader('  ')).toBeUndefined();
    expect(tryParseTraceHeader('Root=nope')).toBeUndefined();
    expect(tryParseTraceHeader(`Root=${ROOT}`)).toEqual({ root: ROOT });
  });
});

describe('formatTraceHeader', () => {
  it('writes Root, Parent and Sampled in that order, leaving out what is absent', () => {
    expect(formatTraceHeader({ root: ROOT, parent: PARENT, sampled: true })).toBe(`Root=${ROOT};Parent=${PARENT};Sampled=1`);
    expect(formatTraceHeader({ root: ROOT, sampled: false })).toBe(`Root=${ROOT};Sampled=0`);
    expect(formatTraceHeader({ root: ROOT })).toBe(`Root=${ROOT}`);
  });

  it('round-trips through parseTraceHeader', () => {
    const header = { root: ROOT, parent: PARENT, sampled: false };
    expect(parseTraceHeader(formatTraceHeader(header))).toEqual(header);
  });
});
