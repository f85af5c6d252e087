export { readCloudModel } from './reader.ts';
export type { ReadCloudModelOptions } from './reader.ts';
export { buildCloudModel } from './model.ts';
export type { CloudModelOptions, TemplateCloudModel, TemplateResource } from './model.ts';
export { readCloudAssembly, orderStacks, AssemblyError } from './assembly.ts';
export type { AssemblyStack, CfnTemplate } from './assembly.ts';
export { RESOURCE_SUPPORT, isKnownType, supportReport, describeNotRun, describeRunning } from './support.ts';
export type { NotRun, SupportLevel, SupportReport, TypeSupport } from './support.ts';
