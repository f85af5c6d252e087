/** Groups in memory: the same contract as `SqliteGroupStorage`, for tests. Nothing survives the process. */
import { DuplicateGroupError, type GroupRecord, type GroupStorage } from './types.ts';

export class MemoryGroupStorage implements GroupStorage {
  private readonly groups = new Map<string, GroupRecord>();

  list(): GroupRecord[] {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): GroupRecord | undefined {
    return this.groups.get(name);
  }

  insert(group: GroupRecord): void {
    if (this.groups.has(group.name)) throw new DuplicateGroupError(`a group named ${JSON.stringify(group.name)} already exists`);
    if ([...this.groups.values()].some((g) => g.arn === group.arn)) throw new DuplicateGroupError(`a group with ARN ${group.arn} already exists`);
    this.groups.set(group.name, { ...group });
  }

  replace(group: GroupRecord): boolean {
    if (!this.groups.has(group.name)) return false;
    this.groups.set(group.name, { ...group });
    return true;
  }

  delete(name: string): boolean {
    return this.groups.delete(name);
  }

  close(): void {
    this.groups.clear();
  }
}
