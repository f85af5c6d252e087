export { LambdaService } from './service.ts';
export type { LambdaServiceOptions } from './service.ts';
export { lambdaFunctionsFromModel } from './functions.ts';
export type { LambdaFunctionConfig, FunctionSource } from './functions.ts';
export { consoleLogger } from '../core/runtime.ts';
export type { Logger } from '../core/runtime.ts';
export type { InvocationDone } from './attempt.ts';
