export { startLocalCloud, defaultEnvironmentsPerFunction, DEFAULT_DATA_DIR, FUNCTION_LOG_FILE } from './local-cloud.ts';
export type { LocalCloud, LocalCloudOptions } from './local-cloud.ts';
/** The cloud's one logger interface (core/runtime.ts), as the CLI names it. */
export type { Logger as CloudLogger } from './core/runtime.ts';
export type * from './core/types.ts';
export { lambdaFunctionsFromModel } from './lambda/functions.ts';
export { newSamplingClientId } from './sampling/centralized-sampler.ts';
export { describeEndpoints, ENDPOINTS_FILE } from './http-api/endpoints-file.ts';
export type { EndpointRecord } from './http-api/endpoints-file.ts';
