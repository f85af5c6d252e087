import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ProgramRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON a program prints on its `RESULT ` line. */
  readonly result: unknown;
}

/** The AWS SDK's notice about future Node versions: not something the programs did. */
const NODE_VERSION_NOTICE = /\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?--trace-warnings[^\n]*\n/g;

/**
 * Runs a TypeScript program under test/e2e/programs in its own Node process with only the
 * environment given (plus PATH), so SDK settings never leak between programs or from the test.
 */
export function runProgram(name: string, env: Readonly<Record<string, string>>, timeoutMillis = 20_000): Promise<ProgramRun> {
  const file = fileURLToPath(new URL(`../programs/${name}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMillis);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      resolve({ code, stdout, stderr: stderr.replace(NODE_VERSION_NOTICE, ''), result: line ? JSON.parse(line.slice('RESULT '.length)) : undefined });
    });
  });
}
