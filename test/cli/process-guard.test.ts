import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { guardProcess } from '../../src/cli/process-guard.ts';

function guarded(rejectionsLoggedInFull = 2) {
  const process = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  const guard = guardProcess({
    process: process as unknown as Pick<NodeJS.Process, 'on'>, logError: (line) => lines.push(line), stopAndExit: (code) => exits.push(code), rejectionsLoggedInFull,
  });
  return { process, lines, exits, guard };
}

describe('guardProcess', () => {
  test('an unhandled rejection is logged, rate-limited, and the services keep running', () => {
    const { process, lines, exits, guard } = guarded();
    process.emit('unhandledRejection', new Error('lost write'));
    process.emit('unhandledRejection', null);
    for (let i = 0; i < 1998; i++) process.emit('unhandledRejection', 'again');
    expect(exits).toEqual([]);
    expect(guard.rejections()).toBe(2000);
    expect(lines[0]).toMatch(/^error: a promise rejection nothing handled \(the services keep running\): lost write\nError: lost write/);
    expect(lines[1]).toBe('error: a promise rejection nothing handled (the services keep running): a thrown null');
    expect(lines.slice(2)).toEqual([
      'error: 1000 promise rejections nothing handled so far (the services keep running)',
      'error: 2000 promise rejections nothing handled so far (the services keep running)',
    ]);
  });

  test('an uncaught exception is logged and stops everything gracefully, once, with exit code 1', () => {
    const { process, lines, exits } = guarded();
    process.emit('uncaughtException', JSON.parse(`${'['.repeat(50_000)}${']'.repeat(50_000)}`));
    process.emit('uncaughtException', new TypeError('while stopping'));
    expect(exits).toEqual([1]);
    expect(lines[0]).toBe('fatal: an exception nothing caught: a thrown [[[[...]]]]');
    expect(lines[1]).toBe('fatal: stopping, writing every accepted document, then exiting 1');
    expect(lines[2]).toMatch(/^fatal: an exception nothing caught: while stopping\nTypeError: while stopping/);
    expect(lines).toHaveLength(3);
  });
});
