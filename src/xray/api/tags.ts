/**
 * TagResource (`POST /TagResource`), UntagResource (`POST /UntagResource`) and ListTagsForResource
 * (`POST /ListTagsForResource`) for groups and sampling rules, in AWS's shapes and exceptions:
 * InvalidRequestException, TooManyTagsException and ResourceNotFoundException (404), the last two
 * naming the resource in ResourceName.
 */
import { ApiError, invalidRequest, resourceNotFound } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { describe, optionalString, requiredArray, requiredString, requiredStringArray } from '../http/json-fields.ts';
import type { Router } from '../http/router.ts';
import { TagRequestError, TooManyTagsError, UnknownResourceError, type ResourceTags, type Tag } from '../tags/tags.ts';
import { isRecord } from '../model/json.ts';

const MAX_ARN_LENGTH = 1011;
const MAX_TAGS_PER_REQUEST = 200;

/** The Tags of TagResource, CreateGroup and CreateSamplingRule; undefined when absent. */
export function tagsFrom(body: JsonObject, required = false): Tag[] | undefined {
  if (!required && (body.Tags === undefined || body.Tags === null)) return undefined;
  const items = requiredArray(body, 'Tags', { max: MAX_TAGS_PER_REQUEST });
  return items.map((item, index) => {
    if (!isRecord(item)) throw invalidRequest(`Tags[${index}] must be an object, got ${describe(item)}`);
    const tag = item as JsonObject;
    for (const field of ['Key', 'Value']) {
      if (typeof tag[field] !== 'string') throw invalidRequest(`Tags[${index}].${field} must be a string, got ${describe(tag[field])}`);
    }
    return { key: tag.Key as string, value: tag.Value as string };
  });
}

export function tagJson(tag: Tag): { Key: string; Value: string } {
  return { Key: tag.key, Value: tag.value };
}

/** Runs a tag action, answering its refusals in AWS's exceptions; `arn` names the resource. */
export function withTags<T>(arn: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof TagRequestError) throw invalidRequest(error.message);
    if (error instanceof TooManyTagsError) throw new ApiError(400, 'TooManyTagsException', error.message, {}, { ResourceName: arn });
    if (error instanceof UnknownResourceError) throw resourceNotFound(error.message, arn);
    throw error;
  }
}

function resourceArn(body: JsonObject): string {
  const arn = requiredString(body, 'ResourceARN');
  if (arn.length > MAX_ARN_LENGTH) throw invalidRequest(`ResourceARN must be 1 to ${MAX_ARN_LENGTH} characters long, got ${arn.length}`);
  return arn;
}

export function addTagRoutes(router: Router, tags: ResourceTags): Router {
  return router
    .postJson('/TagResource', (body) => {
      const arn = resourceArn(body);
      const given = tagsFrom(body, true)!;
      withTags(arn, () => tags.tag(arn, given));
      return {};
    })
    .postJson('/UntagResource', (body) => {
      const arn = resourceArn(body);
      const keys = requiredStringArray(body, 'TagKeys', { max: MAX_TAGS_PER_REQUEST });
      withTags(arn, () => tags.untag(arn, keys));
      return {};
    })
    .postJson('/ListTagsForResource', (body) => {
      const arn = resourceArn(body);
      const nextToken = optionalString(body, 'NextToken');
      // A resource's 50 tags fit one answer, so no token is ever issued.
      if (nextToken !== undefined) throw invalidRequest(`NextToken ${describe(nextToken)} was not issued by this service`);
      return { Tags: withTags(arn, () => tags.list(arn)).map(tagJson) };
    });
}
