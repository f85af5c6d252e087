/**
 * JSON Schema draft 4, the dialect of API Gateway's models (`AWS::ApiGateway::Model` Schema), for
 * request validation. The messages are those of the validator API Gateway runs (java
 * json-schema-validator), which `$context.error.validationErrorString` lists, e.g.
 * `object has missing required properties (["name"])`. `format` is an annotation only. `$ref`
 * reaches `#/...` pointers in the schema and other models of the API by
 * `https://apigateway.amazonaws.com/restapis/<api>/models/<name>`.
 */

export type Schema = Readonly<Record<string, unknown>> | boolean;

export interface SchemaContext {
  /** The API's other models by name, for `$ref`s between models. */
  readonly models: ReadonlyMap<string, Schema>;
}

const MAX_DEPTH = 64;

export function validateSchema(schema: Schema, value: unknown, context: SchemaContext): string[] {
  const errors: string[] = [];
  check(schema, value, schema, context, errors, 0);
  return errors;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const show = (value: unknown): string => JSON.stringify(value) ?? 'undefined';

function resolveRef(ref: string, root: Schema, context: SchemaContext): Schema | undefined {
  const model = /\/models\/([^/#]+)(#.*)?$/.exec(ref);
  let base: Schema | undefined = root;
  let pointer = ref.startsWith('#') ? ref.slice(1) : '';
  if (model?.[1] !== undefined) {
    base = context.models.get(decodeURIComponent(model[1]));
    pointer = (model[2] ?? '#').slice(1);
  } else if (!ref.startsWith('#')) return undefined;
  let current: unknown = base;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'object' || typeof current === 'boolean' ? (current as Schema) : undefined;
}

function check(schema: Schema, value: unknown, root: Schema, context: SchemaContext, errors: string[], depth: number): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push('instance is not allowed by the schema');
    return;
  }
  if (depth > MAX_DEPTH) {
    errors.push('schema nesting too deep');
    return;
  }
  const s = schema;
  if (typeof s.$ref === 'string') {
    const target = resolveRef(s.$ref, root, context);
    if (target === undefined) errors.push(`unable to resolve reference ${show(s.$ref)}`);
    else check(target, value, s.$ref.startsWith('#') ? root : target, context, errors, depth + 1);
    return;
  }
  const type = typeOf(value);
  if (s.type !== undefined) {
    const allowed = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is string => typeof t === 'string');
    if (!allowed.some((t) => t === type || (t === 'number' && type === 'integer'))) {
      errors.push(`instance type (${type}) does not match any allowed primitive type (allowed: ${show(allowed)})`);
      return;
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((candidate) => deepEqual(candidate, value))) {
    errors.push(`instance value (${show(value)}) not found in enum (possible values: ${show(s.enum)})`);
  }
  if (type === 'string') checkString(s, value as string, errors);
  if (type === 'number' || type === 'integer') checkNumber(s, value as number, errors);
  if (type === 'array') checkArray(s, value as unknown[], root, context, errors, depth);
  if (type === 'object') checkObject(s, value as Record<string, unknown>, root, context, errors, depth);
  const sub = (candidate: unknown): string[] => {
    const found: string[] = [];
    check(candidate as Schema, value, root, context, found, depth + 1);
    return found;
  };
  if (Array.isArray(s.allOf)) for (const part of s.allOf) errors.push(...sub(part));
  if (Array.isArray(s.anyOf) && !s.anyOf.some((part) => sub(part).length === 0)) {
    errors.push(`instance failed to match at least one required schema among ${s.anyOf.length}`);
  }
  if (Array.isArray(s.oneOf)) {
    const matched = s.oneOf.filter((part) => sub(part).length === 0).length;
    if (matched !== 1) errors.push(`instance failed to match exactly one schema (matched ${matched} out of ${s.oneOf.length})`);
  }
  if (s.not !== undefined && sub(s.not).length === 0) errors.push('instance matched a schema which it should not have');
}

function checkString(s: Readonly<Record<string, unknown>>, value: string, errors: string[]): void {
  const length = [...value].length;
  if (typeof s.minLength === 'number' && length < s.minLength) errors.push(`string ${show(value)} is too short (length: ${length}, required minimum: ${s.minLength})`);
  if (typeof s.maxLength === 'number' && length > s.maxLength) errors.push(`string ${show(value)} is too long (length: ${length}, maximum allowed: ${s.maxLength})`);
  if (typeof s.pattern === 'string') {
    if (!safeTest(s.pattern, value, true)) errors.push(`ECMA 262 regex ${show(s.pattern)} does not match input string ${show(value)}`);
  }
}

function checkNumber(s: Readonly<Record<string, unknown>>, value: number, errors: string[]): void {
  if (typeof s.minimum === 'number') {
    if (s.exclusiveMinimum === true ? value <= s.minimum : value < s.minimum) {
      errors.push(`numeric instance is ${s.exclusiveMinimum === true ? 'not strictly greater than' : 'lower than'} the required minimum (minimum: ${s.minimum}, found: ${value})`);
    }
  }
  if (typeof s.maximum === 'number') {
    if (s.exclusiveMaximum === true ? value >= s.maximum : value > s.maximum) {
      errors.push(`numeric instance is ${s.exclusiveMaximum === true ? 'not strictly lower than' : 'greater than'} the required maximum (maximum: ${s.maximum}, found: ${value})`);
    }
  }
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
    const quotient = value / s.multipleOf;
    if (Math.abs(quotient - Math.round(quotient)) > 1e-9) errors.push(`remainder of division is not zero (${value} / ${s.multipleOf})`);
  }
}

function checkArray(s: Readonly<Record<string, unknown>>, value: unknown[], root: Schema, context: SchemaContext, errors: string[], depth: number): void {
  if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push(`array is too short: must have at least ${s.minItems} elements but instance has ${value.length} elements`);
  if (typeof s.maxItems === 'number' && value.length > s.maxItems) errors.push(`array is too long: must have at most ${s.maxItems} elements but instance has ${value.length} elements`);
  if (s.uniqueItems === true && value.some((item, i) => value.findIndex((other) => deepEqual(other, item)) !== i)) errors.push('array must not contain duplicate elements');
  if (Array.isArray(s.items)) {
    value.forEach((item, i) => {
      const itemSchema = (s.items as unknown[])[i];
      if (itemSchema !== undefined) check(itemSchema as Schema, item, root, context, errors, depth + 1);
      else if (s.additionalItems === false) errors.push(`array is too long: must have at most ${(s.items as unknown[]).length} elements but instance has ${value.length} elements`);
      else if (typeof s.additionalItems === 'object' && s.additionalItems !== null) check(s.additionalItems as Schema, item, root, context, errors, depth + 1);
    });
  } else if (typeof s.items === 'object' && s.items !== null) {
    for (const item of value) check(s.items as Schema, item, root, context, errors, depth + 1);
  }
}

function checkObject(s: Readonly<Record<string, unknown>>, value: Record<string, unknown>, root: Schema, context: SchemaContext, errors: string[], depth: number): void {
  const keys = Object.keys(value);
  if (Array.isArray(s.required)) {
    const missing = s.required.filter((name): name is string => typeof name === 'string' && !Object.hasOwn(value, name));
    if (missing.length > 0) errors.push(`object has missing required properties (${show(missing.sort())})`);
  }
  if (typeof s.minProperties === 'number' && keys.length < s.minProperties) errors.push(`object has too few properties (found ${keys.length} but schema requires at least ${s.minProperties})`);
  if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) errors.push(`object has too many properties (found ${keys.length} but schema requires at most ${s.maxProperties})`);
  const properties = (typeof s.properties === 'object' && s.properties !== null ? s.properties : {}) as Record<string, unknown>;
  const patterns = Object.entries((typeof s.patternProperties === 'object' && s.patternProperties !== null ? s.patternProperties : {}) as Record<string, unknown>);
  const extra: string[] = [];
  for (const key of keys) {
    let covered = false;
    if (Object.hasOwn(properties, key)) {
      covered = true;
      check(properties[key] as Schema, value[key], root, context, errors, depth + 1);
    }
    for (const [pattern, patternSchema] of patterns) {
      if (safeTest(pattern, key, false)) {
        covered = true;
        check(patternSchema as Schema, value[key], root, context, errors, depth + 1);
      }
    }
    if (!covered) {
      if (s.additionalProperties === false) extra.push(key);
      else if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) check(s.additionalProperties as Schema, value[key], root, context, errors, depth + 1);
    }
  }
  if (extra.length > 0) errors.push(`object instance has properties which are not allowed by the schema: ${show(extra.sort())}`);
  const dependencies = (typeof s.dependencies === 'object' && s.dependencies !== null ? s.dependencies : {}) as Record<string, unknown>;
  for (const [name, dependency] of Object.entries(dependencies)) {
    if (!Object.hasOwn(value, name)) continue;
    if (Array.isArray(dependency)) {
      const missing = dependency.filter((other): other is string => typeof other === 'string' && !Object.hasOwn(value, other));
      if (missing.length > 0) errors.push(`property ${show(name)} of object has missing property dependencies (requires ${show(dependency)}; missing: ${show(missing)})`);
    } else check(dependency as Schema, value, root, context, errors, depth + 1);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((item, i) => deepEqual(item, (b as unknown[])[i]));
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  return ak.length === bk.length && ak.every((key) => Object.hasOwn(b, key) && deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** An ECMA 262 pattern test; a pattern JavaScript cannot compile gives `fallback`. */
function safeTest(pattern: string, text: string, fallback: boolean): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return fallback;
  }
}
