export { buildApp, stackEnvironment, STACK_NAMES } from './build-app.ts';
export type { BuildAppOptions, PatternApp } from './build-app.ts';
export { DEFAULT_TARGET_URL } from './http-flow-stack.ts';
export type { HandlerName } from './traced-function.ts';
