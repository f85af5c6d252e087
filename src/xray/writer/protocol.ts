import type { SegmentRecord } from '../model/trace.ts';

/** Messages between the service and the store writer thread. */
export type WriterRequest =
  | { readonly id: number; readonly op: 'write'; readonly records: ReadonlyArray<SegmentRecord> }
  | { readonly id: number; readonly op: 'refresh' }
  | { readonly id: number; readonly op: 'deleteTracesBefore'; readonly epochSeconds: number }
  | { readonly id: number; readonly op: 'close' };

/** `value`: deleteTracesBefore's count; for refresh and close, the rows the store skipped as unusable so far. */
export type WriterReply =
  | { readonly id: number; readonly ok: true; readonly value?: number }
  | { readonly id: number; readonly ok: false; readonly message: string };

export interface WriterData {
  /** file: URL of the thread's module, loaded once TypeScript support is registered. */
  readonly entry: string;
  readonly file: string;
  /** See SqliteTraceStoreOptions. */
  readonly walAutocheckpointPages?: number;
}

/** The checkpointer thread's data; its only message is `'close'`, answered by closing. */
export interface CheckpointerData {
  readonly entry: string;
  readonly file: string;
  readonly intervalMillis: number;
}
