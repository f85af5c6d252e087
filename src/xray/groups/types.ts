/**
 * The storage contract of X-Ray groups. `Groups` (groups.ts) holds the rules (names, the reserved
 * Default group, filter checks, ARNs) and keeps its records through this interface;
 * `SqliteGroupStorage` and `MemoryGroupStorage` implement it and one conformance suite runs
 * against both.
 */

/** A group as stored. The Default group is stored only once its insights settings change. */
export interface GroupRecord {
  /** Case-sensitive and unique. */
  readonly name: string;
  readonly arn: string;
  /** As the user wrote it; undefined for a group of every trace (Default). */
  readonly filterExpression: string | undefined;
  readonly insightsEnabled: boolean;
  readonly notificationsEnabled: boolean;
}

export interface GroupStorage {
  /** Every stored group, ordered by name (code unit order). */
  list(): GroupRecord[];
  /** Undefined when there is none of that name. */
  get(name: string): GroupRecord | undefined;
  /** Adds a group; throws `DuplicateGroupError` when the name or the ARN is taken. Durable when it returns. */
  insert(group: GroupRecord): void;
  /** Replaces the group of that name; returns false (and changes nothing) when there is none. */
  replace(group: GroupRecord): boolean;
  /** Returns false when there was none of that name. */
  delete(name: string): boolean;
  close(): void;
}

export class DuplicateGroupError extends Error {
  override readonly name = 'DuplicateGroupError';
}
