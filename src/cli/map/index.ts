// `xray-tracer map`: the service graph of a time range, as node and edge tables.
export { formatJson, formatMap, rate } from './format.ts';
export type { ServiceGraph } from './format.ts';
export { DEFAULT_MAP_SINCE, planMap } from './options.ts';
export type { MapFlags, MapPlan } from './options.ts';
export { runMap } from './run-map.ts';
