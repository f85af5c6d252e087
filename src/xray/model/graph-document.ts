/**
 * The narrow, read-only view of segment documents that the graph builder reads: the fields of
 * `SegmentDocument` it uses, typed as segments/document.ts types them, so the store's parsed
 * documents fit it and nothing here depends on the store.
 *
 * Documents may carry their subsegments nested, as standalone documents (`type: "subsegment"`
 * with `parent_id`), or both (a folded copy and the original): ids are deduplicated.
 */
import type { SegmentDocument } from './segment-document.ts';

/** The fields the graph reads; those not typed as documented are read through segments/fields.ts. */
type GraphField =
  | 'id' | 'name' | 'start_time' | 'end_time' | 'in_progress' | 'type' | 'parent_id' | 'origin' | 'namespace'
  | 'error' | 'fault' | 'throttle' | 'cause' | 'http' | 'aws' | 'links';

/** A segment or a subsegment, nested or standalone. */
export interface GraphEntity extends Pick<SegmentDocument, GraphField> {
  readonly subsegments?: readonly GraphEntity[];
}

/** A top-level document of one trace. */
export type GraphDocument = GraphEntity;
