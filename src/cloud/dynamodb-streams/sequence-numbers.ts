/**
 * Stream sequence numbers and shard ids as DynamoDB Streams spells them: a sequence number is a
 * string of decimal digits, increasing within a shard (here: the row id of the record in the store,
 * offset so that it has DynamoDB's 21 digits); clients compare them as numbers, never parse them.
 */
import { createHash } from 'node:crypto';

const OFFSET = 4n * 10n ** 20n;

/** The wire form of a store position: `400000000000000000042`. */
export function formatSequenceNumber(position: number): string {
  return (OFFSET + BigInt(position)).toString();
}

/** The store position of a sequence number, or undefined when it is not one this endpoint hands out. */
export function parseSequenceNumber(text: string): number | undefined {
  if (!/^\d{1,40}$/.test(text)) return undefined;
  const position = BigInt(text) - OFFSET;
  if (position < 0n || position > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(position);
}

/** `shardId-00000001733349447123-1a2b3c4d`: the stream's creation time and a hash of its ARN. */
export function shardIdOf(streamArn: string, createdMs: number): string {
  return `shardId-${String(createdMs).padStart(20, '0')}-${createHash('sha256').update(streamArn).digest('hex').slice(0, 8)}`;
}

/** A stream label: its creation time, `2026-12-04T21:57:27.123` (ISO 8601 in UTC without the zone). */
export function streamLabelOf(createdMs: number): string {
  return new Date(createdMs).toISOString().replace(/Z$/, '');
}
