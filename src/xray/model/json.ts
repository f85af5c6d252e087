import { isRecord as isAnyRecord } from '../../common/is-record.ts';

/** JSON as the service reads it, untrusted: one test for "an object", used wherever JSON is read. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** A JSON object: not null, not an array (the project's one test, read-only here). */
export const isRecord: (value: unknown) => value is JsonObject = isAnyRecord;
