/** A source of uniform numbers in [0, 1), like Math.random; injected so tests are deterministic. */
export type Random = () => number;
/** Wall-clock time in epoch milliseconds, like Date.now; injected so tests are deterministic. */
export type Clock = () => number;

function hexDigits(random: Random, count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += Math.floor(random() * 16).toString(16);
  return out;
}

/** Makes X-Ray ids: trace ids `1-<8 hex epoch seconds>-<24 hex>` and 16-hex-digit segment ids. */
export class IdGenerator {
  constructor(
    private readonly random: Random = Math.random,
    private readonly clock: Clock = Date.now,
  ) {}

  traceId(): string {
    const seconds = Math.floor(this.clock() / 1000).toString(16).padStart(8, '0');
    return `1-${seconds}-${hexDigits(this.random, 24)}`;
  }

  segmentId(): string {
    return hexDigits(this.random, 16);
  }

  /** A Lambda request id: a version 4 UUID. */
  requestId(): string {
    const hex = hexDigits(this.random, 32);
    const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** A deterministic Random for tests and reproducible runs (mulberry32). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
