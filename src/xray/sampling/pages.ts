/**
 * NextToken paging over rules in the order the SDKs try them (Priority, then name). A token names
 * the last rule of its page by that order, so a rule created or deleted between two pages neither
 * repeats nor hides another one.
 */
import { invalidRequest } from '../http/errors.ts';
import { describe } from '../http/json-fields.ts';

export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | undefined;
}

/** Sorts like (priority, name): priorities are 1..10000, five digits. */
export function ruleOrderKey(priority: number, name: string): string {
  return `${String(priority).padStart(5, '0')}/${name}`;
}

/** `items` are in `keyOf` order; `size` at least 1. */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, nextToken: string | undefined, size: number): Page<T> {
  const after = nextToken === undefined ? undefined : decode(nextToken);
  const rest = after === undefined ? [...items] : items.filter((item) => keyOf(item) > after);
  const page = rest.slice(0, size);
  const last = page.at(-1);
  return { items: page, nextToken: rest.length > size && last !== undefined ? encode(keyOf(last)) : undefined };
}

function encode(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decode(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^\d{5}\/./su.test(key) || encode(key) !== token) throw invalidRequest(`NextToken ${describe(token)} was not issued by this service`);
  return key;
}
