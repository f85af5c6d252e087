/**
 * Typed, bounded fields of the sampling operations' request bodies. Every failure is an
 * InvalidRequestException naming the field by its full path (e.g. `SamplingRule.FixedRate`), with
 * the limits of the X-Ray API's model.
 */
import { invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { describe } from '../http/json-fields.ts';

/** Absent and null are the same to the SDKs' serializers. */
function given(body: JsonObject, field: string): boolean {
  return body[field] !== undefined && body[field] !== null;
}

function missing(path: string): Error {
  return invalidRequest(`${path} is required`);
}

export function nestedObject(body: JsonObject, field: string): JsonObject {
  if (!given(body, field)) throw missing(field);
  const value = body[field];
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`${field} must be an object, got ${describe(value)}`);
  return value as JsonObject;
}

/** An object inside a field of the body, e.g. `SamplingRule.SamplingRateBoost`; undefined when absent or null. */
export function optionalObject(body: JsonObject, field: string, prefix: string): JsonObject | undefined {
  if (!given(body, field)) return undefined;
  const value = body[field];
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`${prefix}${field} must be an object, got ${describe(value)}`);
  return value as JsonObject;
}

export interface StringLimits {
  readonly min?: number;
  readonly max?: number;
}

export function optionalBoundedString(body: JsonObject, field: string, prefix: string, limits: StringLimits = {}): string | undefined {
  if (!given(body, field)) return undefined;
  const value = body[field];
  const path = `${prefix}${field}`;
  if (typeof value !== 'string') throw invalidRequest(`${path} must be a string, got ${describe(value)}`);
  const { min = 0, max } = limits;
  if (value.length < min || (max !== undefined && value.length > max)) {
    const range = max === undefined ? `at least ${min}` : min === max ? `exactly ${max}` : min === 0 ? `at most ${max}` : `${min} to ${max}`;
    throw invalidRequest(`${path} must be ${range} characters long, got ${value.length}`);
  }
  return value;
}

export function boundedString(body: JsonObject, field: string, prefix: string, limits: StringLimits = {}): string {
  const value = optionalBoundedString(body, field, prefix, limits);
  if (value === undefined) throw missing(`${prefix}${field}`);
  return value;
}

export interface NumberLimits {
  readonly min: number;
  readonly max: number;
}

/** Java's int, the model's Integer: what AWS takes when no tighter range is given. */
export const MAX_INT = 2 ** 31 - 1;

export function optionalWholeNumber(body: JsonObject, field: string, prefix: string, limits: NumberLimits): number | undefined {
  if (!given(body, field)) return undefined;
  const value = body[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < limits.min || value > limits.max) {
    const range = limits.max === MAX_INT ? `>= ${limits.min}` : `from ${limits.min} to ${limits.max}`;
    throw invalidRequest(`${prefix}${field} must be a whole number ${range}, got ${describe(value)}`);
  }
  return value;
}

export function wholeNumber(body: JsonObject, field: string, prefix: string, limits: NumberLimits): number {
  const value = optionalWholeNumber(body, field, prefix, limits);
  if (value === undefined) throw missing(`${prefix}${field}`);
  return value;
}

export function optionalFraction(body: JsonObject, field: string, prefix: string): number | undefined {
  if (!given(body, field)) return undefined;
  const value = body[field];
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw invalidRequest(`${prefix}${field} must be a number from 0 to 1, got ${describe(value)}`);
  }
  return value;
}

export function fraction(body: JsonObject, field: string, prefix: string): number {
  const value = optionalFraction(body, field, prefix);
  if (value === undefined) throw missing(`${prefix}${field}`);
  return value;
}

/** A timestamp as the rest-json protocol sends it: epoch seconds, fractions allowed. */
export function epochSeconds(body: JsonObject, field: string, prefix: string): number {
  if (!given(body, field)) throw missing(`${prefix}${field}`);
  const value = body[field];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidRequest(`${prefix}${field} must be a timestamp in epoch seconds, got ${describe(value)}`);
  }
  return value;
}

export interface MapLimits {
  readonly maxEntries: number;
  readonly key: Required<StringLimits>;
  readonly value: Required<StringLimits>;
}

export function optionalStringMap(body: JsonObject, field: string, prefix: string, limits: MapLimits): Record<string, string> | undefined {
  if (!given(body, field)) return undefined;
  const value = body[field];
  const path = `${prefix}${field}`;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`${path} must be an object of strings, got ${describe(value)}`);
  const entries = Object.entries(value as JsonObject);
  if (entries.length > limits.maxEntries) throw invalidRequest(`${path} must have at most ${limits.maxEntries} entries, got ${entries.length}`);
  for (const [key, item] of entries) {
    if (key.length < limits.key.min || key.length > limits.key.max) {
      throw invalidRequest(`${path} keys must be ${limits.key.min} to ${limits.key.max} characters long, got ${describe(key)}`);
    }
    optionalBoundedString(value as JsonObject, key, `${path}.`, limits.value);
    if (typeof item !== 'string') throw invalidRequest(`${path}.${key} must be a string, got ${describe(item)}`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
