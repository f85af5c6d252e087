/**
 * CreateTable's and UpdateTable's `StreamSpecification`, read and checked as DynamoDB checks it
 * (dynalite knows nothing of streams, so the endpoint takes the member out before it forwards).
 */
import { AwsError } from '../protocol/errors.ts';
import type { StreamViewType } from './stream-record.ts';
import { STREAM_VIEW_TYPES } from './stream-record.ts';

export const VALIDATE = 'com.amazon.coral.validate';

export type StreamSpecification = { readonly enabled: true; readonly viewType: StreamViewType } | { readonly enabled: false };

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, { namespace: VALIDATE });
}

/** The request's StreamSpecification, or undefined when it has none; a malformed one is DynamoDB's ValidationException. */
export function readStreamSpecification(value: unknown): StreamSpecification | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw validation('StreamSpecification must be a structure');
  const spec = value as Record<string, unknown>;
  const enabled = spec['StreamEnabled'];
  const viewType = spec['StreamViewType'];
  if (enabled === undefined || enabled === null) {
    throw validation("1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null");
  }
  if (typeof enabled !== 'boolean') throw validation('StreamSpecification.StreamEnabled must be a boolean');
  if (viewType !== undefined && viewType !== null && (typeof viewType !== 'string' || !(STREAM_VIEW_TYPES as readonly string[]).includes(viewType))) {
    throw validation(`1 validation error detected: Value '${String(viewType)}' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [${STREAM_VIEW_TYPES.join(', ')}]`);
  }
  if (!enabled) return { enabled: false };
  if (typeof viewType !== 'string') throw validation('StreamViewType is required when StreamEnabled is true');
  return { enabled: true, viewType: viewType as StreamViewType };
}
