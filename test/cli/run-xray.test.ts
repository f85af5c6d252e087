import { describe, expect, test } from 'vitest';
import { stopLine } from '../../src/cli/run-xray.ts';

const udp = { received: 1200, accepted: 1190, rejected: 10, rejectedByReason: { InvalidJson: 10 }, kernelDropped: 0 };
const otlp = { requests: 30, refusedRequests: 4, acceptedSpans: 900, rejectedSpans: 2, retryableSpans: 0 };

describe('the stop line', () => {
  test('nothing lost: the counts, and no word of refusals', () => {
    expect(stopLine({ udp, otlp, store: { written: 2090, failed: 0, dropped: 0, refused: 0, pending: 0 }, unusableRows: 0 })).toBe(
      'stopped: 1200 datagrams received, 1190 accepted, 10 rejected; OTLP: 900 spans accepted, 2 rejected; 2090 documents stored, 0 lost',
    );
  });

  test('only UDP documents count as lost; what OTLP and PutTraceSegments refused was answered with a retryable error', () => {
    const line = stopLine({
      udp: { ...udp, kernelDropped: 25 },
      otlp: { ...otlp, refusedRequests: 7, retryableSpans: 300 },
      store: { written: 1700, failed: 40, dropped: 350, refused: 420, pending: 0 },
      unusableRows: 0,
    });
    expect(line).toBe(
      'stopped: 1200 datagrams received, 1190 accepted, 10 rejected; OTLP: 900 spans accepted, 2 rejected, 300 answered with a retryable error; ' +
        '1700 documents stored, 390 lost (UDP: 350 dropped while the store was behind, 40 in failed writes); ' +
        '25 datagrams dropped by the kernel before they were read (receive buffer full); 420 documents refused with a retryable error, not stored',
    );
  });

  test('without the OTLP receiver', () => {
    expect(stopLine({ udp: { ...udp, kernelDropped: undefined }, otlp: undefined, store: { written: 1190, failed: 0, dropped: 0, refused: 0, pending: 0 }, unusableRows: 0 })).toBe(
      'stopped: 1200 datagrams received, 1190 accepted, 10 rejected; 1190 documents stored, 0 lost',
    );
  });

  test('stored rows that could not be used are counted, pointing at the warnings that named them', () => {
    expect(stopLine({ udp, otlp: undefined, store: { written: 1190, failed: 0, dropped: 0, refused: 0, pending: 0 }, unusableRows: 2 })).toBe(
      'stopped: 1200 datagrams received, 1190 accepted, 10 rejected; 1190 documents stored, 0 lost; 2 stored rows skipped as unusable (see the warnings above)',
    );
  });
});
