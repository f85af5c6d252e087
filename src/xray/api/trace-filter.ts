/**
 * The filter of a GetTraceSummaries request: its FilterExpression, parsed (a parse error is an
 * InvalidRequestException with the message and column), and, as a local extension of the API,
 * the group named by GroupName or GroupARN, whose filter then applies too. A blank
 * FilterExpression means no filter, as in the console.
 */
import type { Groups } from '../groups/index.ts';
import { invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { optionalString } from '../http/json-fields.ts';
import { FilterParseError, parse, UnsupportedFilterError, type Expression } from '../query/index.ts';
import { containsGroupTest } from '../store/filter-plan.ts';
import type { SummaryQuery } from '../store/types.ts';
import { groupRef, withGroups } from './groups.ts';

export function parseFilterExpression(text: string): Expression {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof FilterParseError || error instanceof UnsupportedFilterError) throw invalidRequest(`FilterExpression: ${error.message}`);
    throw error;
  }
}

/** The `filter` and `groups` members of the store query for a request body. */
export function summaryFilter(body: JsonObject, groups: Groups | undefined): Pick<SummaryQuery, 'filter' | 'groups'> {
  const text = optionalString(body, 'FilterExpression');
  const requested = text === undefined || text.trim() === '' ? undefined : parseFilterExpression(text);
  const ref = groupRef(body);
  let scope: Expression | undefined;
  if (ref.name !== undefined || ref.arn !== undefined) {
    if (groups === undefined) throw invalidRequest('this service keeps no groups, so GroupName and GroupARN cannot be used');
    scope = withGroups(() => groups.scope(ref));
  }
  const filter: Expression | undefined = scope === undefined ? requested
    : requested === undefined ? scope
    : { kind: 'and', operands: [scope, requested] };
  if (filter === undefined) return {};
  // Groups only when the filter tests membership, so a cursor outlives changes to other groups.
  return { filter, groups: containsGroupTest(filter) ? (groups?.definitions() ?? []) : undefined };
}
