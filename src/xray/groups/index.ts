// X-Ray groups: named filter expressions, their rules, and where they are kept.
export { DEFAULT_GROUP, GroupRequestError, Groups, MAX_GROUP_NAME_LENGTH } from './groups.ts';
export type { Group, GroupChanges, GroupRef, GroupsOptions } from './groups.ts';
export { MemoryGroupStorage } from './memory-groups.ts';
export { SqliteGroupStorage } from './sqlite-groups.ts';
export { DuplicateGroupError } from './types.ts';
export type { GroupRecord, GroupStorage } from './types.ts';
