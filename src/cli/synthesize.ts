import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export interface SynthResult {
  readonly outdir: string;
  /** File names of the synthesized CloudFormation templates. */
  readonly templates: string[];
}

/** Runs `cdk synth` offline (no notices, no account) and lists the templates it wrote. */
export async function synthesize(projectRoot = process.cwd()): Promise<SynthResult> {
  const outdir = path.join(projectRoot, 'cdk.out');
  await run('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', outdir], projectRoot);
  const templates = (await readdir(outdir)).filter((name) => name.endsWith('.template.json')).sort();
  return { outdir, templates };
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with code ${code}`)),
    );
  });
}
