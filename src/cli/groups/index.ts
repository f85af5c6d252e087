// `xray-tracer groups`: list, create, update and delete X-Ray groups through the X-Ray API.
export { formatChanged, formatDeleted, formatGroups } from './format.ts';
export { runGroups } from './run-groups.ts';
export type { GroupsAction, GroupsFlags } from './run-groups.ts';
