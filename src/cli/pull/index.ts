// `xray-tracer pull`: traces copied from AWS X-Ray (or another X-Ray API) into the local service.
export { planPull, DEFAULT_PULL_LIMIT } from './options.ts';
export type { PullFlags, PullPlan } from './options.ts';
export { runPull } from './run-pull.ts';
export { splitDocument } from './split-document.ts';
