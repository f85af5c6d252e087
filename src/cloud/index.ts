export { startLocalCloud, defaultEnvironmentsPerFunction, DEFAULT_DATA_DIR, FUNCTION_LOG_FILE } from './local-cloud.ts';
export type { CloudLogger, LocalCloud, LocalCloudOptions } from './local-cloud.ts';
export type * from './core/types.ts';
export { lambdaFunctionsFromModel } from './lambda/functions.ts';
export { newSamplingClientId } from './sampling/centralized-sampler.ts';
