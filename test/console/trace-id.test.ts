import { describe, expect, it } from 'vitest';
import { traceIdOf } from '../../src/console/shared/trace-id.ts';

describe('traceIdOf', () => {
  it('takes an X-Ray trace id as pasted, spaces and capitals included', () => {
    expect(traceIdOf('  1-5F84C7A1-0123456789ABCDEF01234567 \n')).toBe('1-5f84c7a1-0123456789abcdef01234567');
  });

  it('takes an OpenTelemetry trace id, as the service stores it', () => {
    expect(traceIdOf('5f84c7a10123456789abcdef01234567')).toBe('1-5f84c7a1-0123456789abcdef01234567');
  });

  it('takes an X-Amzn-Trace-Id header value by its Root', () => {
    expect(traceIdOf('Root=1-5f84c7a1-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1')).toBe('1-5f84c7a1-0123456789abcdef01234567');
    expect(traceIdOf(' Self=1-00000000-000000000000000000000000; Root=1-5f84c7a1-0123456789abcdef01234567')).toBe('1-5f84c7a1-0123456789abcdef01234567');
  });

  it.each(['', 'Root=1-5f84c7a1;Sampled=1', '1-5f84c7a1-0123456789abcdef0123456', '1-5f84c7a1-0123456789abcdef0123456g', '<img src=x>'])(
    'refuses %j', (text) => {
      expect(traceIdOf(text)).toBeUndefined();
    },
  );
});
