/**
 * What both stores do with a query's filter before reading: `group.name = "g"` and
 * `group.arn = "..."` resolved into the groups' own filters. A trace is in a group when the
 * group's filter matches it, so the test is that filter (Default, which has none, holds for every
 * trace; a group that does not exist holds for none). What is left has no group test, and means
 * the same as before for every trace.
 */
import type { And, Expression, Or } from '../query/index.ts';
import { InvalidQueryError } from './query.ts';
import type { GroupDefinition, SummaryQuery } from './types.ts';

/** The empty AND: true for every trace (the evaluator and the SQL compiler both read it so). */
export const ALWAYS: And = { kind: 'and', operands: [] };
/** The empty OR: true for no trace. */
export const NEVER: Or = { kind: 'or', operands: [] };

export function expandGroups(expression: Expression, groups: ReadonlyArray<GroupDefinition>): Expression {
  switch (expression.kind) {
    case 'group': {
      const group = groups.find((g) => (expression.field === 'name' ? g.name : g.arn) === expression.value);
      if (group?.problem !== undefined) throw new InvalidQueryError(group.problem);
      const member = group === undefined ? NEVER : (group.filter ?? ALWAYS);
      return expression.operator === '=' ? member : { kind: 'not', operand: member };
    }
    case 'and':
    case 'or':
      return { kind: expression.kind, operands: expression.operands.map((o) => expandGroups(o, groups)) };
    case 'not':
      return { kind: 'not', operand: expandGroups(expression.operand, groups) };
    default:
      return expression;
  }
}

/** Whether `group.*` appears anywhere (blocks cannot hold one: the parser allows it outside blocks only). */
export function containsGroupTest(expression: Expression): boolean {
  switch (expression.kind) {
    case 'group': return true;
    case 'and':
    case 'or': return expression.operands.some(containsGroupTest);
    case 'not': return containsGroupTest(expression.operand);
    default: return false;
  }
}

/** The query's filter with its group tests resolved; undefined when it has none. */
export function resolveFilter(query: SummaryQuery): Expression | undefined {
  if (query.filter === undefined) return undefined;
  const groups = query.groups ?? [];
  for (const group of groups) {
    // A filter that names a group would make membership circular; groups are checked when created.
    if (group.filter !== undefined && containsGroupTest(group.filter)) {
      throw new InvalidQueryError(`the filter of group ${JSON.stringify(group.name)} refers to a group`);
    }
  }
  return expandGroups(query.filter, groups);
}
