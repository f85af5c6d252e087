import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CreateGroupCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runTraces, type TracesFlags } from '../../../src/cli/traces/index.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';

const NOW = 1_750_000_000;
let service: XrayService;
const ids = { dynamo: '1-684ee160-000000000000000000000001', http: '1-684ee16a-000000000000000000000002', other: '1-684ee174-000000000000000000000003' };

function stage(traceId: string, start: number, path: string, status: number, annotations: Record<string, unknown>): string {
  return JSON.stringify({
    name: 'api/prod', id: `${traceId.slice(-8)}00000001`, trace_id: traceId, start_time: start, end_time: start + 0.085,
    origin: 'AWS::ApiGateway::Stage', ...(status >= 500 ? { fault: true } : {}),
    http: { request: { method: 'GET', url: `https://api.example.com${path}` }, response: { status } }, annotations,
  });
}

beforeAll(async () => {
  service = await startXrayService({ store: new MemoryTraceStore({ nowSeconds: () => NOW }), daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => NOW * 1000 });
  const client = new XRayClient({ endpoint: service.api.url, region: 'us-east-1', credentials: { accessKeyId: 'A', secretAccessKey: 'B' } });
  await client.send(new PutTraceSegmentsCommand({
    TraceSegmentDocuments: [
      stage(ids.dynamo, 0x684ee160, '/prod/dynamo', 200, { path: '/prod/dynamo', retries: 0 }),
      stage(ids.http, 0x684ee16a, '/prod/http', 502, { path: '/prod/http' }),
      stage(ids.other, 0x684ee174, '/prod/other', 200, {}),
    ],
  }));
  await client.send(new CreateGroupCommand({ GroupName: 'faults', FilterExpression: 'fault' }));
  client.destroy();
});

afterAll(async () => {
  await service.stop();
});

async function run(flags: TracesFlags): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTraces({ endpoint: service.api.url, since: '1d', ...flags }, { out: (l) => out.push(l), err: (l) => err.push(l), nowSeconds: () => NOW });
  return { code, out, err };
}

describe('xray-tracer traces', () => {
  test('prints the matching summaries as a table, newest first', async () => {
    const { code, out, err } = await run({ filter: 'annotation.path BEGINSWITH "/prod/"' });
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out[0]).toMatch(/^time \(UTC\)\s+id\s+method\s+status\s+response\s+url\s+annotations$/);
    expect(out).toHaveLength(4);
    expect(out[1]).toMatch(new RegExp(`^2025-06-15 \\d\\d:\\d\\d:\\d\\d\\.000\\s+${ids.http}\\s+GET\\s+502\\s+0\\.085 s\\s+https://api\\.example\\.com/prod/http\\s+path="/prod/http"$`));
    expect(out[2]).toContain(ids.dynamo);
    expect(out[2]).toMatch(/path="\/prod\/dynamo" retries=0$/);
    expect(out[3]).toBe('2 traces matched of 3 looked at');
  });

  test('--json prints the GetTraceSummaries response shape, times in epoch seconds', async () => {
    const { code, out } = await run({ filter: 'fault', json: true });
    expect(code).toBe(0);
    const body = JSON.parse(out.join('\n')) as { TraceSummaries: Array<Record<string, unknown>>; ApproximateTime: number; TracesProcessedCount: number };
    expect(body.ApproximateTime).toBe(NOW);
    expect(body.TracesProcessedCount).toBe(3);
    expect(body.TraceSummaries).toHaveLength(1);
    expect(body.TraceSummaries[0]).toMatchObject({ Id: ids.http, StartTime: 0x684ee16a, HasFault: true, Http: { HttpStatus: 502 } });
  });

  test('--group scopes to the group; the filter applies too', async () => {
    expect((await run({ group: 'faults', json: true })).out.join('')).toContain(ids.http);
    const both = await run({ group: 'faults', filter: 'http.url CONTAINS "dynamo"' });
    expect(both.out.at(-1)).toBe('0 traces matched of 3 looked at');
    const unknown = await run({ group: 'nope' });
    expect(unknown).toEqual({ code: 1, out: [], err: ['xray-tracer traces: InvalidRequestException: there is no group named "nope"'] });
  });

  test('--limit stops early and says so', async () => {
    const { out } = await run({ limit: '1' });
    expect(out).toHaveLength(3);
    expect(out[2]).toMatch(/^1 trace matched of \d looked at \(showing the first 1; more match/);
  });

  test('a bad expression exits non-zero with the service\'s parse error and its column', async () => {
    const { code, out, err } = await run({ filter: 'service("a") { fault' });
    expect({ code, out }).toEqual({ code: 1, out: [] });
    expect(err).toEqual(["xray-tracer traces: InvalidRequestException: FilterExpression: '{' is never closed at column 14"]);
  });

  test('an unreachable service is said plainly', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const { code, err } = await run({ endpoint: `http://127.0.0.1:${port}` });
    expect(code).toBe(1);
    expect(err).toEqual([`xray-tracer traces: cannot reach the X-Ray service at http://127.0.0.1:${port} (ECONNREFUSED); start it with \`npx xray-tracer xray\` or point --endpoint at it`]);
  });

  test('bad options exit 2 without asking the service', async () => {
    expect(await run({ since: 'yesterday' })).toEqual({ code: 2, out: [], err: ['xray-tracer traces: --since "yesterday" must be a duration such as 30s, 15m, 1h or 2d'] });
  });

  test('the command is wired into the CLI', async () => {
    const bin = fileURLToPath(new URL('../../../bin/xray-tracer.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'traces', '--endpoint', service.api.url, '--since', '1000d', '--filter', 'http.status >'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    // The SDK may warn about the Node version first; the last line is ours.
    expect(stderr.trim().split('\n').at(-1)).toBe("xray-tracer traces: InvalidRequestException: FilterExpression: expected a number after '>' at column 14");
  }, 30_000);
});
