import { describe, expect, test } from 'vitest';
import { planTraces } from '../../../src/cli/traces/index.ts';

describe('traces options', () => {
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
