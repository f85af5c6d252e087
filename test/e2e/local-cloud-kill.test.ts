import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../src/pattern/infra/build-app.ts';
import { messageIdOf, waitFor } from './support/local-cloud.ts';
import { freePort } from '../support/ports.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'e2e-local-cloud-kill-'));
const assemblyDir = join(root, 'cdk.out');
const dataDir = join(root, 'data');
const logFile = join(dataDir, 'logs', 'functions.log');
const children: Array<ChildProcessByStdio<null, Readable, Readable>> = [];

interface Up {
  readonly gateway: string;
  readonly output: () => string;
  readonly exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
}

/** `xray-tracer up` in its own process, as a user runs it, on the given AWS endpoint port. */
async function up(endpointPort: number): Promise<Up> {
  const child = spawn(process.execPath, [
    'bin/xray-tracer.js', 'up', '--no-synth', '--assembly', assemblyDir, '--data-dir', dataDir,
    '--daemon-address', '127.0.0.1:0', '--api-port', '0', '--otlp-port', '0', '--gateway-port', '0', '--endpoint-port', String(endpointPort),
  ], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  await waitFor('the local cloud to start', 30_000, () => {
    if (child.exitCode !== null) throw new Error(`up exited:\n${output}`);
    return /gateway\s+http:\/\/\S+\/prod\//.test(output);
  });
  const gateway = /gateway\s+(http:\/\/\S+\/prod\/)/.exec(output)?.[1] ?? '';
  return { gateway, output: () => output, exited, kill: (signal) => child.kill(signal) };
}


function logLines(): string[] {
  try {
    return readFileSync(logFile, 'utf8').split('\n');
  } catch {
    return [];
  }
}

/** Log lines of functions whose name has this construct prefix, on this trace. */
function linesOf(lines: readonly string[], construct: string, traceId: string): string[] {
  return lines.filter((line) => line.includes(`-${construct}`) && line.includes(` ${traceId}] `));
}

beforeAll(() => {
  buildApp({ outdir: assemblyDir, env: {}, cloudFormationValidation: false }).app.synth();
}, 240_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('kill -9 of the whole runtime with work in flight', () => {
  test('a restart on the same data folder finishes every request: each SNS Publish the gateway answered 200 reaches every subscriber, SQS messages come back', async () => {
    const endpointPort = await freePort();
    const first = await up(endpointPort);
    const traceIds = await Promise.all(Array.from({ length: 10 }, async (_, i) => {
      const response = await fetch(`${first.gateway}kill-${i}`);
      expect(response.status).toBe(200);
      return /Root=([^;]+)/.exec(response.headers.get('x-amzn-trace-id') ?? '')?.[1] ?? '';
    }));
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const consumedBeforeKill = logLines().filter((line) => line.includes('-SqsSubscribe') && line.includes('"message received"')).length;
    // The kill came while work was still in flight, or the test would show nothing.
    expect(consumedBeforeKill).toBeLessThan(10);

    const second = await up(endpointPort);
    const finished = (): string[] => {
      const lines = logLines();
      const consumed = new Set(lines.filter((line) => line.includes('-SqsSubscribe')).map((line) => messageIdOf([line], 'message received')));
      return traceIds.filter((id) => {
        const sent = linesOf(lines, 'SqsPublish', id).map((line) => messageIdOf([line], 'message sent')).filter((m) => m !== undefined);
        // Every subscriber of the fan-out topic ran for it (the HTTP flow fails 40% of the time: it started).
        const started = (construct: string): boolean => linesOf(lines, construct, id).some((line) => line.includes('START RequestId: '));
        return !(linesOf(lines, 'DynamoLambda', id).some((line) => line.includes('"hit counted"')) &&
          started('HttpLambda') && started('SnsPublishLambda') &&
          linesOf(lines, 'SnsSubscribe', id).some((line) => line.includes('"message received"')) &&
          sent.length > 0 && sent.every((messageId) => consumed.has(messageId)));
      });
    };
    let unfinished: string[] = traceIds;
    await waitFor('every request to finish after the restart', 45_000, () => (unfinished = finished()).length === 0).catch(() => {});
    expect(unfinished).toEqual([]);

    second.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(second.output()).toMatch(/stopped: \d+ datagrams received/);
  }, 120_000);
});
