/** A real X-Ray service on free ports with an in-memory store and a fixed clock, for the CLI's command tests. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import type { CommandOutput } from '../../../src/cli/xray-api/index.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';

/** `now` in epoch seconds. */
export async function startService(now: number): Promise<XrayService> {
  return startXrayService({ store: new MemoryTraceStore({ nowSeconds: () => now }), daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => now * 1000 });
}

export function clientOf(service: XrayService): XRayClient {
  return new XRayClient({ endpoint: service.api.url, region: 'us-east-1', credentials: { accessKeyId: 'A', secretAccessKey: 'B' } });
}

export async function putDocuments(service: XrayService, documents: readonly object[]): Promise<void> {
  const client = clientOf(service);
  try {
    // PutTraceSegments takes any number, but keep requests small like the SDK's daemon does.
    for (let i = 0; i < documents.length; i += 50) {
      const answer = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: documents.slice(i, i + 50).map((d) => JSON.stringify(d)) }));
      if ((answer.UnprocessedTraceSegments ?? []).length > 0) throw new Error(`unprocessed: ${JSON.stringify(answer.UnprocessedTraceSegments)}`);
    }
  } finally {
    client.destroy();
  }
}

export interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** Runs a command's in-process entry with captured output and a fixed clock. */
export async function capture(nowSeconds: number, run: (output: CommandOutput) => Promise<number>): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run({ out: (line) => out.push(...line.split('\n')), err: (line) => err.push(line), nowSeconds: () => nowSeconds });
  return { code, out, err };
}

export { freePort } from '../../support/ports.ts';

/** Runs `bin/xray-tracer.js` with `args`; the SDK may warn about the Node version on stderr first. */
export async function runBin(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bin = fileURLToPath(new URL('../../../bin/xray-tracer.js', import.meta.url));
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}
