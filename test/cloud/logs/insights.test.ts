import { describe, expect, it } from 'vitest';
import { InsightsQueries } from '../../../src/cloud/logs/insights-queries.ts';
import { MalformedQueryError, parseQuery } from '../../../src/cloud/logs/insights/parse.ts';
import { LogStore } from '../../../src/cloud/logs/store.ts';

/**
 * Cases from "CloudWatch Logs Insights language query syntax" and "Sample queries"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-examples.html), on a
 * Lambda group of six invocations written as Lambda and Powertools write them.
 */
const DOC = 'CWL_QuerySyntax';
const EXAMPLES = 'CWL_QuerySyntax-examples';
const BASE = Date.UTC(2026, 11, 4, 12);
const GROUP = '/aws/lambda/http';

function store(): LogStore {
  const logs = new LogStore({ file: ':memory:', nowMs: () => BASE + 3_600_000 });
  for (let i = 0; i < 6; i++) {
    const at = BASE + i * 60_000;
    const requestId = `0000000${i}-0000-4000-8000-000000000000`;
    const failed = i % 3 === 0;
    logs.append(GROUP, `2026/12/04/[$LATEST]${i % 2 === 0 ? 'a' : 'b'}`, [
      { timestampMs: at, message: `START RequestId: ${requestId} Version: $LATEST\n` },
      {
        timestampMs: at + 1,
        message: JSON.stringify({ level: failed ? 'ERROR' : 'INFO', message: failed ? 'SSL Cert Exception' : 'called target', service: 'http', statusCode: failed ? 500 : 200, latencyMs: 10 * (i + 1), xray_trace_id: `1-6750a000-${String(i).padStart(24, '0')}` }),
      },
      { timestampMs: at + 2, message: `END RequestId: ${requestId}\n` },
      { timestampMs: at + 3, message: `REPORT RequestId: ${requestId}\tDuration: ${(i + 1) * 100}.50 ms\tBilled Duration: ${(i + 1) * 100 + 1} ms\tMemory Size: 128 MB\tMax Memory Used: ${60 + i} MB\t\n` },
    ], { createStream: true });
  }
  return logs;
}

function run(query: string): Array<Record<string, string>> {
  const logs = store();
  try {
    const queries = new InsightsQueries(logs, '123456789012');
    const id = queries.start({ groups: [GROUP], startMs: BASE - 1, endMs: BASE + 3_600_000, queryString: query });
    const result = queries.results(id) as { results: Array<Array<{ field: string; value: string }>> };
    return result.results.map((row) => Object.fromEntries(row.filter((cell) => cell.field !== '@ptr').map((cell) => [cell.field, cell.value])));
  } finally {
    logs.close();
  }
}

describe('Logs Insights queries', () => {
  const cases: Array<{ query: string; expected: Array<Record<string, string>>; source: string }> = [
    {
      query: 'filter @message like /SSL Cert Exception/ | stats count(*) as exceptionCount',
      expected: [{ exceptionCount: '2' }],
      source: `${EXAMPLES}: count of exceptions (filter @message like /Exception/ | stats count(*) as exceptionCount by bin(1h))`,
    },
    {
      query: 'filter @type = "REPORT" | stats max(@memorySize / 1000 / 1000) as provisonedMemoryMB, min(@maxMemoryUsed / 1000 / 1000) as smallestMemoryRequestMB, avg(@maxMemoryUsed / 1000 / 1000) as avgMemoryUsedMB, max(@maxMemoryUsed / 1000 / 1000) as maxMemoryUsedMB',
      expected: [{ provisonedMemoryMB: '128', smallestMemoryRequestMB: '60', avgMemoryUsedMB: '62.5', maxMemoryUsedMB: '65' }],
      source: `${EXAMPLES}: Lambda, determine the amount of overprovisioned memory`,
    },
    {
      query: 'filter @type = "REPORT" | stats avg(@duration), max(@duration), min(@duration) by bin(2m)',
      expected: [
        { 'bin(2m)': '2026-12-04 12:00:00.000', 'avg(@duration)': '150.5', 'max(@duration)': '200.5', 'min(@duration)': '100.5' },
        { 'bin(2m)': '2026-12-04 12:02:00.000', 'avg(@duration)': '350.5', 'max(@duration)': '400.5', 'min(@duration)': '300.5' },
        { 'bin(2m)': '2026-12-04 12:04:00.000', 'avg(@duration)': '550.5', 'max(@duration)': '600.5', 'min(@duration)': '500.5' },
      ],
      source: `${EXAMPLES}: Lambda, view latency statistics for 5-minute intervals (bin(5m))`,
    },
    {
      query: 'filter ispresent(statusCode) | stats count(*) as n, sum(latencyMs) as total by level | sort level asc',
      expected: [{ level: 'ERROR', n: '2', total: '50' }, { level: 'INFO', n: '4', total: '160' }],
      source: `${DOC}: stats ... by field, sort asc`,
    },
    {
      query: 'fields message, latencyMs | filter latencyMs > 20 and latencyMs <= 50 | sort latencyMs desc | limit 2',
      expected: [{ message: 'SSL Cert Exception', latencyMs: '40' }, { message: 'called target', latencyMs: '50' }].reverse(),
      source: `${DOC}: fields, filter with comparisons and and, sort desc, limit`,
    },
    {
      query: 'filter statusCode in [500, 503] | fields xray_trace_id | sort @timestamp asc',
      expected: [{ xray_trace_id: '1-6750a000-000000000000000000000000' }, { xray_trace_id: '1-6750a000-000000000000000000000003' }],
      source: `${DOC}: in [..]`,
    },
    {
      query: 'filter level =~ /^ERR/ or latencyMs = 60 | stats count(*) as n',
      expected: [{ n: '3' }],
      source: `${DOC}: =~ regular expression, or`,
    },
    {
      query: 'filter ispresent(level) and not (level = "INFO") and message not like "called" | stats count(*)',
      expected: [{ 'count(*)': '2' }],
      source: `${DOC}: not, not like`,
    },
    {
      query: 'filter @type = "REPORT" | stats pct(@duration, 50) as p50, pct(@duration, 90) as p90',
      expected: [{ p50: '300.5', p90: '600.5' }],
      source: `${DOC}: pct(field, value)`,
    },
    {
      query: 'parse @message "Billed Duration: * ms" as billed | filter ispresent(billed) | stats sum(billed) as total',
      expected: [{ total: '2106' }],
      source: `${DOC}: parse with a glob`,
    },
    {
      query: 'parse @message /Max Memory Used: (?<mem>\\d+) MB/ | filter mem >= 64 | fields @requestId, mem | sort mem asc',
      expected: [{ '@requestId': '00000004-0000-4000-8000-000000000000', mem: '64' }, { '@requestId': '00000005-0000-4000-8000-000000000000', mem: '65' }],
      source: `${DOC}: parse with a regular expression and named groups`,
    },
    {
      query: 'stats count(*) as n by @logStream | sort n desc, @logStream asc',
      expected: [{ '@logStream': '2026/12/04/[$LATEST]a', n: '12' }, { '@logStream': '2026/12/04/[$LATEST]b', n: '12' }],
      source: `${DOC}: stats by a system field`,
    },
    {
      query: 'fields @timestamp, @message | filter @message like "SSL" | limit 1',
      expected: [{ '@timestamp': '2026-12-04 12:03:00.001', '@message': '{"level":"ERROR","message":"SSL Cert Exception","service":"http","statusCode":500,"latencyMs":40,"xray_trace_id":"1-6750a000-000000000000000000000003"}' }],
      source: `${DOC}: newest first without sort; like with a string`,
    },
  ];
  it.each(cases)('$query ($source)', ({ query, expected }) => {
    expect(run(query)).toEqual(expected);
  });

  it.each([
    'fields',
    'filter',
    'stats sum(x) by',
    'stats x',
    'nonsense @message',
    'limit 0',
    'limit 10001',
    'fields @message |',
    'parse @message "a * b" as one, two',
    'filter x like /(unclosed/',
  ])('refuses %s as malformed', (query) => {
    expect(() => parseQuery(query)).toThrow(MalformedQueryError);
  });
});
