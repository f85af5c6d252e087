/**
 * Seeded hostile values of the classes the fuzz suites and the hostile-input harness
 * (scripts/hostile.ts) share: deep nesting, extreme numbers and huge counts, put into any member of
 * an otherwise valid document or request.
 */
import type { Fuzz} from './fuzz.ts';
import { hostileValue, pathsOf, Raw, withMember, type FuzzValue, type Path } from './fuzz.ts';

export type HostileClass = 'deep-nesting' | 'extreme-number' | 'huge-count' | 'wrong-value';

/** Depths from 1K to 50K levels: past any sane limit, small enough to send. */
export const NESTING_DEPTHS: readonly number[] = [1000, 3000, 10_000, 50_000];

/** An array or object nested `depth` levels, as raw JSON text (building it as values would recurse). */
export function deepNesting(fuzz: Fuzz, depth: number = fuzz.pick(NESTING_DEPTHS)): Raw {
  return fuzz.chance(0.5) ? new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`) : new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** Numbers as raw JSON text: past float64, at its edges, huge integers, negative times, denormals. */
export const EXTREME_NUMBERS: readonly string[] = [
  '1e308', '-1e308', '1e400', '-1e400', '1.7976931348623157e308', '4.9e-324', '1e-400', '-0',
  '123456789012345678901234567890', '-123456789012345678901234567890', '9007199254740993', '18446744073709551616',
  '-1', '-1750000000', '-9999999999999', '253402300800', '99999999999999999999', '0.0000000000000000000001',
];

export function extremeNumber(fuzz: Fuzz): Raw {
  return new Raw(fuzz.pick(EXTREME_NUMBERS));
}

/** A value of the class for any member: the class's own kinds, or (wrong-value) any of `hostileValue`'s. */
export function valueOfClass(fuzz: Fuzz, kind: HostileClass): FuzzValue {
  switch (kind) {
    case 'deep-nesting':
      return deepNesting(fuzz);
    case 'extreme-number':
      return extremeNumber(fuzz);
    case 'huge-count':
      return fuzz.chance(0.5)
        ? new Raw(`[${Array.from({ length: 10_000 }, (_, i) => String(i)).join(',')}]`)
        : new Raw(`{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`);
    case 'wrong-value':
      return hostileValue(fuzz);
  }
}

/** Paths of the members holding numbers: where extreme numbers matter most. */
export function numericPaths(value: FuzzValue): Path[] {
  return pathsOf(value).filter((path) => typeof valueAt(value, path) === 'number');
}

/**
 * `valid` with one member (any depth; a numeric one for extreme numbers when there is one) set to a
 * value of the class. The label names the member and the value's kind.
 */
export function withHostileMember(fuzz: Fuzz, valid: FuzzValue, kind: HostileClass): { value: FuzzValue; label: string } {
  const numbers = numericPaths(valid);
  const paths = kind === 'extreme-number' && numbers.length > 0 && fuzz.chance(0.8) ? numbers : pathsOf(valid);
  if (paths.length === 0) return { value: valid, label: `${kind} (no member)` };
  const path = fuzz.pick(paths);
  const replacement = valueOfClass(fuzz, kind);
  const shown = replacement instanceof Raw ? replacement.text : JSON.stringify(replacement) ?? 'null';
  return { value: withMember(valid, path, replacement), label: `${kind} ${showMember(path)} = ${shown.length > 24 ? `${shown.slice(0, 24)}... (${shown.length} chars)` : shown}` };
}

/** A filter expression of `terms` OR'd comparisons, e.g. for SQLite's expression depth. */
export function orChain(terms: number): string {
  return Array.from({ length: terms }, (_, i) => `responsetime > ${i}`).join(' OR ');
}

function showMember(path: Path): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('').replace(/^\./, '');
}

function valueAt(value: FuzzValue, path: Path): FuzzValue | undefined {
  let current: FuzzValue | undefined = value;
  for (const key of path) {
    if (current === null || current === undefined || typeof current !== 'object' || current instanceof Raw) return undefined;
    current = Array.isArray(current) ? current[key as number] : current[String(key)];
  }
  return current;
}
