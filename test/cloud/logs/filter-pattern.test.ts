import { describe, expect, it } from 'vitest';
import { compileFilterPattern, FilterPatternError } from '../../../src/cloud/logs/filter-pattern.ts';

/** FilterAndPatternSyntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html */
const DOC = 'FilterAndPatternSyntax';
/** The examples' unstructured events ("Matching terms in unstructured log events"). */
const UNSTRUCTURED = [
  '[ERROR 400] BAD REQUEST',
  '[ERROR 401] UNAUTHORIZED REQUEST',
  '[ERROR 419] MISSING ARGUMENTS',
  '[ERROR 420] INVALID ARGUMENTS',
];

describe('filter patterns on unstructured events', () => {
  const cases: Array<{ pattern: string; matches: number[]; source: string }> = [
    { pattern: '', matches: [0, 1, 2, 3], source: `${DOC}: an empty pattern matches every event` },
    { pattern: '" "', matches: [0, 1, 2, 3], source: `${DOC}: " " matches every event` },
    { pattern: 'ERROR', matches: [0, 1, 2, 3], source: `${DOC}: single term` },
    { pattern: 'ERROR ARGUMENTS', matches: [2, 3], source: `${DOC}: multiple terms, all must occur` },
    { pattern: '?ERROR ?ARGUMENTS', matches: [0, 1, 2, 3], source: `${DOC}: ? either term` },
    { pattern: '?REQUEST ?MISSING', matches: [0, 1, 2], source: `${DOC}: ? either term` },
    { pattern: '"INVALID ARGUMENTS"', matches: [3], source: `${DOC}: exact phrase in quotes` },
    { pattern: 'ERROR -ARGUMENTS', matches: [0, 1], source: `${DOC}: -term excludes` },
    { pattern: '-ERROR', matches: [], source: 'GetContainerLog filterPattern: "-ERROR" excludes ERROR' },
    { pattern: 'error', matches: [], source: `${DOC}: terms are case sensitive` },
    { pattern: '%4[01]\\d%', matches: [0, 1, 2], source: `${DOC}: %regex%` },
    { pattern: '%^\\[ERROR 41%', matches: [2], source: `${DOC}: ^ anchors a regex` },
  ];
  it.each(cases)('$pattern ($source)', ({ pattern, matches }) => {
    const filter = compileFilterPattern(pattern);
    expect(UNSTRUCTURED.flatMap((line, i) => (filter.matches(line) ? [i] : []))).toEqual(matches);
  });
});

describe('filter patterns on JSON events', () => {
  // "Using filter patterns to match terms in JSON log events": the documentation's example event.
  const event = JSON.stringify({
    eventType: 'UpdateTrail',
    sourceIPAddress: '111.111.111.111',
    arrayKey: ['value', 'another value'],
    objectList: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }],
    SomeObject: null,
    cluster: { status: 'UP', hosts: 3 },
    ThisFlag: true,
    bandwidth: 76.5,
    latency: 12,
  });
  const cases: Array<{ pattern: string; matches: boolean; source: string }> = [
    { pattern: '{ $.eventType = "UpdateTrail" }', matches: true, source: `${DOC}: string equality` },
    { pattern: '{ $.eventType = UpdateTrail }', matches: true, source: `${DOC}: unquoted string` },
    { pattern: '{ $.eventType = "Update*" }', matches: true, source: `${DOC}: wildcard` },
    { pattern: '{ $.sourceIPAddress != 123.123.* }', matches: true, source: `${DOC}: != with wildcard` },
    { pattern: '{ $.sourceIPAddress != 111.111.* }', matches: false, source: `${DOC}: != with wildcard` },
    { pattern: '{ $.arrayKey[0] = "value" }', matches: true, source: `${DOC}: array element` },
    { pattern: '{ $.objectList[1].id = 2 }', matches: true, source: `${DOC}: numeric value in an array of objects` },
    { pattern: '{ $.SomeObject IS NULL }', matches: true, source: `${DOC}: IS NULL` },
    { pattern: '{ $.SomeOtherObject NOT EXISTS }', matches: true, source: `${DOC}: NOT EXISTS` },
    { pattern: '{ $.SomeObject NOT EXISTS }', matches: false, source: `${DOC}: NOT EXISTS on a null value` },
    { pattern: '{ $.ThisFlag IS TRUE }', matches: true, source: `${DOC}: IS TRUE` },
    { pattern: '{ $.ThisFlag IS FALSE }', matches: false, source: `${DOC}: IS FALSE` },
    { pattern: '{ $.bandwidth > 75 }', matches: true, source: `${DOC}: numeric comparison` },
    { pattern: '{ $.latency <= 11 }', matches: false, source: `${DOC}: numeric comparison` },
    { pattern: '{ ($.cluster.status = "UP") && ($.cluster.hosts >= 3) }', matches: true, source: `${DOC}: && and parentheses` },
    { pattern: '{ $.latency > 100 || $.eventType = "UpdateTrail" }', matches: true, source: `${DOC}: ||` },
    { pattern: '{ ($.latency > 100 || $.bandwidth < 1) && $.ThisFlag IS TRUE }', matches: false, source: `${DOC}: grouping` },
    { pattern: '{ $.eventType = "updatetrail" }', matches: false, source: `${DOC}: case sensitive` },
  ];
  it.each(cases)('$pattern ($source)', ({ pattern, matches }) => {
    expect(compileFilterPattern(pattern).matches(event)).toBe(matches);
  });

  it('does not match events that are not JSON', () => {
    expect(compileFilterPattern('{ $.a = 1 }').matches('a = 1')).toBe(false);
  });

  it('reads the JSON that follows a text prefix (Lambda\'s tab-separated console lines)', () => {
    expect(compileFilterPattern('{ $.level = "ERROR" }').matches('2026-12-04T00:00:00.000Z\tabc\tINFO\t{"level":"ERROR"}')).toBe(true);
    expect(compileFilterPattern('{ $.level = "ERROR" }').matches('{"level":"ERROR"}')).toBe(true);
  });
});

describe('filter patterns on space-delimited events', () => {
  // "Using filter patterns to match terms in space-delimited log events": the documentation's event.
  const line = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';
  const cases: Array<{ pattern: string; matches: boolean; source: string }> = [
    { pattern: '[ip, user, username, timestamp, request = "*html*", status_code = 4*, bytes]', matches: true, source: `${DOC}: fields with wildcards` },
    { pattern: '[ip, user, username, timestamp, request, status_code = 404, bytes]', matches: true, source: `${DOC}: numeric field` },
    { pattern: '[..., status_code = 404, bytes]', matches: true, source: `${DOC}: ellipsis` },
    { pattern: '[ip, user, ..., status_code = 4*, bytes > 1000]', matches: true, source: `${DOC}: numeric comparison` },
    { pattern: '[ip, user, ..., status_code = 5*, bytes]', matches: false, source: `${DOC}: wildcard that does not match` },
    { pattern: '[ip, user, ..., status_code = 400 || status_code = 404, bytes]', matches: true, source: `${DOC}: || on a field` },
    { pattern: '[ip, user, username, timestamp, request, status_code]', matches: false, source: `${DOC}: field count must match without ellipsis` },
  ];
  it.each(cases)('$pattern ($source)', ({ pattern, matches }) => {
    expect(compileFilterPattern(pattern).matches(line)).toBe(matches);
  });
});

describe('trace id hint', () => {
  const id = '1-67500000-000000000000000000000001';
  it('is the trace id every match must contain', () => {
    expect(compileFilterPattern(`"${id}"`).traceIdHint).toBe(id);
    expect(compileFilterPattern(`ERROR ${id}`).traceIdHint).toBe(id);
    expect(compileFilterPattern(`{ $.xray_trace_id = "${id}" && $.level = "ERROR" }`).traceIdHint).toBe(id);
  });
  it('is absent when a match need not contain it', () => {
    expect(compileFilterPattern(`-${id}`).traceIdHint).toBeUndefined();
    expect(compileFilterPattern(`{ $.xray_trace_id = "${id}" || $.level = "ERROR" }`).traceIdHint).toBeUndefined();
    expect(compileFilterPattern(`{ $.xray_trace_id != "${id}" }`).traceIdHint).toBeUndefined();
  });
});

describe('malformed patterns', () => {
  it.each(['"unterminated', '{ $.a = }', '{ a = 1 }', '{ $.a ~ 1 }', '{ $.a > abc }', '[a, 1b]', '%(%'])('refuses %s', (pattern) => {
    expect(() => compileFilterPattern(pattern)).toThrow(FilterPatternError);
  });
});
