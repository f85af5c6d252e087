/**
 * Tags on X-Ray groups and sampling rules, by ARN, with AWS's limits (TagResource's reference):
 * at most 50 tags a resource, keys 1 to 128 and values 0 to 256 characters of letters, digits,
 * spaces and `_ . : / = + - @`, case-sensitive, and the `aws:` prefix reserved for AWS (neither set
 * nor removed by a caller). A resource's tags go with it when it is deleted.
 */
import type { SettingsStore } from '../settings/index.ts';

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
const RESERVED_PREFIX = 'aws:';
/** "Unicode letters, numbers, or separators" and the listed punctuation (Tag's reference). */
const TAG_TEXT = /^[\p{L}\p{N}\p{Z}_.:/=+\-@]*$/u;

/** A tag the caller may not set: the API answers InvalidRequestException. */
export class TagRequestError extends Error {
  override readonly name = 'TagRequestError';
}

/** More than 50 tags on one resource: TooManyTagsException. */
export class TooManyTagsError extends Error {
  override readonly name = 'TooManyTagsError';
}

/** No group or sampling rule has the ARN: ResourceNotFoundException. */
export class UnknownResourceError extends Error {
  override readonly name = 'UnknownResourceError';
}

export interface ResourceTagsOptions {
  readonly settings: SettingsStore;
  /** Whether a group or sampling rule has this ARN now. */
  readonly exists: (arn: string) => boolean;
}

const PREFIX = 'tags/';

export class ResourceTags {
  constructor(private readonly options: ResourceTagsOptions) {}

  /** The resource's tags in the order they were first set. */
  list(arn: string): Tag[] {
    this.mustExist(arn);
    return this.stored(arn);
  }

  /** Adds or overwrites tags; the resource then has at most 50. */
  tag(arn: string, tags: ReadonlyArray<Tag>): void {
    this.mustExist(arn);
    this.set(arn, tags);
  }

  /** Removes tags by key; keys the resource does not have are ignored, as AWS does. */
  untag(arn: string, keys: ReadonlyArray<string>): void {
    this.mustExist(arn);
    keys.forEach((key, index) => checkKey(key, `TagKeys[${index}]`));
    const remove = new Set(keys);
    this.save(arn, this.stored(arn).filter((tag) => !remove.has(tag.key)));
  }

  /** The tags a create operation was given, for a resource it just made. */
  set(arn: string, tags: ReadonlyArray<Tag>): void {
    checkTags(tags);
    const merged = new Map(this.stored(arn).map((tag) => [tag.key, tag.value]));
    for (const tag of tags) merged.set(tag.key, tag.value);
    if (merged.size > MAX_TAGS_PER_RESOURCE) {
      throw new TooManyTagsError(`a resource can have at most ${MAX_TAGS_PER_RESOURCE} tags; this would give it ${merged.size}`);
    }
    this.save(arn, [...merged].map(([key, value]) => ({ key, value })));
  }

  /** Drops the tags of a deleted resource. */
  forget(arn: string): void {
    this.options.settings.delete(PREFIX + arn);
  }

  private mustExist(arn: string): void {
    if (!this.options.exists(arn)) throw new UnknownResourceError(`no X-Ray group or sampling rule has the ARN ${JSON.stringify(arn)}`);
  }

  private stored(arn: string): Tag[] {
    return (this.options.settings.get(PREFIX + arn) as Tag[] | undefined) ?? [];
  }

  private save(arn: string, tags: Tag[]): void {
    if (tags.length === 0) this.options.settings.delete(PREFIX + arn);
    else this.options.settings.put(PREFIX + arn, tags);
  }
}

/** Checks tags before a resource is made, so that a create with bad tags makes nothing. */
export function checkTags(tags: ReadonlyArray<Tag>): void {
  tags.forEach((tag, index) => {
    checkKey(tag.key, `Tags[${index}].Key`);
    if (tag.value.length > MAX_TAG_VALUE_LENGTH) {
      throw new TagRequestError(`Tags[${index}].Value must be at most ${MAX_TAG_VALUE_LENGTH} characters long, got ${tag.value.length}`);
    }
    if (!TAG_TEXT.test(tag.value)) {
      throw new TagRequestError(`Tags[${index}].Value may contain only letters, digits, spaces and _ . : / = + - @`);
    }
  });
  if (new Set(tags.map((tag) => tag.key)).size > MAX_TAGS_PER_RESOURCE) {
    throw new TooManyTagsError(`a resource can have at most ${MAX_TAGS_PER_RESOURCE} tags; the request has ${tags.length}`);
  }
}

function checkKey(key: string, where: string): void {
  if (key.length < 1 || key.length > MAX_TAG_KEY_LENGTH) throw new TagRequestError(`${where} must be 1 to ${MAX_TAG_KEY_LENGTH} characters long, got ${key.length}`);
  if (!TAG_TEXT.test(key)) throw new TagRequestError(`${where} may contain only letters, digits, spaces and _ . : / = + - @`);
  if (key.toLowerCase().startsWith(RESERVED_PREFIX)) throw new TagRequestError(`${where}: the prefix "aws:" is reserved for AWS`);
}
