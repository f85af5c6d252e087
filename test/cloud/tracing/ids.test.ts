import { describe, expect, it } from 'vitest';
import { IdGenerator, seededRandom } from '../../../src/cloud/tracing/ids.ts';

describe('IdGenerator', () => {
  it('makes trace ids from the clock\'s epoch seconds and 24 random hex digits', () => {
    const ids = new IdGenerator(seededRandom(1), () => 1_700_000_000_999);
    const traceId = ids.traceId();
    expect(traceId).toMatch(/^1-6553f100-[0-9a-f]{24}$/);
  });

  it('makes 16-hex-digit segment ids and version 4 request ids', () => {
    const ids = new IdGenerator(seededRandom(2), () => 0);
    for (let i = 0; i < 50; i += 1) {
      expect(ids.segmentId()).toMatch(/^[0-9a-f]{16}$/);
      expect(ids.requestId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('is deterministic for a seeded random source and differs between seeds', () => {
    const a = new IdGenerator(seededRandom(7), () => 0);
    const b = new IdGenerator(seededRandom(7), () => 0);
    const c = new IdGenerator(seededRandom(8), () => 0);
    const first = [a.segmentId(), a.traceId()];
    expect([b.segmentId(), b.traceId()]).toEqual(first);
    expect([c.segmentId(), c.traceId()]).not.toEqual(first);
  });

  it('does not repeat segment ids over many draws', () => {
    const ids = new IdGenerator(seededRandom(3), () => 0);
    const seen = new Set(Array.from({ length: 10_000 }, () => ids.segmentId()));
    expect(seen.size).toBe(10_000);
  });
});
