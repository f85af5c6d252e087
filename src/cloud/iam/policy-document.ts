// The parts of an IAM identity policy document that decide a call: Effect, Action/NotAction,
// Resource/NotResource. Conditions are not evaluated (see README.md).
import { wildcardMatch } from './wildcard.ts';

export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  /** Exactly one of actions / notActions is set. */
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  /** Exactly one of resources / notResources is set. */
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly hasCondition: boolean;
  readonly sid: string | undefined;
  /** Where the statement comes from, for reasons: e.g. `TheSqsFlowStack/SqsPublishLambdaRoleDefaultPolicy43E715FA`. */
  readonly source: string;
}

export class PolicyDocumentError extends Error {
  override readonly name = 'PolicyDocumentError';
}

function stringList(value: unknown, field: string, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((item) => typeof item === 'string')) {
    throw new PolicyDocumentError(`${where}: ${field} must be a string or a list of strings, got ${JSON.stringify(value)}`);
  }
  return list as string[];
}

/** Reads the statements of a policy document, failing with the place and field that is wrong. */
export function parsePolicyDocument(document: unknown, source: string): PolicyStatement[] {
  if (typeof document !== 'object' || document === null) throw new PolicyDocumentError(`${source}: policy document is not an object`);
  const raw = (document as Record<string, unknown>)['Statement'];
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return statements.map((statement, index) => {
    const where = `${source} Statement[${index}]`;
    if (typeof statement !== 'object' || statement === null) throw new PolicyDocumentError(`${where} is not an object`);
    const s = statement as Record<string, unknown>;
    const effect = s['Effect'];
    if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyDocumentError(`${where}: Effect must be Allow or Deny, got ${JSON.stringify(effect)}`);
    const hasAction = s['Action'] !== undefined;
    if (hasAction === (s['NotAction'] !== undefined)) throw new PolicyDocumentError(`${where}: needs exactly one of Action and NotAction`);
    const hasResource = s['Resource'] !== undefined;
    if (hasResource === (s['NotResource'] !== undefined)) throw new PolicyDocumentError(`${where}: needs exactly one of Resource and NotResource`);
    return {
      effect,
      ...(hasAction ? { actions: stringList(s['Action'], 'Action', where) } : { notActions: stringList(s['NotAction'], 'NotAction', where) }),
      ...(hasResource ? { resources: stringList(s['Resource'], 'Resource', where) } : { notResources: stringList(s['NotResource'], 'NotResource', where) }),
      hasCondition: s['Condition'] !== undefined,
      sid: typeof s['Sid'] === 'string' ? s['Sid'] : undefined,
      source,
    };
  });
}

function anyMatch(patterns: readonly string[], value: string, ignoreCase: boolean): boolean {
  return patterns.some((pattern) => wildcardMatch(pattern, value, ignoreCase));
}

/** Whether the statement covers this action (case-insensitive) on this resource (case-sensitive). */
export function statementApplies(statement: PolicyStatement, action: string, resourceArn: string): boolean {
  const actionMatches = statement.actions
    ? anyMatch(statement.actions, action, true)
    : !anyMatch(statement.notActions ?? [], action, true);
  if (!actionMatches) return false;
  return statement.resources
    ? anyMatch(statement.resources, resourceArn, false)
    : !anyMatch(statement.notResources ?? [], resourceArn, false);
}
