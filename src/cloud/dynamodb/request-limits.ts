/**
 * What the endpoint checks in a DynamoDB request before dynalite sees it: dynalite runs in this
 * process and walks attribute values recursively (a value nested thousands deep overflows its stack
 * and ends the process), parses expressions in time that grows faster than their length, and
 * throws on a JSON null where it expects a value. Each check walks the request once.
 */
import { AwsError } from '../protocol/errors.ts';

/** The shape namespace of DynamoDB's (and dynalite's) ValidationException. */
export const VALIDATE = 'com.amazon.coral.validate';

/**
 * DynamoDB nests attribute values at most 32 levels deep; each level is two JSON levels (`{"M":
 * {"name": ...}}`) under at most seven of the request's own (BatchWriteItem's RequestItems, table,
 * list, PutRequest, Item, attribute), so no request DynamoDB accepts comes near this depth.
 */
export const MAX_JSON_DEPTH = 80;

/** DynamoDB's limit on every expression parameter, in bytes of the string as sent. */
export const MAX_EXPRESSION_BYTES = 4096;

const EXPRESSIONS = ['ConditionExpression', 'FilterExpression', 'KeyConditionExpression', 'ProjectionExpression', 'UpdateExpression'];

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, { namespace: VALIDATE });
}

/** Refuses an expression parameter over 4 KB, as DynamoDB does (BatchGetItem's per table included). */
export function checkExpressionSizes(input: Readonly<Record<string, unknown>>): void {
  checkExpressionsOf(input);
  const items = input['RequestItems'];
  if (typeof items !== 'object' || items === null || Array.isArray(items)) return;
  for (const perTable of Object.values(items)) {
    if (typeof perTable === 'object' && perTable !== null && !Array.isArray(perTable)) checkExpressionsOf(perTable as Record<string, unknown>);
  }
}

function checkExpressionsOf(scope: Readonly<Record<string, unknown>>): void {
  for (const name of EXPRESSIONS) {
    const expression = scope[name];
    if (typeof expression !== 'string') continue;
    const bytes = Buffer.byteLength(expression, 'utf8');
    if (bytes > MAX_EXPRESSION_BYTES) {
      throw validation(`Invalid ${name}: Expression size has exceeded the maximum allowed size; expression size: ${bytes}`);
    }
  }
}

interface Visit {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Visit | undefined;
  readonly key: string | number;
}

/**
 * Refuses a request nested deeper than MAX_JSON_DEPTH and one holding a JSON null below its top
 * level (a top-level member sent as null reads as absent). Walked without recursion, and a value's
 * path is only spelled out for the message, from parent links: building it at every level would
 * cost the square of the depth.
 */
export function checkRequestShape(input: Readonly<Record<string, unknown>>): void {
  const pending: Visit[] = [];
  for (const [key, value] of Object.entries(input)) if (value !== null) pending.push({ value, depth: 1, parent: undefined, key });
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    const { value, depth } = visit;
    if (value === null) throw validation(`${pathOf(visit)} is null; a null attribute value is written {"NULL": true}.`);
    if (typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) throw validation('Nesting Levels have exceeded supported limits');
    if (Array.isArray(value)) value.forEach((item: unknown, index) => pending.push({ value: item, depth: depth + 1, parent: visit, key: index }));
    else for (const [key, item] of Object.entries(value)) pending.push({ value: item, depth: depth + 1, parent: visit, key });
  }
}

/** `Item.deep.M.a[0]`, shortened to its first 200 characters. */
function pathOf(visit: Visit): string {
  const keys: Array<string | number> = [];
  for (let at: Visit | undefined = visit; at !== undefined; at = at.parent) keys.push(at.key);
  const path = keys.reverse().map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
  return path.length > 200 ? `${path.slice(0, 200)}...` : path;
}
