import { describe, expect, test } from 'vitest';
import { RETRIEVAL_TIMEOUT_MS, TraceRetrievals, type RetrievalResult } from '../../../src/xray/transaction-search/retrievals.ts';

const RESULT: RetrievalResult = { traces: [{ id: '1-a-b', duration: 1, segments: [] }], services: [] };

function retrievals(read: () => Promise<RetrievalResult>) {
  const tasks: Array<() => void> = [];
  const clock = { nowMs: 0 };
  let next = 0;
  const subject = new TraceRetrievals({ read, nowMs: () => clock.nowMs, schedule: (task) => tasks.push(task), newToken: () => `t${++next}` });
  return { subject, tasks, clock };
}

describe('trace retrievals: status transitions', () => {
  test('SCHEDULED, RUNNING while it reads, then COMPLETE with its result', async () => {
    let finish!: (result: RetrievalResult) => void;
    const { subject, tasks } = retrievals(() => new Promise((resolve) => (finish = resolve)));
    const token = subject.start({ traceIds: ['1-a-b'], startTime: 0, endTime: 1 });
    expect(subject.get(token)).toEqual({ token, status: 'SCHEDULED', result: undefined });
    tasks.shift()!();
    expect(subject.get(token).status).toBe('RUNNING');
    finish(RESULT);
    await Promise.resolve();
    await Promise.resolve();
    expect(subject.get(token)).toEqual({ token, status: 'COMPLETE', result: RESULT });
  });

  test('CANCELLED before or while it runs, and the result that arrives later is dropped', async () => {
    let finish!: (result: RetrievalResult) => void;
    const { subject, tasks } = retrievals(() => new Promise((resolve) => (finish = resolve)));
    const first = subject.start({ traceIds: [], startTime: 0, endTime: 1 });
    expect(subject.cancel(first).status).toBe('CANCELLED');
    tasks.shift()!();
    expect(subject.get(first).status).toBe('CANCELLED');
    const second = subject.start({ traceIds: [], startTime: 0, endTime: 1 });
    tasks.shift()!();
    subject.cancel(second);
    finish(RESULT);
    await Promise.resolve();
    expect(subject.get(second)).toEqual({ token: second, status: 'CANCELLED', result: undefined });
  });

  test('FAILED when reading fails; TIMEOUT after 60 minutes unfinished', async () => {
    const failing = retrievals(() => Promise.reject(new Error('disk')));
    const token = failing.subject.start({ traceIds: [], startTime: 0, endTime: 1 });
    failing.tasks.shift()!();
    await Promise.resolve();
    await Promise.resolve();
    expect(failing.subject.get(token).status).toBe('FAILED');

    const slow = retrievals(() => new Promise(() => {}));
    const late = slow.subject.start({ traceIds: [], startTime: 0, endTime: 1 });
    slow.clock.nowMs = RETRIEVAL_TIMEOUT_MS - 1;
    expect(slow.subject.get(late).status).toBe('SCHEDULED');
    slow.clock.nowMs = RETRIEVAL_TIMEOUT_MS;
    expect(slow.subject.get(late).status).toBe('TIMEOUT');
  });
});
