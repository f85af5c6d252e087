import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatchGetTracesCommand, CreateSamplingRuleCommand, XRayClient, type SamplingRule } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '../../src/xray/log/logger.ts';
import { startXrayService } from '../../src/xray/service.ts';
import type { XrayService } from '../../src/xray/service.ts';
import { eventually } from '../support/eventually.ts';
import { runProgram, type ProgramRun } from './support/programs.ts';
import { startUdpTap } from './support/udp-tap.ts';
import type { UdpTap } from './support/udp-tap.ts';

interface Decision {
  readonly path: string;
  readonly sampled: boolean;
  readonly traceId: string;
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-sdk-sampling-'));
const serviceLog: string[] = [];
const logger: Logger = { info: () => {}, warn: (line) => serviceLog.push(line), error: (line) => serviceLog.push(line) };
let service: XrayService;
let tap: UdpTap;
let client: XRayClient;

beforeAll(async () => {
  service = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, logger });
  tap = await startUdpTap(service.daemon.udp.port);
  client = new XRayClient({ endpoint: service.api.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });
});

afterAll(async () => {
  client.destroy();
  await tap.close();
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Generous: UDP, the daemon and the store's batches on a loaded machine. */
const STORE_DEADLINE_MILLIS = 30_000;

/** Which of `traceIds` BatchGetTraces finds (it takes five at a time). */
async function storedTraces(traceIds: readonly string[]): Promise<string[]> {
  const stored: string[] = [];
  for (let i = 0; i < traceIds.length; i += 5) {
    const traces = await client.send(new BatchGetTracesCommand({ TraceIds: traceIds.slice(i, i + 5) }));
    stored.push(...(traces.Traces ?? []).map((t) => t.Id ?? ''));
  }
  return stored;
}

/** UDP is asynchronous: waits until the service has stored every trace in `traceIds`, or throws naming those it has not. */
async function untilStored(traceIds: readonly string[]): Promise<void> {
  let missing = [...traceIds];
  await eventually(async () => {
    const stored = new Set(await storedTraces(traceIds));
    missing = traceIds.filter((id) => !stored.has(id));
    return missing.length === 0;
  }, { what: () => `the service to store traces ${missing.join(', ')}`, timeoutMs: STORE_DEADLINE_MILLIS, intervalMs: 50 });
}

function rule(name: string, fields: Partial<SamplingRule>): SamplingRule {
  return {
    RuleName: name, ResourceARN: '*', Priority: 100, FixedRate: 1, ReservoirSize: 1, ServiceName: '*', ServiceType: '*',
    Host: '*', HTTPMethod: '*', URLPath: '*', Version: 1, ...fields,
  };
}

/** The program's decisions once the rules had loaded, after it ran cleanly. */
async function decisionsOfOneRun(): Promise<{ warmUp: Decision[]; decisions: Decision[] }> {
  // Room for the program's own deadlines (rules loaded, segments sent) and its start.
  const run: ProgramRun = await runProgram('xray-sdk-sampling.ts', {
    AWS_XRAY_DAEMON_ADDRESS: `udp:127.0.0.1:${tap.port} tcp:127.0.0.1:${service.daemon.tcp.port}`,
  }, 60_000);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr.split('\n').filter((line) => /\[(WARN|ERROR)\]/.test(line))).toEqual([]);
  return run.result as { warmUp: Decision[]; decisions: Decision[] };
}

const sampledPaths = (decisions: Decision[]): Array<[string, boolean]> => decisions.map((d) => [d.path, d.sampled]);
const sampledTraces = (decisions: Decision[]): string[] => decisions.filter((d) => d.sampled).map((d) => d.traceId);

describe('centralized sampling rules in the X-Ray SDK for Node', () => {
  test('a rule created through the API stops the SDK sampling its requests; the others are still sampled', async () => {
    // Locally Default samples everything.
    const first = await decisionsOfOneRun();
    expect(sampledPaths(first.decisions).every(([, sampled]) => sampled)).toBe(true);
    // Every datagram of this run has passed the tap once its traces are stored.
    await untilStored(sampledTraces([...first.warmUp, ...first.decisions]));

    // The SDK loads rules when it starts and then every five minutes (its LastRuleModification
    // check never fires: it reads the number as milliseconds), so the program runs again.
    await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('no-health', { Priority: 1, URLPath: '/health', FixedRate: 0, ReservoirSize: 0 }) }));
    await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule('orders', { Priority: 2, URLPath: '/orders/*', HTTPMethod: 'GET' }) }));
    const sent = tap.documents().length;
    const { warmUp, decisions: after } = await decisionsOfOneRun();
    expect(sampledPaths(after)).toEqual([
      ['/health', false], ['/orders/1', true], ['/about', true],
      ['/health', false], ['/orders/1', true], ['/about', true],
      ['/health', false], ['/orders/1', true], ['/about', true],
    ]);

    // The sampled ones reach the service (through the tap); the /health ones never exist.
    const sampled = sampledTraces(after);
    await untilStored(sampled);
    expect((await storedTraces(after.map((d) => d.traceId))).sort()).toEqual([...sampled].sort());

    // Only the sampled requests' segments went out, each naming the rule that sampled it. (The
    // warm-up request was decided by the SDK's local fallback rule before any rule had loaded.)
    const warmUpIds = new Set(warmUp.map((d) => d.traceId));
    const documents = tap.documents().slice(sent).filter((doc) => !warmUpIds.has(doc.trace_id as string));
    expect(documents.map((doc) => doc.trace_id)).toEqual(sampled);
    expect(documents.map((doc) => [(doc.http as { request: { url: string } }).request.url.replace(/^http:\/\/[^/]+/, ''), (doc.aws as { xray: { rule_name: string } }).xray.rule_name]))
      .toEqual([['/orders/1', 'orders'], ['/about', 'Default'], ['/orders/1', 'orders'], ['/about', 'Default'], ['/orders/1', 'orders'], ['/about', 'Default']]);
    expect(serviceLog).toEqual([]);
  }, 180_000);
});
