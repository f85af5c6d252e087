/**
 * SNS subscription filter policies: the event-pattern engine's language in SNS's dialect, checked
 * against SNS's constraints when a subscription gets one, and matched against a message's
 * attributes (scope `MessageAttributes`, the default) or its JSON body (scope `MessageBody`).
 * Docs: "Amazon SNS message filtering" (subscription-filter-policy-constraints.html,
 * attribute-key-matching.html and the operator pages beside them).
 */
import { isRecord } from '../../common/is-record.ts';
import { compilePattern, forEachLeaf } from '../event-patterns/index.ts';
import type { CompiledPattern, Condition, Matcher, OperatorName } from '../event-patterns/index.ts';
import { snsErrors } from './errors.ts';
import type { SnsMessageAttribute } from './notification.ts';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export interface FilterPolicy {
  /** The policy as given, for GetSubscriptionAttributes. */
  readonly text: string;
  readonly scope: FilterPolicyScope;
  readonly pattern: CompiledPattern;
}

/** SNS's documented limits. */
export const FILTER_POLICY_LIMITS = { maxKeys: 5, maxCombinations: 150, maxBytes: 256 * 1024, numericLimit: 1e9, decimalDigits: 5 } as const;

/** The operators SNS documents (no `wildcard`). */
const SNS_OPERATORS: ReadonlySet<OperatorName> = new Set<OperatorName>(['prefix', 'suffix', 'equals-ignore-case', 'numeric', 'exists', 'cidr', 'anything-but', '$or']);

/**
 * Where the policy came from: SNS words a refusal "Invalid parameter: Attributes Reason: FilterPolicy: ..."
 * on Subscribe and "Invalid parameter: FilterPolicy: ..." on SetSubscriptionAttributes.
 */
export type FilterPolicyCall = 'Subscribe' | 'SetSubscriptionAttributes';

class Refusal extends Error {}

function refuse(reason: string): never {
  throw new Refusal(`FilterPolicy: ${reason}`);
}

/** `FilterPolicyScope`'s value, or SNS's refusal of another. */
export function readFilterPolicyScope(value: string | undefined): FilterPolicyScope {
  if (value === undefined || value === 'MessageAttributes') return 'MessageAttributes';
  if (value === 'MessageBody') return 'MessageBody';
  throw snsErrors.invalidParameter(`Attributes Reason: FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
}

/** Whether a FilterPolicy value removes the policy (SetSubscriptionAttributes with `{}` or nothing). */
export function removesFilterPolicy(text: string): boolean {
  return text.trim() === '' || /^\{\s*\}$/.test(text.trim());
}

/** Compiles and checks a policy; throws SNS's InvalidParameter "FilterPolicy: ..." when AWS refuses it. */
export function compileFilterPolicy(text: string, scope: FilterPolicyScope, call: FilterPolicyCall = 'SetSubscriptionAttributes'): FilterPolicy {
  try {
    return checkedPolicy(text, scope);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    throw snsErrors.invalidParameter(`${call === 'Subscribe' ? 'Attributes Reason: ' : ''}${error.message}`);
  }
}

function checkedPolicy(text: string, scope: FilterPolicyScope): FilterPolicy {
  if (Buffer.byteLength(text, 'utf8') > FILTER_POLICY_LIMITS.maxBytes) refuse('Filter policy is too long');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return refuse(`failed to parse JSON. ${(error as Error).message}`);
  }
  const compiled = compilePattern(parsed, { operators: SNS_OPERATORS });
  if (!compiled.ok) return refuse(compiled.reason);
  const { conditions } = compiled.pattern;
  // SNS words this one without the "FilterPolicy: " of the others.
  if (scope === 'MessageAttributes' && hasNesting(conditions)) throw new Refusal('Filter policy scope MessageAttributes does not support nested filter policy');
  if (topLevelKeys(conditions) > FILTER_POLICY_LIMITS.maxKeys) refuse(`Filter policy can not have more than ${FILTER_POLICY_LIMITS.maxKeys} keys`);
  if (filterPolicyCombinations(conditions) > FILTER_POLICY_LIMITS.maxCombinations) refuse('Filter policy is too complex');
  forEachLeaf(conditions, (_path, matchers) => matchers.forEach(checkMatcher));
  return { text, scope, pattern: compiled.pattern };
}

/**
 * The keys counted against SNS's five: the top-level ones only (nested keys of a body policy do
 * not count, per the constraints page's key-counting examples); a `$or` counts as its widest branch.
 */
function topLevelKeys(conditions: readonly Condition[]): number {
  return conditions.reduce((count, condition) => count + (condition.kind === 'or' ? Math.max(...condition.branches.map(topLevelKeys)) : 1), 0);
}

/**
 * The combinations SNS counts against its 150: the product of each key's number of values times
 * its depth (the constraints page's example: four values three levels down and three values two
 * levels down make 3 x 4 x 2 x 3 = 72), the branches of a `$or` summed.
 */
export function filterPolicyCombinations(conditions: readonly Condition[], depth = 1): number {
  return conditions.reduce((product, condition) => {
    if (condition.kind === 'leaf') return product * condition.matchers.length * depth;
    if (condition.kind === 'nested') return product * filterPolicyCombinations(condition.conditions, depth + 1);
    return product * condition.branches.reduce((sum, branch) => sum + filterPolicyCombinations(branch, depth), 0);
  }, 1);
}

function hasNesting(conditions: CompiledPattern['conditions']): boolean {
  return conditions.some((condition) => condition.kind === 'nested' || (condition.kind === 'or' && condition.branches.some(hasNesting)));
}

/** SNS's numbers: within ±1e9 with at most five decimals; no anything-but wildcard. */
function checkMatcher(matcher: Matcher): void {
  if (matcher.kind === 'exact' && typeof matcher.value === 'number') checkNumber(matcher.value);
  if (matcher.kind === 'numeric') matcher.ranges.forEach((bound) => checkNumber(bound.value));
  if (matcher.kind === 'anything-but') {
    if (matcher.not.kind === 'numbers') matcher.not.values.forEach(checkNumber);
    if (matcher.not.kind === 'wildcard') refuse('Unsupported anything-but pattern: wildcard');
  }
}

function checkNumber(value: number): void {
  const { numericLimit, decimalDigits } = FILTER_POLICY_LIMITS;
  if (value < -numericLimit || value > numericLimit) refuse('Match value must be between -1.0E9 and 1.0E9, inclusive');
  // Five digits after the point: rounding to five decimals gives the same double back.
  if (Number(value.toFixed(decimalDigits)) !== value) refuse(`Match value must have at most ${decimalDigits} digits after the decimal point`);
}

/**
 * Whether SNS delivers a message to a subscription with this policy. Attributes scope: each
 * attribute as its type says (String as text, Number as a number, String.Array as the array of its
 * elements; Binary is never compared), and a message without attributes matches nothing (not even
 * `exists: false`). Body scope: the message parsed as a JSON object; any other body matches nothing.
 */
export function filterPolicyMatches(policy: FilterPolicy, message: string, attributes: Readonly<Record<string, SnsMessageAttribute>>): boolean {
  if (policy.scope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message);
    } catch {
      return false;
    }
    return isRecord(body) && !Array.isArray(body) && policy.pattern.matches(body);
  }
  if (Object.keys(attributes).length === 0) return false;
  return policy.pattern.matches(attributeEvent(attributes));
}

/** The attributes as the values SNS compares. */
function attributeEvent(attributes: Readonly<Record<string, SnsMessageAttribute>>): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [name, { Type: type, Value: value }] of Object.entries(attributes)) {
    if (type.startsWith('Binary')) continue;
    if (type.startsWith('Number')) {
      const number = Number(value);
      event[name] = Number.isFinite(number) ? number : value;
    } else if (type === 'String.Array') {
      event[name] = arrayValue(value);
    } else {
      event[name] = value;
    }
  }
  return event;
}

/** A String.Array's elements; a value that is not a JSON array is compared as its text. */
function arrayValue(value: string): unknown {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : value;
  } catch {
    return value;
  }
}
