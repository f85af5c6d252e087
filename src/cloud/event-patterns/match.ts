/**
 * Matching an event against compiled conditions, as EventBridge matches:
 * - every condition of a level must hold (`$or` holds when one of its branches does);
 * - a leaf holds when one of its matchers matches the event's value at that key, and when that
 *   value is an array, when one of its elements does;
 * - a nested condition on an array of objects holds when one element satisfies it whole (the
 *   fields of one element are matched together);
 * - a missing key (or an object where a value was expected) matches only `{"exists": false}`.
 */
import { isRecord } from '../../common/is-record.ts';
import { inRange } from './ip-range.ts';
import type { AnythingBut, Condition, Matcher, NumericBound } from './model.ts';
import { NUMERIC_LIMIT } from './compile.ts';

type Leaf = string | number | boolean | null;

export function matchConditions(conditions: readonly Condition[], event: unknown): boolean {
  return conditions.every((condition) => matchCondition(condition, event));
}

function matchCondition(condition: Condition, event: unknown): boolean {
  if (condition.kind === 'or') return condition.branches.some((branch) => matchConditions(branch, event));
  const value = isRecord(event) ? event[condition.key] : undefined;
  if (condition.kind === 'nested') {
    if (Array.isArray(value)) {
      const objects = value.filter(isRecord);
      if (objects.length > 0) return objects.some((element) => matchConditions(condition.conditions, element));
    }
    return matchConditions(condition.conditions, isRecord(value) ? value : undefined);
  }
  const leaves = leafValues(value);
  if (leaves.length === 0) return condition.matchers.some((matcher) => matcher.kind === 'exists' && !matcher.value);
  return leaves.some((leaf) => condition.matchers.some((matcher) => matchLeaf(matcher, leaf)));
}

/** The leaf values at a key: the value itself, or the scalars of an array (nested arrays flattened, without recursion: events may nest deep). */
function leafValues(value: unknown): Leaf[] {
  const leaves: Leaf[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === null || typeof next === 'string' || typeof next === 'number' || typeof next === 'boolean') leaves.push(next);
    else if (Array.isArray(next)) for (let i = next.length - 1; i >= 0; i -= 1) pending.push(next[i]);
  }
  return leaves;
}

function matchLeaf(matcher: Matcher, leaf: Leaf): boolean {
  switch (matcher.kind) {
    case 'exact':
      return leaf === matcher.value;
    case 'exists':
      return matcher.value;
    case 'prefix':
      return typeof leaf === 'string' && (matcher.ignoreCase ? foldCase(leaf).startsWith(foldCase(matcher.value)) : leaf.startsWith(matcher.value));
    case 'suffix':
      return typeof leaf === 'string' && (matcher.ignoreCase ? foldCase(leaf).endsWith(foldCase(matcher.value)) : leaf.endsWith(matcher.value));
    case 'equals-ignore-case':
      return typeof leaf === 'string' && foldCase(leaf) === foldCase(matcher.value);
    case 'wildcard':
      return typeof leaf === 'string' && matcher.regex.test(leaf);
    case 'numeric':
      return typeof leaf === 'number' && Math.abs(leaf) <= NUMERIC_LIMIT && matcher.ranges.every((bound) => holds(bound, leaf));
    case 'cidr':
      return typeof leaf === 'string' && inRange(matcher.range, leaf);
    case 'anything-but':
      return matchAnythingBut(matcher.not, leaf);
  }
}

/**
 * Anything but the excluded values, of any type: as Event Ruler compares a value's text, a number,
 * `true`, `false` or `null` is never one of excluded strings, nor a string one of excluded numbers.
 */
function matchAnythingBut(not: AnythingBut, leaf: Leaf): boolean {
  if (not.kind === 'numbers') return !(typeof leaf === 'number' && not.values.includes(leaf));
  if (typeof leaf !== 'string') return true;
  switch (not.kind) {
    case 'strings':
      return !not.values.includes(leaf);
    case 'prefix':
      return !leaf.startsWith(not.value);
    case 'suffix':
      return !leaf.endsWith(not.value);
    case 'equals-ignore-case':
      return !not.values.some((value) => foldCase(value) === foldCase(leaf));
    case 'wildcard':
      return !not.regexes.some((regex) => regex.test(leaf));
  }
}

function holds(bound: NumericBound, value: number): boolean {
  switch (bound.operator) {
    case '=':
      return value === bound.value;
    case '<':
      return value < bound.value;
    case '<=':
      return value <= bound.value;
    case '>':
      return value > bound.value;
    case '>=':
      return value >= bound.value;
  }
}

function foldCase(text: string): string {
  return text.toLowerCase();
}
