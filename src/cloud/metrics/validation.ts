/**
 * The name rules CloudWatch applies to namespaces, metric names and dimensions (PutMetricData's
 * and EMF's alike): each returns what is wrong, or undefined.
 */

// Printable ASCII only, and at least one non-whitespace character.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

export function checkNamespace(namespace: string): string | undefined {
  if (namespace.length < 1 || namespace.length > 255) return 'must be 1 to 255 characters';
  if (!PRINTABLE_ASCII.test(namespace) || namespace.trim() === '') return 'must be printable ASCII with a non-whitespace character';
  if (namespace.startsWith(':')) return 'must not start with a colon';
  return undefined;
}

export function checkMetricName(name: string): string | undefined {
  if (name.length < 1 || name.length > 255) return 'must be 1 to 255 characters';
  if (!PRINTABLE_ASCII.test(name) || name.trim() === '') return 'must be printable ASCII with a non-whitespace character';
  return undefined;
}

export function checkDimension(name: string, value: string): string | undefined {
  if (name.length < 1 || name.length > 255) return 'the name must be 1 to 255 characters';
  if (!PRINTABLE_ASCII.test(name) || name.trim() === '') return 'the name must be printable ASCII with a non-whitespace character';
  if (name.startsWith(':')) return 'the name must not start with a colon';
  if (value.length < 1 || value.length > 1024) return 'the value must be 1 to 1024 characters';
  if (!PRINTABLE_ASCII.test(value) || value.trim() === '') return 'the value must be printable ASCII with a non-whitespace character';
  return undefined;
}
