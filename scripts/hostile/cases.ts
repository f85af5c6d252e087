/** What the harness sends: one hostile input, its class (the issue's), and how it is delivered. */

/** The classes of hostile input, plus the malformed kinds the fuzz suites already send. */
export type InputClass =
  | 'deep-nesting' | 'extreme-number' | 'huge-count' | 'huge-length' | 'slow-body' | 'malformed-http'
  | 'bad-utf8' | 'content-type' | 'random-bytes' | 'wrong-value' | 'hostile-target' | 'oversized' | 'malformed-datagram';

/**
 * whole: every byte at once. trickle: in `chunks` pieces `gapMs` apart, then complete.
 * stall: all but the last `withholdBytes` bytes, then nothing (the server must answer or close on its own).
 */
export type Delivery =
  | { readonly kind: 'whole' }
  | { readonly kind: 'trickle'; readonly chunks: number; readonly gapMs: number }
  | { readonly kind: 'stall'; readonly withholdBytes: number };

export interface StreamCase {
  readonly transport: 'tcp' | 'tls';
  readonly inputClass: InputClass;
  readonly label: string;
  readonly bytes: Buffer;
  readonly delivery: Delivery;
}

export interface DatagramCase {
  readonly transport: 'udp';
  readonly inputClass: InputClass;
  readonly label: string;
  readonly bytes: Buffer;
}

export type HostileCase = StreamCase | DatagramCase;

/** Cases that take a server's own timeout to settle run beside the others, not in their slots. */
export function isSlow(hostile: HostileCase): boolean {
  return hostile.transport !== 'udp' && hostile.delivery.kind !== 'whole';
}

export const WHOLE: Delivery = { kind: 'whole' };
