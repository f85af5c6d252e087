import { describe, expect, test } from 'vitest';
import { RejectLog } from '../../../src/xray/ingest/reject-log.ts';
import type { Logger } from '../../../src/xray/log/logger.ts';

function setup() {
  const lines: string[] = [];
  const logger: Logger = { info: () => {}, warn: (line) => lines.push(line), error: () => {} };
  let clock = 10_000;
  const log = new RejectLog(logger, () => clock, 1000);
  return { lines, log, advance: (ms: number) => (clock += ms) };
}

describe('RejectLog', () => {
  test('logs the first reject at once, then at most one line a second with counts and the last reason', () => {
    const { lines, log, advance } = setup();
    log.record('InvalidHeader', 'header "x" is not JSON');
    expect(lines).toEqual(['xray daemon: rejected 1 datagram (InvalidHeader 1); last: header "x" is not JSON']);

    for (let i = 0; i < 50; i++) {
      advance(10);
      log.record(i % 2 === 0 ? 'InvalidSegment' : 'MissingHeader', `reason ${i}`);
    }
    expect(lines).toHaveLength(1);

    advance(600);
    log.record('InvalidSegment', 'trace_id "1-abc" is not of the form 1-<8 hex>-<24 hex>');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      'xray daemon: rejected 51 datagrams (InvalidSegment 26, MissingHeader 25); last: trace_id "1-abc" is not of the form 1-<8 hex>-<24 hex>',
    );
  });

  test('flush reports what is pending once the interval has passed, and nothing twice', () => {
    const { lines, log, advance } = setup();
    log.record('A', 'first');
    log.record('B', 'second');
    log.flush();
    expect(lines).toHaveLength(1);
    advance(1000);
    log.flush();
    expect(lines[1]).toBe('xray daemon: rejected 1 datagram (B 1); last: second');
    advance(5000);
    log.flush();
    expect(lines).toHaveLength(2);
  });

  test('a forced flush reports pending rejects at once', () => {
    const { lines, log } = setup();
    log.record('A', 'first');
    log.record('A', 'again');
    log.flush(true);
    expect(lines).toEqual(['xray daemon: rejected 1 datagram (A 1); last: first', 'xray daemon: rejected 1 datagram (A 1); last: again']);
  });
});
