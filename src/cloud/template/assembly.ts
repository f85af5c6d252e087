import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isRecord } from '../../common/is-record.ts';

/** One CloudFormation stack of a cloud assembly (cdk.out), its template parsed. */
export interface AssemblyStack {
  readonly stackName: string;
  readonly artifactId: string;
  readonly template: CfnTemplate;
  /** Names of the stacks this one depends on (other artifacts, such as asset manifests, are left out). */
  readonly dependencies: readonly string[];
  /** The assembly directory; `aws:asset:path` metadata is relative to it. */
  readonly assemblyDir: string;
  /** File assets of the assembly's asset manifests: asset hash -> folder or file, relative to assemblyDir. */
  readonly fileAssets?: ReadonlyMap<string, string>;
}

/** The parts of a CloudFormation template the reader uses. */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, CfnResource>>;
  readonly Parameters?: Readonly<Record<string, { readonly Type?: string; readonly Default?: unknown }>>;
  readonly Conditions?: Readonly<Record<string, unknown>>;
  readonly Mappings?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly Outputs?: Readonly<Record<string, CfnOutput>>;
  readonly Transform?: unknown;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly Condition?: string;
  readonly DependsOn?: string | readonly string[];
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

export interface CfnOutput {
  readonly Value: unknown;
  readonly Export?: { readonly Name: unknown };
  readonly Condition?: string;
}

export class AssemblyError extends Error {
  override readonly name = 'AssemblyError';
}

interface ManifestArtifact {
  readonly type?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly file?: string };
  readonly dependencies?: readonly string[];
  readonly displayName?: string;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AssemblyError(`cannot read ${what} ${path}: ${(error as Error).message}` +
      (what === 'manifest' ? ' (run `npm run synth` first)' : ''));
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AssemblyError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Checks a parsed template's shape enough that the reader can walk it. */
export function asTemplate(value: unknown, where: string): CfnTemplate {
  if (!isRecord(value)) throw new AssemblyError(`template ${where} is not a JSON object`);
  const resources = value['Resources'];
  if (resources !== undefined) {
    if (!isRecord(resources)) throw new AssemblyError(`template ${where}: Resources is not an object`);
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (!isRecord(resource) || typeof resource['Type'] !== 'string') {
        throw new AssemblyError(`template ${where}: resource ${logicalId} has no Type`);
      }
    }
  }
  return value as CfnTemplate;
}

/** Orders stacks so that each comes after the stacks it depends on; fails on a cycle or unknown stack. */
export function orderStacks<T extends { readonly stackName: string; readonly dependencies: readonly string[] }>(stacks: readonly T[]): T[] {
  const byName = new Map(stacks.map((stack) => [stack.stackName, stack]));
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (stack: T, path: readonly string[]): void => {
    const seen = state.get(stack.stackName);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new AssemblyError(`stack dependency cycle: ${[...path, stack.stackName].join(' -> ')}`);
    state.set(stack.stackName, 'visiting');
    for (const name of stack.dependencies) {
      const dependency = byName.get(name);
      if (!dependency) throw new AssemblyError(`stack ${stack.stackName} depends on unknown stack ${name}`);
      visit(dependency, [...path, stack.stackName]);
    }
    state.set(stack.stackName, 'done');
    ordered.push(stack);
  };
  for (const stack of stacks) visit(stack, []);
  return ordered;
}

/** Reads `manifest.json` of a cloud assembly and the templates of its stacks, in dependency order. */
export async function readCloudAssembly(assemblyDir: string): Promise<AssemblyStack[]> {
  const dir = resolve(assemblyDir);
  const manifestPath = join(dir, 'manifest.json');
  const manifest = await readJson(manifestPath, 'manifest');
  if (!isRecord(manifest) || !isRecord(manifest['artifacts'])) {
    throw new AssemblyError(`manifest ${manifestPath} has no artifacts`);
  }
  const artifacts = manifest['artifacts'] as Record<string, ManifestArtifact>;
  const stackArtifacts = Object.entries(artifacts).filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
  const nameOfArtifact = new Map(stackArtifacts.map(([id, artifact]) => [id, artifact.properties?.stackName ?? id]));
  const fileAssets = await readFileAssets(dir, Object.values(artifacts));
  const stacks: AssemblyStack[] = [];
  for (const [artifactId, artifact] of stackArtifacts) {
    const templateFile = artifact.properties?.templateFile;
    if (typeof templateFile !== 'string') throw new AssemblyError(`stack artifact ${artifactId} has no templateFile`);
    const templatePath = join(dir, templateFile);
    stacks.push({
      stackName: nameOfArtifact.get(artifactId) ?? artifactId,
      artifactId,
      template: asTemplate(await readJson(templatePath, 'template'), templatePath),
      dependencies: (artifact.dependencies ?? []).flatMap((id) => {
        const name = nameOfArtifact.get(id);
        return name === undefined ? [] : [name];
      }),
      assemblyDir: dir,
      fileAssets,
    });
  }
  if (stacks.length === 0) throw new AssemblyError(`manifest ${manifestPath} lists no CloudFormation stacks`);
  return orderStacks(stacks);
}

/** Where each file asset was staged, from the `cdk:asset-manifest` artifacts (`<Stack>.assets.json`). */
async function readFileAssets(dir: string, artifacts: readonly ManifestArtifact[]): Promise<Map<string, string>> {
  const assets = new Map<string, string>();
  for (const artifact of artifacts) {
    const file = artifact.properties?.file;
    if (artifact.type !== 'cdk:asset-manifest' || typeof file !== 'string') continue;
    const manifest = await readJson(join(dir, file), 'asset manifest');
    const files = isRecord(manifest) && isRecord(manifest['files']) ? manifest['files'] : {};
    for (const [hash, entry] of Object.entries(files)) {
      const source = isRecord(entry) && isRecord(entry['source']) ? entry['source'] : {};
      if (typeof source['path'] === 'string') assets.set(hash, source['path']);
    }
  }
  return assets;
}
