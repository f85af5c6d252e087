import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runTrace, type TraceFlags } from '../../../src/cli/trace/index.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { patternTrace } from '../../xray/graph/pattern-traces.ts';
import { capture, freePort, putDocuments, runBin, startService, type Run } from '../support/xray-service.ts';

const NOW = 1_750_000_000;
const T0 = NOW - 600;
const faulty = patternTrace(1, T0, { httpFaults: true, dynamoThrottled: true });
const hostileId = '1-68500000-0000000000000000000000ee';
let service: XrayService;

beforeAll(async () => {
  service = await startService(NOW);
  await putDocuments(service, [
    ...faulty.build(),
    {
      name: 'evil', id: '00000000000000ee', trace_id: hostileId, start_time: T0, end_time: T0 + 0.2, origin: 'x\u202ey', subsegments: [{ id: '00000000000000f0', name: 'inner', namespace: 'remote', start_time: T0, end_time: T0 + 0.1, annotations: { k: 'v\u001b[2J' } }],
      annotations: { note: 'a\nb' }, error: true, cause: { exceptions: [{ id: '00000000000000ef', type: 'Boom\u0007', message: 'line1\r\nline2' }] },
    },
  ]);
});

afterAll(async () => {
  await service.stop();
});

async function run(traceId: string, flags: TraceFlags = {}): Promise<Run> {
  return capture(NOW, (output) => runTrace(traceId, { endpoint: service.api.url, ...flags }, output));
}

describe('xray-tracer trace', () => {
  test('prints the pattern\'s trace as a waterfall, then its annotations and exceptions', async () => {
    const { code, out, err } = await run(faulty.traceId);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out[0]).toBe(`trace ${faulty.traceId}  1.500 s  started 2025-06-15 14:56:40.000 UTC  25 segments and subsegments`);
    expect(out[2]).toBe(`name                                      origin                  status    duration  |0${'1.500 s'.padStart(39)}|`);
    const rows = out.slice(3, 28);
    expect(rows.map((line) => line.slice(0, 42).trimEnd())).toEqual([
      'xyz/prod', '  SNS',
      '    dynamo-flow', '      dynamo-flow', '        ## index.handler', '          DynamoDB Query', '            DynamoDB',
      '    http-flow', '      http-flow', '        ## index.handler', '          external HTTP Request', '            jsonplaceholder.typicode.com',
      '    sns-flow', '      sns-flow', '        SNS Publish Logic', '          SNS', '            sns-subscriber', '              sns-subscriber', '                process_message',
      '    sqs-flow', '      sqs-flow', '        SQS Logic', '          SQS', '            sqs-subscriber', '              sqs-subscriber',
    ]);
    expect(rows[0]).toBe(`xyz/prod                                  AWS::ApiGateway::Stage  ok        100.0 ms  |${'==='.padEnd(40)}|`);
    expect(rows[6]).toBe(`            DynamoDB                      aws                     throttle   40.0 ms  |${'       =='.padEnd(40)}|`);
    expect(rows[8]).toBe(`      http-flow                           AWS::Lambda::Function   fault     530.0 ms  |${'      ==============='.padEnd(40)}|`);
    // The SQS consumer runs a second after the send: the bar ends at the trace's end.
    expect(rows[24]).toBe(`              sqs-subscriber              AWS::Lambda::Function   ok         80.0 ms  |${'==='.padStart(40)}|`);
    expect(out.slice(28)).toEqual([
      '',
      'annotations:',
      '  DynamoDB Query     path="/prod/foo"',
      '  SNS Publish Logic  message="Simulated Message"',
      '  process_message    message_content="Simulated Message"',
      '',
      'exceptions:',
      '  DynamoDB                      ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput.',
      '  http-flow                     Error: GET https://jsonplaceholder.typicode.com/todos/1 answered HTTP 502',
      '  jsonplaceholder.typicode.com  Error: Bad Gateway',
    ]);
  });

  test('control characters in trace data are shown, never sent to the terminal', async () => {
    const { code, out } = await run(hostileId);
    expect(code).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(out.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(out[3]).toMatch(/^evil\s+x\\u\{202e\}y\s+error\s+200\.0 ms/);
    // Annotation strings are quoted as JSON, which escapes their controls itself.
    expect(out).toContain('  evil   note="a\\nb"');
    expect(out).toContain('  inner  k="v\\u001b[2J"');
    expect(out).toContain('  evil  Boom\\x07: line1\\x0d\\x0aline2');
  });

  test('--json prints the BatchGetTraces response shape', async () => {
    const { code, out } = await run(faulty.traceId, { json: true });
    expect(code).toBe(0);
    const body = JSON.parse(out.join('\n')) as { Traces: Array<{ Id: string; Duration: number; Segments: Array<{ Id: string; Document: string }> }>; UnprocessedTraceIds: string[] };
    expect(Object.keys(body)).toEqual(['Traces', 'UnprocessedTraceIds']);
    expect(body.UnprocessedTraceIds).toEqual([]);
    expect(body.Traces).toHaveLength(1);
    expect(body.Traces[0]).toMatchObject({ Id: faulty.traceId, Duration: 1.5 });
    // Standalone subsegments come back folded into their segments, as AWS answers.
    // X-Ray's inferred segments for the downstream calls come after them.
    const sent = body.Traces[0]!.Segments.filter((s) => (JSON.parse(s.Document) as { inferred?: boolean }).inferred !== true);
    expect(sent.map((s) => s.Id).sort()).toEqual(faulty.documents.filter((d) => d['type'] !== 'subsegment').map((d) => d.id).sort());
    expect(JSON.parse(body.Traces[0]!.Segments.find((s) => s.Id === faulty.documents[0]!.id)!.Document)).toMatchObject({ name: 'xyz/prod' });
  });

  test('an unknown id is said plainly and exits 1', async () => {
    const id = '1-68500000-000000000000000000000bad';
    expect(await run(id)).toEqual({ code: 1, out: [], err: [`xray-tracer trace: no trace with id "${id}" at ${service.api.url} (ids look like 1-5f84c7a1-0123456789abcdef01234567)`] });
    expect((await run(id, { json: true })).code).toBe(1);
  });

  test('an id the service refuses gives its message; no service, and bad options, are said too', async () => {
    expect(await run('x'.repeat(36))).toEqual({ code: 1, out: [], err: ['xray-tracer trace: InvalidRequestException: TraceIds[0] must be 1 to 35 characters long, got 36'] });
    const port = await freePort();
    const unreachable = await run(faulty.traceId, { endpoint: `http://127.0.0.1:${port}` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.err[0]).toMatch(new RegExp(`^xray-tracer trace: cannot reach the X-Ray service at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    expect(await run(faulty.traceId, { endpoint: 'nope' })).toEqual({ code: 2, out: [], err: ['xray-tracer trace: --endpoint "nope" is not a URL (e.g. http://127.0.0.1:2001)'] });
  });

  test('--logs adds the trace\'s handler log lines from the function log, as up shows them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trace-logs-'));
    try {
      const file = path.join(dir, 'functions.log');
      const http = 'TheHttpFlowStack-HttpLambdaFunctionBDEC11D6-0U7JB89DUS3M';
      writeFileSync(file, [
        `2026-12-02T07:03:30.975Z [${http} ${faulty.traceId}] START RequestId: 45e77451 Version: $LATEST`,
        `2026-12-02T07:03:30.984Z [${http} ${faulty.traceId}] 2026-12-02T07:03:30.984Z\t45e77451\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"SSL Cert Exception"}`,
        `2026-12-02T07:03:30.990Z [${http} 1-68500000-000000000000000000000001] INFO another trace`,
        `2026-12-02T07:03:30.991Z [${http} ${faulty.traceId}] INFO with a bell \u0007 in it`,
        `2026-12-02T07:03:30.995Z [${http} ${faulty.traceId}] REPORT RequestId: 45e77451\tDuration: 8.30 ms\tBilled Duration: 9 ms`,
        '',
      ].join('\n'));
      const { code, out, err } = await run(faulty.traceId, { logs: true, logFile: file });
      expect({ code, err }).toEqual({ code: 0, err: [] });
      const suffix = faulty.traceId.slice(-8);
      expect(out.slice(out.indexOf(`handler logs (${file}):`))).toEqual([
        `handler logs (${file}):`,
        `  07:03:30.984 HttpLambda ${suffix} ERROR Invoke Error Error: SSL Cert Exception`,
        `  07:03:30.991 HttpLambda ${suffix} INFO with a bell \\x07 in it`,
        `  07:03:30.995 HttpLambda ${suffix} done in 8.30 ms`,
      ]);

      const none = await run(hostileId, { logs: true, logFile: file });
      expect(none.out.at(-1)).toBe(`no handler log lines for this trace in ${file}`);
      const missing = await run(faulty.traceId, { logFile: path.join(dir, 'nothing.log') });
      expect(missing.code).toBe(0);
      expect(missing.err).toEqual([`xray-tracer trace: no function log at ${path.join(dir, 'nothing.log')} (\`npm start\` writes it in its data folder; --log-file names another)`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the command is wired into the CLI', async () => {
    const { code, stdout } = await runBin(['trace', faulty.traceId, '--endpoint', service.api.url]);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`trace ${faulty.traceId}  1.500 s  started 2025-06-15 14:56:40.000 UTC  25 segments and subsegments`);
  }, 30_000);
});
