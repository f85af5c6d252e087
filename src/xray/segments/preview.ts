/**
 * A short, bounded rendering of an untrusted value from a segment document, for error messages.
 * It never recurses or stringifies a whole object or array (a deeply nested array would overflow
 * the stack through String() or JSON.stringify), and never returns more than about
 * PREVIEW_MAX_CHARS characters whatever the value.
 */
export const PREVIEW_MAX_CHARS = 60;

export function previewSegmentValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(clip(value));
    case 'number':
    case 'boolean':
    case 'bigint':
      return clip(String(value));
    case 'undefined':
      return 'undefined';
    default:
      if (value === null) return 'null';
      return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
  }
}

/** What a value is, for "must be X, got Y" messages: `an array of 3`, `string "abc"`, `null`. */
export function describeSegmentValue(value: unknown): string {
  if (value === null || typeof value === 'object') return previewSegmentValue(value);
  return `${typeof value} ${previewSegmentValue(value)}`;
}

function clip(text: string): string {
  return text.length > PREVIEW_MAX_CHARS ? text.slice(0, PREVIEW_MAX_CHARS - 3) + '...' : text;
}
