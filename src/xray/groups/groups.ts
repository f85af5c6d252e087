/**
 * X-Ray groups: named filter expressions. A trace is in a group when the group's filter matches
 * it; GetTraceSummaries and the service graph can be scoped to a group, and `group.name = "g"`
 * inside a filter tests membership.
 *
 * Rules, as the X-Ray API reference states them (where it is silent, what we chose):
 * - Names are case-sensitive, 1 to 32 letters, digits, `-` and `_`, and unique.
 * - `Default` is reserved: it always exists, holds every trace (no filter), and cannot be
 *   created, deleted or given a filter; only its insights settings can change.
 * - A filter must parse (the parse error, with its column, is the answer otherwise) and cannot
 *   itself test group membership, which would make membership circular.
 * - Insights notifications need insights enabled.
 * - ARNs are `arn:aws:xray:<region>:<account>:group/<name>/<id>` (Default: `.../group/Default`),
 *   the id random and fixed at creation.
 */
import { randomBytes } from 'node:crypto';
import { FilterParseError, parse, UnsupportedFilterError, type Expression } from '../query/index.ts';
import { containsGroupTest, NEVER } from '../store/filter-plan.ts';
import type { GroupDefinition } from '../store/types.ts';
import { DuplicateGroupError, type GroupRecord, type GroupStorage } from './types.ts';

export const DEFAULT_GROUP = 'Default';
export const MAX_GROUP_NAME_LENGTH = 32;
const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/** A request about groups that cannot be carried out; the API answers InvalidRequestException. */
export class GroupRequestError extends Error {
  override readonly name = 'GroupRequestError';
}

export interface Group extends GroupRecord {
  /** The parsed filter; undefined for a group of every trace. */
  readonly filter: Expression | undefined;
  /**
   * Why the stored filter cannot be used, when it cannot: kept by an older version whose filter
   * language had fewer limits. Reads scoped to the group are refused naming this; the group can
   * still be read, updated and deleted.
   */
  readonly filterProblem?: string | undefined;
}

/** Which group a request means: by name, by ARN, or both (then they must agree). */
export interface GroupRef {
  readonly name?: string | undefined;
  readonly arn?: string | undefined;
}

export interface GroupChanges {
  readonly filterExpression?: string | undefined;
  readonly insightsEnabled?: boolean | undefined;
  readonly notificationsEnabled?: boolean | undefined;
}

export interface GroupsOptions {
  readonly storage: GroupStorage;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly accountId?: string;
  /** The last part of a new group's ARN. @default 32 random base32 characters */
  readonly newId?: () => string;
}

export class Groups {
  private readonly storage: GroupStorage;
  private readonly arnPrefix: string;
  private readonly newId: () => string;
  /** Parsed filters by their text: the same text always gives the same tree. */
  private readonly parsed = new Map<string, Expression>();

  constructor(options: GroupsOptions) {
    this.storage = options.storage;
    this.arnPrefix = `arn:aws:xray:${options.region ?? 'us-east-1'}:${options.accountId ?? '000000000000'}:group/`;
    this.newId = options.newId ?? randomId;
  }

  /** Default first, then the others by name. */
  list(): Group[] {
    const stored = this.storage.list();
    const others = stored.filter((g) => g.name !== DEFAULT_GROUP).map((g) => this.withFilter(g));
    return [this.defaultGroup(stored.find((g) => g.name === DEFAULT_GROUP)), ...others];
  }

  /** What queries need to resolve `group.name` and `group.arn`. */
  definitions(): GroupDefinition[] {
    return this.list().map(({ name, arn, filter, filterProblem }) => ({ name, arn, filter, ...(filterProblem === undefined ? {} : { problem: filterProblem }) }));
  }

  /** The filter of the group a read is scoped to (undefined: every trace); refused when it cannot be used. */
  scope(ref: GroupRef): Expression | undefined {
    const group = this.get(ref);
    if (group.filterProblem !== undefined) throw new GroupRequestError(group.filterProblem);
    return group.filter;
  }

  get(ref: GroupRef): Group {
    if (ref.name === undefined && ref.arn === undefined) throw new GroupRequestError('GroupName or GroupARN is required');
    const byName = ref.name === undefined ? undefined : this.byName(ref.name);
    const byArn = ref.arn === undefined ? undefined : this.list().find((g) => g.arn === ref.arn);
    if (ref.name !== undefined && byName === undefined) throw new GroupRequestError(`there is no group named ${JSON.stringify(ref.name)}`);
    if (ref.arn !== undefined && byArn === undefined) throw new GroupRequestError(`there is no group with GroupARN ${JSON.stringify(ref.arn)}`);
    if (byName !== undefined && byArn !== undefined && byName.name !== byArn.name) {
      throw new GroupRequestError(`GroupName ${JSON.stringify(ref.name)} and GroupARN ${JSON.stringify(ref.arn)} name different groups`);
    }
    return (byName ?? byArn)!;
  }

  create(name: string, changes: GroupChanges = {}): Group {
    checkName(name);
    if (name === DEFAULT_GROUP) throw new GroupRequestError('GroupName "Default" is reserved: the Default group always exists');
    if (this.storage.get(name) !== undefined) throw new GroupRequestError(`a group named ${JSON.stringify(name)} already exists`);
    const record: GroupRecord = {
      name,
      arn: `${this.arnPrefix}${name}/${this.newId()}`,
      filterExpression: changes.filterExpression,
      insightsEnabled: changes.insightsEnabled ?? false,
      notificationsEnabled: changes.notificationsEnabled ?? false,
    };
    const group = this.checked(record);
    try {
      this.storage.insert(record);
    } catch (error) {
      if (error instanceof DuplicateGroupError) throw new GroupRequestError(error.message);
      throw error;
    }
    return group;
  }

  /** Changes what `changes` names; the rest stays. */
  update(ref: GroupRef, changes: GroupChanges): Group {
    const current = this.get(ref);
    if (current.name === DEFAULT_GROUP && changes.filterExpression !== undefined) {
      throw new GroupRequestError('the Default group holds every trace and cannot be given a FilterExpression');
    }
    const record: GroupRecord = {
      name: current.name,
      arn: current.arn,
      filterExpression: changes.filterExpression ?? current.filterExpression,
      insightsEnabled: changes.insightsEnabled ?? current.insightsEnabled,
      notificationsEnabled: changes.notificationsEnabled ?? current.notificationsEnabled,
    };
    const group = this.checked(record);
    if (!this.storage.replace(record)) {
      if (current.name !== DEFAULT_GROUP) throw new GroupRequestError(`there is no group named ${JSON.stringify(current.name)}`);
      this.storage.insert(record);
    }
    return group;
  }

  delete(ref: GroupRef): void {
    const current = this.get(ref);
    if (current.name === DEFAULT_GROUP) throw new GroupRequestError('the Default group cannot be deleted');
    if (!this.storage.delete(current.name)) throw new GroupRequestError(`there is no group named ${JSON.stringify(current.name)}`);
  }

  close(): void {
    this.storage.close();
  }

  private byName(name: string): Group | undefined {
    if (name === DEFAULT_GROUP) return this.defaultGroup(this.storage.get(DEFAULT_GROUP));
    const record = this.storage.get(name);
    return record === undefined ? undefined : this.withFilter(record);
  }

  private defaultGroup(stored: GroupRecord | undefined): Group {
    return {
      name: DEFAULT_GROUP,
      arn: `${this.arnPrefix}${DEFAULT_GROUP}`,
      filterExpression: undefined,
      filter: undefined,
      insightsEnabled: stored?.insightsEnabled ?? false,
      notificationsEnabled: stored?.notificationsEnabled ?? false,
    };
  }

  /** The record with its filter parsed, or the error that makes it unacceptable. */
  private checked(record: GroupRecord): Group {
    if (record.notificationsEnabled && !record.insightsEnabled) {
      throw new GroupRequestError('InsightsConfiguration: NotificationsEnabled needs InsightsEnabled');
    }
    let filter: Expression | undefined;
    if (record.filterExpression !== undefined) {
      try {
        filter = parse(record.filterExpression);
      } catch (error) {
        if (error instanceof FilterParseError || error instanceof UnsupportedFilterError) {
          throw new GroupRequestError(`FilterExpression: ${error.message}`);
        }
        throw error;
      }
      if (containsGroupTest(filter)) {
        throw new GroupRequestError("FilterExpression: a group's filter cannot test group membership (group.name, group.arn)");
      }
      this.parsed.set(record.filterExpression, filter);
    }
    return { ...record, filter };
  }

  private withFilter(record: GroupRecord): Group {
    const text = record.filterExpression;
    if (text === undefined) return { ...record, filter: undefined };
    let filter = this.parsed.get(text);
    if (filter === undefined) {
      try {
        filter = parse(text);
      } catch (error) {
        if (!(error instanceof FilterParseError || error instanceof UnsupportedFilterError)) throw error;
        // Matches nothing should anything read it unchecked; every scoped read is refused first.
        const filterProblem = `group ${JSON.stringify(record.name)} cannot be used: its FilterExpression, kept from an older version, ` +
          `is not valid now (${error.message}); give it a valid one with UpdateGroup, or delete it`;
        return { ...record, filter: NEVER, filterProblem };
      }
      this.parsed.set(text, filter);
    }
    return { ...record, filter };
  }
}

function checkName(name: string): void {
  if (name.length < 1 || name.length > MAX_GROUP_NAME_LENGTH) {
    throw new GroupRequestError(`GroupName must be 1 to ${MAX_GROUP_NAME_LENGTH} characters long, got ${name.length}`);
  }
  if (!NAME_PATTERN.test(name)) {
    throw new GroupRequestError(`GroupName ${JSON.stringify(name)} may contain only letters, digits, "-" and "_"`);
  }
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomId(): string {
  return [...randomBytes(32)].map((byte) => BASE32[byte % 32]).join('');
}
