import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { startStamp, writeStamp } from './synth-stamp.ts';

export interface SynthResult {
  readonly outdir: string;
  /** File names of the synthesized CloudFormation templates. */
  readonly templates: string[];
}

export interface SynthOptions {
  readonly projectRoot?: string;
  /** Stops the CDK CLI; the synthesis then fails. */
  readonly signal?: AbortSignal;
  /** The handlers' instrumentation, passed as `-c instrumentation=...`. @default 'xray' (the app's default) */
  readonly instrumentation?: Instrumentation;
}

/** How the pattern's handlers are traced (the CDK app's `instrumentation` context). */
export type Instrumentation = 'xray' | 'opentelemetry';

/** Where each flavour's assembly goes, so that switching does not take the other's as up to date. */
export function assemblyDirName(instrumentation: Instrumentation = 'xray'): string {
  return instrumentation === 'xray' ? 'cdk.out' : `cdk.out.${instrumentation}`;
}

/**
 * Runs `cdk synth` offline (no notices, no account), stamps the output with the sources as they were
 * when it started and lists the templates it wrote. The CDK CLI's chatter is kept back and shown only
 * when synthesis fails.
 */
export async function synthesize(options: SynthOptions = {}): Promise<SynthResult> {
  const projectRoot = options.projectRoot ?? process.cwd();
  const outdir = path.join(projectRoot, assemblyDirName(options.instrumentation));
  const sources = await startStamp(projectRoot, outdir);
  const context = options.instrumentation !== undefined ? ['-c', `instrumentation=${options.instrumentation}`] : [];
  await run('npx', ['cdk', 'synth', '--no-notices', '--quiet', ...context, '--output', outdir], projectRoot, options.signal);
  await writeStamp(outdir, sources);
  const templates = (await readdir(outdir)).filter((name) => name.endsWith('.template.json')).sort();
  return { outdir, templates };
}

function run(command: string, args: string[], cwd: string, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(signal !== undefined ? { signal } : {}) });
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

/** What synthesis starts with: the count is the app's, known only once it has run. */
export const SYNTHESIZING = "Synthesizing the CDK app's stacks and bundling the handlers...";

/** e.g. `5 stacks (TheDynamoFlowStack, ...)`, counted from the templates the app wrote. */
export function describeStacks(result: SynthResult): string {
  const names = result.templates.map((template) => template.replace(/\.template\.json$/, ''));
  return `${names.length} stack${names.length === 1 ? '' : 's'} (${names.join(', ')})`;
}

/** CDK's progress lines (one per bundled handler) would push the error itself out of sight. */
export function withoutProgress(log: string): string {
  return log.split('\n').filter((line) => !/^Bundling asset \S+\.\.\.$/.test(line)).join('\n');
}
