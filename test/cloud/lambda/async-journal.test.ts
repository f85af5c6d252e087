import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AsyncJournal } from '../../../src/cloud/lambda/async-journal.ts';
import type { JournaledEvent } from '../../../src/cloud/lambda/async-journal.ts';
import { LambdaService } from '../../../src/cloud/lambda/service.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { capturingLogger, functionConfig, writeBundle } from './support.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'lambda-journal-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

function event(requestId: string): JournaledEvent {
  return { functionName: 'fn', payload: { n: requestId }, trace: { root: '1-6553f100-000000000000000000000000', parent: undefined, sampled: true }, serviceSegmentId: '0000000000000001', requestId, acceptedAt: 1 };
}

describe('AsyncJournal', () => {
  it('gives back the events accepted and not finished, skipping a torn last line', () => {
    const journal = new AsyncJournal(join(ROOT, 'unit', 'events.jsonl'));
    journal.rewrite([]);
    journal.accepted(event('a'));
    journal.accepted(event('b'));
    journal.finished('a');
    journal.accepted(event('c'));
    appendFileSync(journal.path, '{"op":"accepted","event":{"functionN');
    const warnings: string[] = [];
    expect(journal.pending((message) => warnings.push(message)).map((pending) => pending.requestId)).toEqual(['b', 'c']);
    expect(warnings).toEqual([`${journal.path} line 5 is not JSON and is skipped`]);
    journal.rewrite(journal.pending(() => {}));
    expect(readFileSync(journal.path, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('has nothing pending when there is no file yet', () => {
    expect(new AsyncJournal(join(ROOT, 'none', 'events.jsonl')).pending(() => {})).toEqual([]);
  });
});

describe('LambdaService with a journal', () => {
  it('runs an event a stop interrupted again on the next start, and only once', async () => {
    const journalFile = join(ROOT, 'service', 'async-events.jsonl');
    const hangs = writeBundle(ROOT, 'hangs', 'export const handler = () => new Promise(() => {});');
    const works = writeBundle(ROOT, 'works', "export const handler = async (event) => { console.log('ran', JSON.stringify(event)); return 'done'; };");
    const common = { endpointUrl: 'http://127.0.0.1:4566', daemonAddress: '127.0.0.1:2000', segmentSink: { send: () => {} }, random: seededRandom(5), asyncJournalFile: journalFile };

    const first = capturingLogger();
    const before = new LambdaService({ ...common, functions: [functionConfig('journaled-fn', hangs)], logger: first.logger });
    await before.start();
    expect(await before.invoke({ functionName: 'journaled-fn', payload: { order: 17 }, invocationType: 'Event' })).toEqual({ statusCode: 202 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await before.stop();
    expect(first.lines.some((line) => line.includes('interrupted after 1 attempt(s): the Lambda service stopped; it runs again on the next start'))).toBe(true);

    // The same function, now with code that completes.
    const second = capturingLogger();
    const after = new LambdaService({ ...common, functions: [functionConfig('journaled-fn', works)], logger: second.logger });
    await after.start();
    await after.drain();
    await after.stop();
    expect(second.lines).toContain('resuming 1 asynchronous invocation(s) left unfinished by the last run');
    expect(second.lines.filter((line) => line.includes('INFO\tran {"order":17}'))).toHaveLength(1);

    const third = capturingLogger();
    const again = new LambdaService({ ...common, functions: [functionConfig('journaled-fn', works)], logger: third.logger });
    await again.start();
    await again.drain();
    await again.stop();
    expect(third.lines.filter((line) => line.includes('ran '))).toEqual([]);
  });
});
