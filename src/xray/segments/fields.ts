/**
 * Reads the documented value of a segment document field that validation keeps as sent: the
 * value when it has the type the developer guide documents, else nothing. Summaries, the map and
 * the store read such fields only through these, so a `namespace: "local"`, a status written as
 * text or an `annotations` that is a string is ignored rather than misread or thrown on.
 */
import { isRecord, type JsonObject } from '../model/json.ts';
import type { AnnotationValue } from '../model/segment-document.ts';

export type { AnnotationValue, JsonObject };

/** A JSON object (not an array, not null). */
export function objectField(value: unknown): JsonObject | undefined {
  return isRecord(value) ? value : undefined;
}

export function textField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * `http.response.status` when it is an HTTP status code: a whole number from 100 to 599. Anything
 * else (text, 1e300, 2.5) stays in the document and is not read: the summaries' status column is an
 * SQLite INTEGER, and fault, error and throttle are decided by the code's class.
 */
export function httpStatusOf(http: unknown): number | undefined {
  const status = objectField(objectField(http)?.['response'])?.['status'];
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

/** `http.request`, when it is an object. */
export function httpRequestOf(http: unknown): JsonObject | undefined {
  return objectField(objectField(http)?.['request']);
}

/** `namespace` when it is one of the documented values that mark a downstream call. */
export function callNamespaceOf(namespace: unknown): 'aws' | 'remote' | undefined {
  return namespace === 'aws' || namespace === 'remote' ? namespace : undefined;
}

/** The annotations whose value is a string, a finite number or a boolean, in document order. */
export function annotationEntries(annotations: unknown): Array<[string, AnnotationValue]> {
  const object = objectField(annotations);
  if (object === undefined) return [];
  const entries: Array<[string, AnnotationValue]> = [];
  for (const key in object) {
    const value = object[key];
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      entries.push([key, value]);
    }
  }
  return entries;
}

/** The items of an array field that are objects (cause.exceptions, links); others are skipped. */
export function objectItems(value: unknown): JsonObject[] {
  if (!Array.isArray(value)) return [];
  const items: JsonObject[] = [];
  for (const item of value as unknown[]) {
    const object = objectField(item);
    if (object !== undefined) items.push(object);
  }
  return items;
}
