import { spawn } from 'node:child_process';

export interface ProcessRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunProcessOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly deadlineMs: number;
  /**
   * Past the deadline the process is killed; with a name, the run also fails naming it (a program
   * that must finish), else it resolves with code null (a call whose refusal is checked).
   */
  readonly failAfterDeadline?: string;
  /** @default this process's working directory */
  readonly cwd?: string;
}

/** Runs a command to its end without blocking the event loop (a service in this process keeps answering it). */
export function runProcess(command: string, args: ReadonlyArray<string>, options: RunProcessOptions): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], ...(options.cwd !== undefined ? { cwd: options.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      if (options.failAfterDeadline !== undefined) {
        reject(new Error(`${options.failAfterDeadline} did not finish within ${options.deadlineMs} ms; stderr: ${stderr.slice(-2000)}`));
      }
    }, options.deadlineMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
