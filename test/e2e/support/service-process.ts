import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { eventually } from '../../support/eventually.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** `node bin/xray-tracer.js xray ...` in a child process, on free ports, as a user would run it. */
export interface ServiceProcess {
  readonly apiUrl: string;
  readonly daemonPort: number;
  /** Where OTLP/HTTP exporters send traces (`.../v1/traces`). */
  readonly otlpTracesUrl: string;
  output(): string;
  /** Resolves with the exit code, or the signal that ended it. */
  readonly exited: Promise<number | NodeJS.Signals>;
  kill(signal: NodeJS.Signals): void;
}

export async function startServiceProcess(dataDir: string, extraArgs: string[] = []): Promise<ServiceProcess> {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(
    process.execPath,
    ['bin/xray-tracer.js', 'xray', '--data-dir', dataDir, '--daemon-address', '127.0.0.1:0', '--api-port', '0', '--otlp-port', '0', ...extraArgs],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal as NodeJS.Signals))));

  let api: RegExpExecArray | null = null;
  let daemon: RegExpExecArray | null = null;
  let otlp: RegExpExecArray | null = null;
  const printedAddresses = (): boolean => {
    api = /api\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    daemon = /daemon\s+udp:\/\/127\.0\.0\.1:(\d+)/.exec(output);
    otlp = /otlp\s+(http:\/\/127\.0\.0\.1:\d+\/v1\/traces)/.exec(output);
    return api !== null && daemon !== null && otlp !== null;
  };
  // Either way the check below fails with the process's whole output, which says more than a timeout.
  await eventually(() => child.exitCode !== null || printedAddresses(), { timeoutMs: 20_000, intervalMs: 20 }).catch(() => undefined);
  if (!api?.[1] || !daemon?.[1] || !otlp?.[1]) {
    child.kill('SIGKILL');
    throw new Error(`the service did not start:\n${output}`);
  }
  return { apiUrl: api[1], daemonPort: Number(daemon[1]), otlpTracesUrl: otlp[1], output: () => output, exited, kill: (signal) => child.kill(signal) };
}
