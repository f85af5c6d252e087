/**
 * The real AWS X-Ray SDK for Python against a started service: sdk/python_sdk_app.py records a
 * segment with in_subsegment and capture subsegments (namespace "local"), annotations, metadata, a
 * captured exception and a patched HTTP call, with the SDK's defaults: centralized sampling rules
 * from the daemon's TCP endpoint and documents over UDP, both at AWS_XRAY_DAEMON_ADDRESS. The trace
 * is stored and BatchGetTraces returns each document as the SDK sent it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { eventually } from '../../support/eventually.ts';
import { untilStored } from '../support/until-stored.ts';
import { runProcess, type ProcessRun } from '../../support/run-process.ts';

const SCRIPT = fileURLToPath(new URL('./sdk/python_sdk_app.py', import.meta.url));
const RUN_DEADLINE_MS = 30_000;

const probe = spawnSync('python3', ['-c', 'import aws_xray_sdk'], { encoding: 'utf8' });
const missing = probe.error !== undefined ? 'python3 is missing' : probe.status !== 0 ? 'the Python package aws_xray_sdk is missing (pip install aws-xray-sdk)' : undefined;

let service: XrayService;

beforeAll(async () => {
  if (missing !== undefined) return;
  service = await startXrayService({ store: new MemoryTraceStore(), daemonPort: 0, apiPort: 0, logger: silentLogger, consoleDir: false });
});

afterAll(async () => {
  await service?.stop();
});

/** Runs the script to its end without blocking the event loop: the service answers its sampling requests. */
function runScript(daemonAddress: string): Promise<ProcessRun> {
  return runProcess('python3', [SCRIPT], { env: { ...process.env, AWS_XRAY_DAEMON_ADDRESS: daemonAddress }, deadlineMs: RUN_DEADLINE_MS, failAfterDeadline: 'python_sdk_app.py' });
}

describe.skipIf(missing !== undefined)(`the AWS X-Ray SDK for Python${missing === undefined ? '' : ` (skipped: ${missing})`}`, () => {
  test('a segment recorded with the defaults is stored and returned as sent', async () => {
    const { code, stdout, stderr } = await runScript(`127.0.0.1:${service.daemon.udp.port}`);
    expect(code, stderr.slice(-2000)).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const result = lines.at(-1) as { trace_id: string; id: string; sampled: boolean; rules: string[] };
    // The rules came from the daemon's TCP endpoint, and the centralized Default rule sampled the request.
    expect(result.rules).toContain('Default');
    expect(result.sampled).toBe(true);
    const sent = lines.slice(0, -1).map((line) => line['sent'] as string);
    expect(sent.length).toBeGreaterThan(0);

    await eventually(() => service.stats().udp.received >= sent.length, { what: () => `${sent.length} documents; the daemon received ${service.stats().udp.received}` });
    expect(service.stats().udp).toMatchObject({ accepted: sent.length, rejected: 0 });
    await untilStored(service);

    const response = await fetch(`${service.api.url}/Traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ TraceIds: [result.trace_id] }) });
    const body = (await response.json()) as { Traces: Array<{ Segments: Array<{ Id: string; Document: string }> }>; UnprocessedTraceIds: string[] };
    expect(body.UnprocessedTraceIds).toEqual([]);
    // BatchGetTraces adds inferred segments for the remote calls; the documents sent come back as they were.
    const returned = body.Traces.flatMap((trace) => trace.Segments.map((segment) => segment.Document))
      .filter((document) => (JSON.parse(document) as { inferred?: unknown }).inferred !== true).sort();
    expect(returned).toEqual([...sent].sort());

    const segment = JSON.parse(sent.find((text) => (JSON.parse(text) as { id: string }).id === result.id) ?? '{}') as {
      subsegments?: Array<{ name: string; namespace?: string; cause?: unknown }>;
    };
    expect(segment.subsegments?.map((sub) => [sub.name, sub.namespace])).toEqual([
      ['load_order', 'local'], ['price_order', 'local'], ['charge_card', 'local'],
    ]);
  });
});
