import { readCloudAssembly } from './assembly.ts';
import { buildCloudModel } from './model.ts';
import type { CloudModelOptions, TemplateCloudModel } from './model.ts';

export interface ReadCloudModelOptions extends CloudModelOptions {
  /** The cloud assembly folder `npm run synth` writes. @default 'cdk.out' */
  readonly assemblyDir?: string;
}

/** Reads cdk.out (manifest and templates) and resolves it into the model the local cloud runs. */
export async function readCloudModel(options: ReadCloudModelOptions): Promise<TemplateCloudModel> {
  const stacks = await readCloudAssembly(options.assemblyDir ?? 'cdk.out');
  return buildCloudModel(stacks, options);
}
