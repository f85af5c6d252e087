import { describe, expect, it } from 'vitest';
import { addConsoleLogRoutes, ConsoleLogRequestError, type ConsoleLogSource } from '../../../src/xray/api/console-logs.ts';
import { ApiError } from '../../../src/xray/http/errors.ts';
import { Router } from '../../../src/xray/http/router.ts';

const TRACE = '1-6750a000-0123456789abcdef01234567';

async function call(router: Router, path: string, body: unknown): Promise<unknown> {
  const response = await router.resolve('POST', path)({ method: 'POST', path, query: new URLSearchParams(), headers: {}, body: Buffer.from(JSON.stringify(body)) });
  return JSON.parse(String(response.body));
}

describe('the console\'s log routes', () => {
  const source: ConsoleLogSource = {
    traceLines: (traceId, limit) => [{ group: '/aws/lambda/fn', stream: 's', timestampMs: 1, message: `${traceId} ${limit}` }],
    groups: () => ['/aws/lambda/fn'],
    search: (request) => {
      if (request.filterPattern === 'bad') throw new ConsoleLogRequestError('InvalidParameterException', 'Invalid filter pattern');
      return request.query !== undefined
        ? { kind: 'rows', fields: ['n'], rows: [{ n: '1' }] }
        : { kind: 'lines', lines: [], more: false };
    },
  };

  it('answers a trace\'s lines, the groups and searches from the source', async () => {
    const router = addConsoleLogRoutes(new Router(), source);
    expect(await call(router, '/local/TraceLogLines', { TraceId: TRACE, Limit: 5 })).toEqual({ Lines: [{ Group: '/aws/lambda/fn', Stream: 's', TimestampMs: 1, Message: `${TRACE} 5` }] });
    expect(await call(router, '/local/LogGroups', {})).toEqual({ Groups: ['/aws/lambda/fn'] });
    expect(await call(router, '/local/SearchLogs', { Group: 'g', StartMs: 0, EndMs: 1, Query: 'stats count(*) as n' })).toEqual({ Fields: ['n'], Rows: [{ n: '1' }] });
  });

  it('refuses what is not a trace id, both a pattern and a query, and a source\'s refusal, as 400s', async () => {
    const router = addConsoleLogRoutes(new Router(), source);
    await expect(call(router, '/local/TraceLogLines', { TraceId: 'x' })).rejects.toMatchObject({ status: 400 });
    await expect(call(router, '/local/SearchLogs', { Group: 'g', StartMs: 0, EndMs: 1, Query: 'q', FilterPattern: 'p' })).rejects.toBeInstanceOf(ApiError);
    await expect(call(router, '/local/SearchLogs', { Group: 'g', StartMs: 0, EndMs: 1, FilterPattern: 'bad' })).rejects.toMatchObject({ status: 400, type: 'InvalidParameterException' });
  });

  it('answers 404 LogsUnavailableException without a source (the X-Ray service alone)', async () => {
    const router = addConsoleLogRoutes(new Router(), undefined);
    await expect(call(router, '/local/LogGroups', {})).rejects.toMatchObject({ status: 404, type: 'LogsUnavailableException' });
  });
});

describe('the console\'s log routes under malformed requests', () => {
  it('refuse an unknown member naming it, logs or not', async () => {
    for (const source of [undefined, { traceLines: () => [], groups: () => [], search: () => ({ kind: 'lines' as const, lines: [], more: false }) }]) {
      const router = addConsoleLogRoutes(new Router(), source);
      await expect(call(router, '/local/LogGroups', { Extra: 1 })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('Extra') });
      await expect(call(router, '/local/SearchLogs', { Group: 'g', StartMs: 'x', EndMs: 1 })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('StartMs') });
    }
  });
});
