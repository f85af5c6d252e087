import type { AssemblyStack, CfnTemplate } from '../../../src/cloud/template/assembly.ts';
import { buildCloudModel } from '../../../src/cloud/template/model.ts';
import type { TemplateCloudModel } from '../../../src/cloud/template/model.ts';

export const ENDPOINT = 'http://127.0.0.1:4566';

export function stack(stackName: string, template: CfnTemplate, dependencies: string[] = []): AssemblyStack {
  return { stackName, artifactId: stackName, template, dependencies, assemblyDir: '/assembly' };
}

export function model(...stacks: AssemblyStack[]): TemplateCloudModel {
  return buildCloudModel(stacks, { endpointUrl: ENDPOINT });
}
