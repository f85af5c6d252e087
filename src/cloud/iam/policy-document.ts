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

/** A policy document read statement by statement: what applies, and each statement skipped with why. */
export interface ReadPolicyDocument {
  readonly statements: PolicyStatement[];
  /** One line per statement that cannot apply (e.g. its Resource names something the local cloud could not resolve). */
  readonly skipped: string[];
}

/** Reads one statement, failing with the place and field that is wrong. */
function readStatement(statement: unknown, where: string, source: string): PolicyStatement {
  if (typeof statement !== 'object' || statement === null) throw new PolicyDocumentError(`${where} is not an object`);
  const s = statement as Record<string, unknown>;
  const effect = s['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyDocumentError(`${where}: Effect must be Allow or Deny, got ${JSON.stringify(effect)}`);
  const hasAction = s['Action'] !== undefined;
  if (hasAction === (s['NotAction'] !== undefined)) throw new PolicyDocumentError(`${where}: needs exactly one of Action and NotAction`);
  // A list the reader emptied (every element unresolvable) names nothing, as a missing key does.
  const given = (key: string): boolean => s[key] !== undefined && !(Array.isArray(s[key]) && s[key].length === 0);
  const hasResource = given('Resource');
  if (hasResource === given('NotResource')) {
    // The template reader drops a Resource whose intrinsic it cannot resolve (an unsupported
    // resource's Arn, an unknown attribute), with a warning of its own naming the place.
    const names = hasAction ? ` (${effect} ${stringList(s['Action'], 'Action', where).join(', ')})` : '';
    throw new PolicyDocumentError(hasResource
      ? `${where}: needs exactly one of Resource and NotResource`
      : `${where}${names} has no Resource or NotResource the local cloud could resolve (an unsupported resource's ARN or an intrinsic it cannot resolve: see the template warning naming it)`);
  }
  return {
    effect,
    ...(hasAction ? { actions: stringList(s['Action'], 'Action', where) } : { notActions: stringList(s['NotAction'], 'NotAction', where) }),
    ...(hasResource ? { resources: stringList(s['Resource'], 'Resource', where) } : { notResources: stringList(s['NotResource'], 'NotResource', where) }),
    hasCondition: s['Condition'] !== undefined,
    sid: typeof s['Sid'] === 'string' ? s['Sid'] : undefined,
    source,
  };
}

function statementsOf(document: unknown, source: string): unknown[] {
  if (typeof document !== 'object' || document === null) throw new PolicyDocumentError(`${source}: policy document is not an object`);
  const raw = (document as Record<string, unknown>)['Statement'];
  return Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
}

/** Reads the statements of a policy document, failing on the first statement that is wrong. */
export function parsePolicyDocument(document: unknown, source: string): PolicyStatement[] {
  return statementsOf(document, source).map((statement, index) => readStatement(statement, `${source} Statement[${index}]`, source));
}

/**
 * Reads a policy document statement by statement: a statement that cannot apply is skipped alone
 * and reported, so one statement naming what the local cloud does not run leaves the role's other
 * permissions in force. Throws only when the document itself is not one.
 */
export function readPolicyDocument(document: unknown, source: string): ReadPolicyDocument {
  const statements: PolicyStatement[] = [];
  const skipped: string[] = [];
  statementsOf(document, source).forEach((statement, index) => {
    try {
      statements.push(readStatement(statement, `${source} Statement[${index}]`, source));
    } catch (error) {
      if (!(error instanceof PolicyDocumentError)) throw error;
      const effect = typeof statement === 'object' && statement !== null ? (statement as Record<string, unknown>)['Effect'] : undefined;
      // A skipped Deny no longer stops what another statement allows: say so.
      const consequence = effect === 'Deny' ? 'what it would deny is allowed wherever another statement allows it' : 'the policy\'s other statements apply';
      skipped.push(`${error.message}; this statement is skipped, ${consequence}`);
    }
  });
  return { statements, skipped };
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
