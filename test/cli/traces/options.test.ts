import { describe, expect, test } from 'vitest';
import { parseSince, planTraces, TracesOptionError } from '../../../src/cli/traces/index.ts';

describe('traces options', () => {
  test.each([['30s', 30], ['15m', 900], ['1h', 3600], ['1.5h', 5400], ['2d', 172_800]])('--since %s is %d seconds', (text, seconds) => {
    expect(parseSince(text)).toBe(seconds);
  });

  test.each(['', '1', 'h', '-1h', '0s', '1w', '1 hour', '1h30m'])('--since %j is refused', (text) => {
    expect(() => parseSince(text)).toThrow(TracesOptionError);
    expect(() => parseSince(text)).toThrow('must be a duration such as 30s, 15m, 1h or 2d');
  });

  test('defaults: the last hour, every trace, a table, the local API', () => {
    expect(planTraces({}, 10_000)).toEqual({
      endpoint: 'http://127.0.0.1:2001', filter: undefined, group: undefined, startTime: 6400, endTime: 10_000, json: false, limit: 100,
    });
  });

  test('flags are taken as given; the filter is left for the service to parse', () => {
    expect(planTraces({ filter: 'fault AND', since: '5m', group: 'g', json: true, endpoint: 'http://localhost:9/', limit: '7' }, 1000)).toEqual({
      endpoint: 'http://localhost:9', filter: 'fault AND', group: 'g', startTime: 700, endTime: 1000, json: true, limit: 7,
    });
  });

  test.each([
    [{ endpoint: 'nope' }, '--endpoint "nope" is not a URL'],
    [{ endpoint: 'ftp://x' }, 'must be http or https'],
    [{ limit: '0' }, '--limit "0" must be a whole number from 1 to 100000'],
    [{ limit: 'ten' }, '--limit "ten" must be a whole number'],
    [{ group: ' ' }, '--group must name a group'],
  ])('%j is refused', (flags, message) => {
    expect(() => planTraces(flags, 0)).toThrow(message);
  });
});
