import { describe, expect, test } from 'vitest';
import { OptionError, parseEndpoint, parseGroup, parseSince } from '../../../src/cli/xray-api/index.ts';

describe('shared X-Ray API options', () => {
  test.each([['30s', 30], ['15m', 900], ['1h', 3600], ['1.5h', 5400], ['2d', 172_800]])('--since %s is %d seconds', (text, seconds) => {
    expect(parseSince(text)).toBe(seconds);
  });

  test.each(['', '1', 'h', '-1h', '0s', '1w', '1 hour', '1h30m'])('--since %j is refused', (text) => {
    expect(() => parseSince(text)).toThrow(OptionError);
    expect(() => parseSince(text)).toThrow('must be a duration such as 30s, 15m, 1h or 2d');
  });

  test('--endpoint defaults to the local API and loses a trailing slash', () => {
    expect(parseEndpoint(undefined)).toBe('http://127.0.0.1:2001');
    expect(parseEndpoint('https://xray.example.com/')).toBe('https://xray.example.com');
  });

  test.each([['nope', '--endpoint "nope" is not a URL'], ['ftp://x', 'must be http or https, not ftp:']])('--endpoint %j is refused', (text, message) => {
    expect(() => parseEndpoint(text)).toThrow(message);
  });

  test('--group must name something', () => {
    expect(parseGroup(undefined)).toBeUndefined();
    expect(parseGroup('faults')).toBe('faults');
    expect(() => parseGroup('  ')).toThrow('--group must name a group');
  });
});
