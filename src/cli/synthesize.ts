import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { writeStamp } from './synth-stamp.ts';

export interface SynthResult {
  readonly outdir: string;
  /** File names of the synthesized CloudFormation templates. */
  readonly templates: string[];
}

/**
 * Runs `cdk synth` offline (no notices, no account), stamps the output with its sources and lists
 * the templates it wrote. The CDK CLI's chatter is kept back and shown only when synthesis fails.
 */
export async function synthesize(projectRoot = process.cwd()): Promise<SynthResult> {
  const outdir = path.join(projectRoot, 'cdk.out');
  await run('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', outdir], projectRoot);
  await writeStamp(projectRoot, outdir);
  const templates = (await readdir(outdir)).filter((name) => name.endsWith('.template.json')).sort();
  return { outdir, templates };
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const log = withoutProgress(Buffer.concat(output).toString('utf8')).trimEnd();
      reject(new Error(`${command} ${args.join(' ')} exited with code ${code}:\n${log}`));
    });
  });
}

/** CDK's progress lines (one per bundled handler) would push the error itself out of sight. */
export function withoutProgress(log: string): string {
  return log.split('\n').filter((line) => !/^Bundling asset \S+\.\.\.$/.test(line)).join('\n');
}
