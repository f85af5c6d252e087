/** EventBridge's documented limits (API reference and "Amazon EventBridge quotas"). */

/** Entries of one PutEvents call. */
export const MAX_PUT_EVENTS_ENTRIES = 10;
/** The entries of one PutEvents call together, as "Calculating PutEvents event entry size" counts them. */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;
/** Targets of one rule. */
export const MAX_TARGETS_PER_RULE = 5;
/** Targets of one PutTargets or RemoveTargets call. */
export const MAX_TARGETS_PER_CALL = 10;
/** InputPathsMap entries of one input transformer. */
export const MAX_INPUT_PATHS = 100;

/**
 * An entry's size: 14 bytes for a Time, then the UTF-8 bytes of Source, DetailType, Detail and each
 * of Resources. The trace header does not count.
 */
export function entryBytes(entry: { time?: unknown; source?: string; detailType?: string; detail?: string; resources?: readonly string[] }): number {
  let bytes = entry.time !== undefined ? 14 : 0;
  for (const text of [entry.source, entry.detailType, entry.detail, ...(entry.resources ?? [])]) {
    if (text !== undefined) bytes += Buffer.byteLength(text, 'utf8');
  }
  return bytes;
}
