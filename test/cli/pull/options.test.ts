import { describe, expect, it } from 'vitest';
import { planPull } from '../../../src/cli/pull/options.ts';
import { windows, MAX_WINDOW_SECONDS } from '../../../src/cli/pull/list-traces.ts';

describe('planPull', () => {
  it('reads from AWS by default, the last hour, at most 1000 traces, into the local service', () => {
    expect(planPull({})).toEqual({
      endpoint: 'http://127.0.0.1:2001',
      source: { endpoint: undefined, region: undefined, profile: undefined },
      since: 3600,
      filter: undefined,
      limit: 1000,
    });
  });

  it('takes another X-Ray API, a filter, a limit and a range', () => {
    expect(planPull({ sourceEndpoint: 'http://127.0.0.1:9001/', since: '2d', filter: 'fault', limit: '50', region: 'eu-west-1' })).toMatchObject({
      source: { endpoint: 'http://127.0.0.1:9001', region: 'eu-west-1' },
      since: 172_800,
      filter: 'fault',
      limit: 50,
    });
  });

  it.each([
    [{ sourceEndpoint: 'http://127.0.0.1:2001' }, '--source-endpoint http://127.0.0.1:2001 is the service the traces are put into (--endpoint); name another X-Ray API'],
    [{ sourceEndpoint: 'ftp://x' }, '--source-endpoint "ftp://x" must be http or https, not ftp:'],
    [{ sourceEndpoint: 'http://127.0.0.1:9001', profile: 'dev' }, '--profile picks AWS credentials; --source-endpoint reads another X-Ray API without them: give one of the two'],
    [{ limit: '0' }, '--limit "0" must be a whole number from 1 to 100000'],
    [{ limit: 'all' }, '--limit "all" must be a whole number from 1 to 100000'],
    [{ since: 'yesterday' }, '--since "yesterday" must be a duration such as 30s, 15m, 1h or 2d'],
    [{ filter: '  ' }, '--filter must not be empty'],
    [{ region: '' }, '--region must not be empty'],
  ])('refuses %j', (flags, message) => {
    expect(() => planPull(flags)).toThrow(message);
  });
});

describe('windows', () => {
  it('slices a long range into windows AWS accepts, newest first, covering it exactly', () => {
    const slices = windows(1000, 1000 + 2.5 * MAX_WINDOW_SECONDS);
    expect(slices).toEqual([
      { start: 1000 + 1.5 * MAX_WINDOW_SECONDS, end: 1000 + 2.5 * MAX_WINDOW_SECONDS },
      { start: 1000 + 0.5 * MAX_WINDOW_SECONDS, end: 1000 + 1.5 * MAX_WINDOW_SECONDS },
      { start: 1000, end: 1000 + 0.5 * MAX_WINDOW_SECONDS },
    ]);
    expect(windows(0, 60)).toEqual([{ start: 0, end: 60 }]);
  });
});
