/**
 * The event-pattern engine shared by EventBridge rules, Lambda filter criteria and SNS filter
 * policies: compile once (a refusal is a value with EventBridge's reason), then `matches(event)`.
 */
import { compileConditions, type CompileOptions } from './compile.ts';
import { matchConditions } from './match.ts';
import type { Condition, Matcher } from './model.ts';

export type { AnythingBut, Condition, IpRange, Matcher, NumericBound, OperatorName } from './model.ts';
export type { CompileOptions } from './compile.ts';
export { NUMERIC_LIMIT } from './compile.ts';
export { parseIp, parseCidr } from './ip-range.ts';

export interface CompiledPattern {
  /** The conditions, for dialects that check more (SNS's key and combination limits). */
  readonly conditions: readonly Condition[];
  /** Whether the event (parsed JSON) matches the pattern. */
  matches(event: unknown): boolean;
}

export type PatternResult = { readonly ok: true; readonly pattern: CompiledPattern } | { readonly ok: false; readonly reason: string };

/** Compiles a pattern given as JSON text or as a parsed value. */
export function compilePattern(pattern: unknown, options?: CompileOptions): PatternResult {
  const compiled = compileConditions(pattern, options);
  if (!compiled.ok) return compiled;
  const { conditions } = compiled;
  return { ok: true, pattern: { conditions, matches: (event) => matchConditions(conditions, event) } };
}

/** EventBridge's message for a refused pattern (InvalidEventPatternException). */
export function eventBridgePatternMessage(reason: string): string {
  return `Event pattern is not valid. Reason: ${reason}`;
}

/** Calls `visit` with every leaf's key path and matchers, `$or` branches included: for a dialect's own checks. */
export function forEachLeaf(conditions: readonly Condition[], visit: (path: readonly string[], matchers: readonly Matcher[]) => void, path: readonly string[] = []): void {
  for (const condition of conditions) {
    if (condition.kind === 'leaf') visit([...path, condition.key], condition.matchers);
    else if (condition.kind === 'nested') forEachLeaf(condition.conditions, visit, [...path, condition.key]);
    else for (const branch of condition.branches) forEachLeaf(branch, visit, path);
  }
}

/**
 * The number of combinations a pattern stands for, as SNS counts them against its 150 limit: the
 * product of the values of each key, summed over the branches of `$or`.
 */
export function combinations(conditions: readonly Condition[]): number {
  return conditions.reduce((product, condition) => {
    if (condition.kind === 'leaf') return product * condition.matchers.length;
    if (condition.kind === 'nested') return product * combinations(condition.conditions);
    return product * condition.branches.reduce((sum, branch) => sum + combinations(branch), 0);
  }, 1);
}

/** The number of keys of the pattern's deepest branch (SNS allows 5 a policy). */
export function leafKeyCount(conditions: readonly Condition[]): number {
  return conditions.reduce((count, condition) => {
    if (condition.kind === 'leaf') return count + 1;
    if (condition.kind === 'nested') return count + leafKeyCount(condition.conditions);
    return count + Math.max(...condition.branches.map(leafKeyCount));
  }, 0);
}
