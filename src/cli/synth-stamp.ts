/**
 * Whether cdk.out is what `cdk synth` would write now: a stamp saved next to the templates names the
 * sources they were synthesized from (the pattern's files, the project's manifests and the variables
 * CDK reads for the environment) and the templates it wrote. `up` synthesizes again only when either
 * differs, so a restart without changes starts in seconds.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assemblyFingerprint } from './watch/assembly-fingerprint.ts';

export const STAMP_FILE = 'xray-tracer-sources.json';
const PATTERN_DIR = path.join('src', 'pattern');
const MANIFESTS = ['cdk.json', 'package.json', 'package-lock.json', 'tsconfig.json'];
/** What the CDK CLI and the app read to choose the stacks' account and region. */
const ENVIRONMENT = ['CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE'];

interface Stamp {
  readonly sources: string;
  readonly templates: string;
  /** ISO time of the synthesis. */
  readonly synthesizedAt: string;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && !path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).some((part) => part.startsWith('.')))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

export async function sourcesFingerprint(projectRoot: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const hash = createHash('sha256');
  const files = [...(await filesUnder(path.join(projectRoot, PATTERN_DIR))), ...MANIFESTS.map((name) => path.join(projectRoot, name))];
  for (const file of files) {
    hash.update(`${path.relative(projectRoot, file)}\0`);
    try {
      hash.update(await readFile(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      hash.update('(missing)');
    }
    hash.update('\0');
  }
  for (const name of ENVIRONMENT) hash.update(`${name}=${env[name] ?? ''}\0`);
  return hash.digest('hex');
}

/**
 * Before a synthesis: removes cdk.out's stamp, so a synthesis that fails or is stopped half-way claims
 * nothing, and fingerprints the sources as the synthesis will read them. A file saved while it runs
 * then leaves the stamp out of date, and the next start synthesizes again.
 */
export async function startStamp(projectRoot: string, outdir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  await rm(path.join(outdir, STAMP_FILE), { force: true });
  return sourcesFingerprint(projectRoot, env);
}

/** After a synthesis: saves the sources it started from and the templates it wrote. */
export async function writeStamp(outdir: string, sources: string, now = new Date()): Promise<void> {
  const stamp: Stamp = { sources, templates: await assemblyFingerprint(outdir), synthesizedAt: now.toISOString() };
  await writeFile(path.join(outdir, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
}

/** When cdk.out holds what the sources give now: the time it was synthesized; otherwise undefined. */
export async function upToDateSince(projectRoot: string, outdir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  let stamp: Partial<Stamp>;
  try {
    stamp = JSON.parse(await readFile(path.join(outdir, STAMP_FILE), 'utf8')) as Partial<Stamp>;
  } catch {
    return undefined;
  }
  if (stamp.sources !== (await sourcesFingerprint(projectRoot, env))) return undefined;
  try {
    if (stamp.templates !== (await assemblyFingerprint(outdir))) return undefined;
  } catch {
    return undefined;
  }
  return stamp.synthesizedAt;
}
