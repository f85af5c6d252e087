/** Reading semantic-convention attributes, whichever of their old and new names a span uses. */
import type { AttributeValue, Attributes } from './model.ts';

/** The first of `keys` that holds a non-empty string, and that key. */
export function stringAttribute(attributes: Attributes, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = attributes.get(key);
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** The first of `keys` that holds an integer (or its decimal text, as int64 values may arrive). */
export function integerAttribute(attributes: Attributes, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = attributes.get(key);
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof n === 'number' && Number.isInteger(n)) return n;
  }
  return undefined;
}

/** Values X-Ray can index: strings, finite numbers, booleans. */
export function isAnnotationValue(value: AttributeValue): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** X-Ray annotation keys hold letters, digits and underscores: anything else becomes `_`, as AWS's exporter does. */
export function annotationKey(key: string): string {
  return key.replace(/[^A-Za-z0-9_]/g, '_');
}
