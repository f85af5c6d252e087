/**
 * One change to an item as DynamoDB Streams records it: INSERT, MODIFY or REMOVE with the images
 * the stream's view type keeps. The typed change is stored; the wire record (GetRecords' `Record`,
 * Lambda's event record) is built from it when read.
 */
import { formatSequenceNumber } from './sequence-numbers.ts';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export const STREAM_VIEW_TYPES: readonly StreamViewType[] = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'];

/** An item in DynamoDB's JSON (`{"id": {"S": "a"}}`). */
export type Item = Readonly<Record<string, unknown>>;
export type EventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** What is kept of a change: the images the view type asks for, nothing more. */
export interface StoredChange {
  readonly eventId: string;
  readonly eventName: EventName;
  readonly region: string;
  readonly viewType: StreamViewType;
  readonly keys: Item;
  readonly newImage?: Item;
  readonly oldImage?: Item;
  readonly sizeBytes: number;
}

/** A change as the store returns it: its position and when it was written. */
export interface StoredRecord {
  readonly position: number;
  readonly createdMs: number;
  readonly change: StoredChange;
}

/** The change between two images of one item, or undefined when the write changed nothing (DynamoDB then writes no record). */
export function changeOf(
  input: { readonly keys: Item; readonly oldImage: Item | undefined; readonly newImage: Item | undefined; readonly viewType: StreamViewType; readonly region: string; readonly eventId: string },
): StoredChange | undefined {
  const { oldImage, newImage, viewType } = input;
  if (oldImage === undefined && newImage === undefined) return undefined;
  if (oldImage !== undefined && newImage !== undefined && canonical(oldImage) === canonical(newImage)) return undefined;
  const eventName: EventName = oldImage === undefined ? 'INSERT' : newImage === undefined ? 'REMOVE' : 'MODIFY';
  const keepNew = (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && newImage !== undefined;
  const keepOld = (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && oldImage !== undefined;
  const kept = { keys: input.keys, ...(keepNew ? { newImage } : {}), ...(keepOld ? { oldImage } : {}) };
  return { eventId: input.eventId, eventName, region: input.region, viewType, ...kept, sizeBytes: sizeBytesOf(kept) };
}

/**
 * The record's size as DynamoDB counts an item: the UTF-8 bytes of every attribute name and value
 * of the keys and images it carries (numbers and binaries by their text, an approximation).
 */
function sizeBytesOf(images: { keys: Item; newImage?: Item; oldImage?: Item }): number {
  let bytes = 0;
  for (const image of [images.keys, images.newImage, images.oldImage]) {
    if (image === undefined) continue;
    for (const [name, value] of Object.entries(image)) bytes += Buffer.byteLength(name) + valueBytes(value);
  }
  return bytes;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, item: unknown) => sum + valueBytes(item), 0);
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).reduce((sum, [name, item]) => sum + (/^[A-Z]{1,4}$/.test(name) ? 0 : Buffer.byteLength(name)) + valueBytes(item), 0);
  return String(value).length;
}

/** An image as a string that ignores attribute order and the order within sets. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => {
      // String, number and binary sets are sets: their members' order is not data.
      const members = (name === 'SS' || name === 'NS' || name === 'BS') && Array.isArray(item) ? [...(item as unknown[])].map(String).sort() : item;
      return `${JSON.stringify(name)}:${canonical(members)}`;
    }).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A record as GetRecords returns it (Lambda's event record adds `eventSourceARN`). */
export interface WireStreamRecord {
  readonly eventID: string;
  readonly eventName: EventName;
  readonly eventVersion: '1.1';
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly dynamodb: {
    readonly ApproximateCreationDateTime: number;
    readonly Keys: Item;
    readonly NewImage?: Item;
    readonly OldImage?: Item;
    readonly SequenceNumber: string;
    readonly SizeBytes: number;
    readonly StreamViewType: StreamViewType;
  };
}

/** The record as GetRecords returns it. */
export function wireRecord(record: StoredRecord): WireStreamRecord {
  const { change } = record;
  return {
    eventID: change.eventId,
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: change.region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(record.createdMs / 1000),
      Keys: change.keys,
      ...(change.newImage !== undefined ? { NewImage: change.newImage } : {}),
      ...(change.oldImage !== undefined ? { OldImage: change.oldImage } : {}),
      SequenceNumber: formatSequenceNumber(record.position),
      SizeBytes: change.sizeBytes,
      StreamViewType: change.viewType,
    },
  };
}
