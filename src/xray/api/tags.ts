/**
 * The Tags a create operation (CreateGroup, CreateSamplingRule) takes: checked for shape and not
 * kept, as nothing here reads them back.
 */
import { invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { describe } from '../http/json-fields.ts';

const MAX_TAGS = 200;

export function checkTags(body: JsonObject): void {
  const tags = body.Tags;
  if (tags === undefined || tags === null) return;
  if (!Array.isArray(tags)) throw invalidRequest(`Tags must be an array, got ${describe(tags)}`);
  if (tags.length > MAX_TAGS) throw invalidRequest(`Tags must have at most ${MAX_TAGS} items, got ${tags.length}`);
  tags.forEach((tag: unknown, index) => {
    if (typeof tag !== 'object' || tag === null || Array.isArray(tag)) throw invalidRequest(`Tags[${index}] must be an object, got ${describe(tag)}`);
    for (const field of ['Key', 'Value']) {
      if (typeof (tag as JsonObject)[field] !== 'string') {
        throw invalidRequest(`Tags[${index}].${field} must be a string, got ${describe((tag as JsonObject)[field])}`);
      }
    }
  });
}
