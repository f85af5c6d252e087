import { isUtf8 } from 'node:buffer';
import { invalidRequest } from './errors.ts';
import { isRecord, type JsonObject } from '../model/json.ts';

/**
 * Reads typed fields out of a parsed JSON request body. Every failure is an InvalidRequestException
 * whose message names the field and what was wrong with it.
 */
export type { JsonObject };

/** The body as text; bytes that are not UTF-8 are refused rather than stored as U+FFFD. */
export function parseJsonBody(body: Buffer): JsonObject {
  if (!isUtf8(body)) throw invalidRequest('request body is not valid UTF-8');
  return parseJsonObject(body.toString('utf8'));
}

function parseJsonObject(text: string): JsonObject {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidRequest(`request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(value)) {
    throw invalidRequest(`request body must be a JSON object, got ${describe(value)}`);
  }
  return value as JsonObject;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function present(body: JsonObject, field: string): boolean {
  return body[field] !== undefined && body[field] !== null;
}

/** `prefix` names where a nested object sits, e.g. `Documents[2].`, so messages give the full path. */
export function requiredField(body: JsonObject, field: string, prefix = ''): unknown {
  if (!present(body, field)) throw invalidRequest(`${prefix}${field} is required`);
  return body[field];
}

export function requiredString(body: JsonObject, field: string, prefix = ''): string {
  const value = requiredField(body, field, prefix);
  if (typeof value !== 'string' || value === '') {
    throw invalidRequest(`${prefix}${field} must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

export function requiredNumber(body: JsonObject, field: string, prefix = ''): number {
  const value = requiredField(body, field, prefix);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidRequest(`${prefix}${field} must be a number, got ${describe(value)}`);
  }
  return value;
}

export function optionalNumber(body: JsonObject, field: string, prefix = ''): number | undefined {
  if (!present(body, field)) return undefined;
  return requiredNumber(body, field, prefix);
}

/** A timestamp as the rest-json protocol sends it: epoch seconds, fractions allowed. */
export function requiredEpochSeconds(body: JsonObject, field: string): number {
  const value = requiredField(body, field);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidRequest(`${field} must be a timestamp in epoch seconds, got ${describe(value)}`);
  }
  return value;
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  if (!present(body, field)) return undefined;
  const value = body[field];
  if (typeof value !== 'string') throw invalidRequest(`${field} must be a string, got ${describe(value)}`);
  return value;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  if (!present(body, field)) return undefined;
  const value = body[field];
  if (typeof value !== 'boolean') throw invalidRequest(`${field} must be a boolean, got ${describe(value)}`);
  return value;
}

export function optionalEnum<T extends string>(body: JsonObject, field: string, allowed: ReadonlyArray<T>): T | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  if (!(allowed as ReadonlyArray<string>).includes(value)) {
    throw invalidRequest(`${field} must be one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function requiredEnum<T extends string>(body: JsonObject, field: string, allowed: ReadonlyArray<T>): T {
  requiredField(body, field);
  return optionalEnum(body, field, allowed) as T;
}

export interface ArrayLimits {
  readonly min?: number;
  readonly max?: number;
}

export function requiredArray(body: JsonObject, field: string, limits: ArrayLimits = {}): unknown[] {
  const value = requiredField(body, field);
  if (!Array.isArray(value)) throw invalidRequest(`${field} must be an array, got ${describe(value)}`);
  if (limits.min !== undefined && value.length < limits.min) {
    throw invalidRequest(`${field} must have at least ${limits.min} item${limits.min === 1 ? '' : 's'}, got ${value.length}`);
  }
  if (limits.max !== undefined && value.length > limits.max) {
    throw invalidRequest(`${field} must have at most ${limits.max} items, got ${value.length}`);
  }
  return value;
}

export function requiredStringArray(body: JsonObject, field: string, limits: ArrayLimits = {}): string[] {
  const items = requiredArray(body, field, limits);
  items.forEach((item, index) => {
    if (typeof item !== 'string') throw invalidRequest(`${field}[${index}] must be a string, got ${describe(item)}`);
  });
  return items as string[];
}

export function requiredObjectArray(body: JsonObject, field: string, limits: ArrayLimits = {}): JsonObject[] {
  const items = requiredArray(body, field, limits);
  items.forEach((item, index) => {
    if (!isRecord(item)) {
      throw invalidRequest(`${field}[${index}] must be an object, got ${describe(item)}`);
    }
  });
  return items as JsonObject[];
}
