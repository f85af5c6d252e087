/**
 * Reads an event pattern (a JSON string or an already parsed value) into conditions, refusing what
 * EventBridge refuses with its reasons (the text after "Event pattern is not valid. Reason: ").
 * The rules follow EventBridge's documentation and its open-source matcher, Event Ruler.
 */
import { isRecord } from '../../common/is-record.ts';
import { parseCidr } from './ip-range.ts';
import type { AnythingBut, Condition, Matcher, NumericBound, OperatorName } from './model.ts';
import { compileWildcard } from './wildcard.ts';

/** EventBridge compares numbers in this range only (its documented numeric limit). */
export const NUMERIC_LIMIT = 5e9;

/** Names that are operators, so never field names inside `$or`. */
const RESERVED_IN_OR = new Set(['exact', 'prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'cidr', 'equals-ignore-case', 'wildcard']);

export interface CompileOptions {
  /** The operators this dialect accepts; any other is refused as unrecognized. @default all */
  readonly operators?: ReadonlySet<OperatorName>;
}

export type Compiled = { readonly ok: true; readonly conditions: readonly Condition[] } | { readonly ok: false; readonly reason: string };

class PatternError extends Error {}

function refuse(reason: string): never {
  throw new PatternError(reason);
}

/** Compiles a pattern; a refusal is a value carrying the reason, never a throw. */
export function compileConditions(pattern: unknown, options: CompileOptions = {}): Compiled {
  let value = pattern;
  if (typeof pattern === 'string') {
    try {
      value = JSON.parse(pattern) as unknown;
    } catch (error) {
      return { ok: false, reason: `Filter is not valid JSON: ${(error as Error).message}` };
    }
  }
  try {
    if (!isRecord(value) || Array.isArray(value)) refuse('Filter is not an object');
    return { ok: true, conditions: readObject(value, options, false) };
  } catch (error) {
    if (error instanceof PatternError) return { ok: false, reason: error.message };
    // A pattern nested deeper than the stack: refused rather than failing the request.
    if (error instanceof RangeError) return { ok: false, reason: 'Filter is nested too deeply' };
    throw error;
  }
}

function readObject(object: Record<string, unknown>, options: CompileOptions, insideOr: boolean): Condition[] {
  const conditions: Condition[] = [];
  const keys = Object.keys(object);
  if (keys.length === 0) refuse('Empty objects are not allowed');
  for (const key of keys) {
    const value = object[key];
    if (key === '$or') {
      allow(options, '$or', key);
      conditions.push(readOr(value, options));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) refuse(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    if (Array.isArray(value)) conditions.push({ kind: 'leaf', key, matchers: readMatchers(value, options) });
    else if (isRecord(value)) conditions.push({ kind: 'nested', key, conditions: readObject(value, options, insideOr) });
    else refuse(`"${key}" must be an object or an array`);
  }
  return conditions;
}

function readOr(value: unknown, options: CompileOptions): Condition {
  if (!Array.isArray(value)) refuse('It must be an Array followed with $or.');
  const branches = value.map((branch) => {
    if (!isRecord(branch) || Array.isArray(branch)) refuse('Only JSON object is allowed in array of $or relationship.');
    return readObject(branch, options, true);
  });
  if (branches.length < 2) refuse('There must have at least 2 Objects in $or relationship.');
  return { kind: 'or', branches };
}

function readMatchers(values: readonly unknown[], options: CompileOptions): Matcher[] {
  if (values.length === 0) refuse('Empty arrays are not allowed');
  return values.map((value) => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return { kind: 'exact', value };
    if (typeof value === 'number') return { kind: 'exact', value };
    if (isRecord(value) && !Array.isArray(value)) return readExpression(value, options);
    return refuse('Match value must be String, number, true, false, or null');
  });
}

function allow(options: CompileOptions, operator: OperatorName, name: string): void {
  if (options.operators !== undefined && !options.operators.has(operator)) refuse(`Unrecognized match type ${name}`);
}

function readExpression(expression: Record<string, unknown>, options: CompileOptions): Matcher {
  const names = Object.keys(expression);
  const [name] = names;
  if (name === undefined) refuse('Match expression name not found');
  const value = expression[name];
  const matcher = readOperator(name, value, options);
  if (names.length > 1) refuse(name === 'numeric' || name === 'anything-but' ? 'Too many elements in numeric expression' : 'Only one key allowed in match expression');
  return matcher;
}

function readOperator(name: string, value: unknown, options: CompileOptions): Matcher {
  switch (name) {
    case 'exact':
      if (typeof value !== 'string') refuse('exact match pattern must be a string');
      return { kind: 'exact', value };
    case 'prefix':
    case 'suffix': {
      allow(options, name, name);
      if (typeof value === 'string') return { kind: name, value, ignoreCase: false };
      const ignoreCase = isRecord(value) ? value['equals-ignore-case'] : undefined;
      if (isRecord(value) && Object.keys(value).length === 1 && typeof ignoreCase === 'string') return { kind: name, value: ignoreCase, ignoreCase: true };
      return refuse(`${name} match pattern must be a string`);
    }
    case 'equals-ignore-case':
      allow(options, name, name);
      if (typeof value !== 'string') refuse('equals-ignore-case match pattern must be a string');
      return { kind: name, value };
    case 'wildcard': {
      allow(options, name, name);
      if (typeof value !== 'string') refuse('wildcard match pattern must be a string');
      return { kind: name, value, regex: wildcardOrRefuse(value) };
    }
    case 'numeric':
      allow(options, name, name);
      if (!Array.isArray(value)) refuse('Value of numeric must be an array.');
      return { kind: name, ranges: readNumeric(value) };
    case 'exists':
      allow(options, name, name);
      if (typeof value !== 'boolean') refuse('exists match pattern must be either true or false.');
      return { kind: name, value };
    case 'cidr': {
      allow(options, name, name);
      if (typeof value !== 'string') refuse('prefix match pattern must be a string');
      const range = parseCidr(value);
      if (typeof range === 'string') refuse(range);
      return { kind: name, value, range };
    }
    case 'anything-but':
      allow(options, name, name);
      return { kind: name, not: readAnythingBut(value) };
    default:
      return refuse(`Unrecognized match type ${name}`);
  }
}

function wildcardOrRefuse(text: string): RegExp {
  const regex = compileWildcard(text);
  if (typeof regex === 'string') refuse(regex);
  return regex;
}

function readAnythingBut(value: unknown): AnythingBut {
  if (typeof value === 'string') return { kind: 'strings', values: [value] };
  if (typeof value === 'number') return { kind: 'numbers', values: [checkedNumber(value)] };
  if (Array.isArray(value)) {
    const strings = value.filter((item): item is string => typeof item === 'string');
    const numbers = value.filter((item): item is number => typeof item === 'number');
    if (strings.length + numbers.length !== value.length) refuse('Inside anything but list, start|null|boolean is not supported.');
    if ((strings.length > 0) === (numbers.length > 0)) refuse('Inside anything but list, either all values are number or string, mixed type is not supported');
    return strings.length > 0 ? { kind: 'strings', values: strings } : { kind: 'numbers', values: numbers.map(checkedNumber) };
  }
  if (!isRecord(value)) refuse('Value of anything-but must be an array or single string/number value.');
  const [operator, ...others] = Object.keys(value);
  if (operator === undefined) refuse('Anything-But expression name not found');
  if (others.length > 0) refuse('Only one key allowed in match expression');
  const operand = value[operator];
  switch (operator) {
    case 'prefix':
    case 'suffix':
      if (typeof operand !== 'string') refuse('prefix/suffix match pattern must be a string');
      if (operand === '') refuse('Null prefix/suffix not allowed');
      return { kind: operator, value: operand };
    case 'equals-ignore-case':
      return { kind: operator, values: stringOrStrings(operand, 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.') };
    case 'wildcard': {
      const values = stringOrStrings(operand, 'Inside anything-but/wildcard list, number|start|null|boolean is not supported.');
      return { kind: operator, values, regexes: values.map(wildcardOrRefuse) };
    }
    default:
      return refuse(`Unsupported anything-but pattern: ${operator}`);
  }
}

function stringOrStrings(value: unknown, reason: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) return value as string[];
  return refuse(reason);
}

function checkedNumber(value: number): number {
  if (value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) refuse('Value must be between -5.0E9 and 5.0E9, inclusive');
  return value;
}

const LOWER = new Set(['>', '>=']);
const UPPER = new Set(['<', '<=']);

/** `["=", n]`, `[">", n]`, `["<=", n]`, or a lower bound then an upper bound. */
function readNumeric(terms: readonly unknown[]): NumericBound[] {
  const [operator, value, upperOperator, upperValue, ...rest] = terms;
  if (typeof operator !== 'string') refuse(`Invalid member in numeric match: ${JSON.stringify(operator ?? null)}`);
  if (operator !== '=' && !LOWER.has(operator) && !UPPER.has(operator)) refuse(`Unrecognized numeric range operator: ${operator}`);
  if (typeof value !== 'number') refuse(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
  const first: NumericBound = { operator, value: checkedNumber(value) } as NumericBound;
  if (terms.length === 2) return [first];
  if (!LOWER.has(operator)) refuse('Too many elements in numeric expression');
  if (typeof upperOperator !== 'string') refuse(`Bad value in numeric range: ${JSON.stringify(upperOperator ?? null)}`);
  if (!UPPER.has(upperOperator)) refuse(`Bad numeric range operator: ${upperOperator}`);
  if (typeof upperValue !== 'number') refuse(`Value of ${upperOperator} must be numeric`);
  if (rest.length > 0) refuse('Too many terms in numeric range expression');
  if (value >= upperValue) refuse('Bottom must be less than top');
  return [first, { operator: upperOperator, value: checkedNumber(upperValue) } as NumericBound];
}
