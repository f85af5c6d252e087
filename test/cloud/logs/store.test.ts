import { afterEach, describe, expect, it } from 'vitest';
import { filterLogEvents } from '../../../src/cloud/logs/filter-events.ts';
import { LogStore, LogStoreError } from '../../../src/cloud/logs/store.ts';

const DAY_MS = 86_400_000;
const TRACE_A = '1-67500000-aaaaaaaaaaaaaaaaaaaaaaaa';
const TRACE_B = '1-67500000-bbbbbbbbbbbbbbbbbbbbbbbb';

describe('LogStore', () => {
  let nowMs = 100 * DAY_MS;
  const stores: LogStore[] = [];
  const open = (options: { maxEvents?: number } = {}): LogStore => {
    const store = new LogStore({ file: ':memory:', nowMs: () => nowMs, ...options });
    stores.push(store);
    return store;
  };
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    nowMs = 100 * DAY_MS;
  });

  it('creates groups and streams once, and refuses a stream in a missing group', () => {
    const store = open();
    store.createGroup('/g');
    expect(() => store.createGroup('/g')).toThrow(LogStoreError);
    store.createStream('/g', 's');
    expect(() => store.createStream('/g', 's')).toThrow('already exists');
    expect(() => store.createStream('/missing', 's')).toThrow('log group does not exist');
    expect(() => store.append('/g', 'other', [{ timestampMs: nowMs, message: 'x' }])).toThrow('log stream does not exist');
  });

  it('keeps stream times and hands every committed batch to the ingestion listeners', () => {
    const store = open();
    const seen: string[] = [];
    store.onIngest((group, stream, events) => seen.push(`${group} ${stream} ${events.map((event) => event.message).join(',')}`));
    store.append('/aws/lambda/f', '2026/12/04/[$LATEST]abc', [{ timestampMs: nowMs - 5, message: 'a' }, { timestampMs: nowMs - 1, message: 'b' }], { createStream: true });
    expect(seen).toEqual(['/aws/lambda/f 2026/12/04/[$LATEST]abc a,b']);
    expect(store.streams('/aws/lambda/f', { limit: 10 })).toEqual([
      { groupName: '/aws/lambda/f', name: '2026/12/04/[$LATEST]abc', createdMs: nowMs, firstEventMs: nowMs - 5, lastEventMs: nowMs - 1, lastIngestionMs: nowMs },
    ]);
  });

  it('finds a trace\'s lines by the ids written in them and by the writer\'s trace', () => {
    const store = open();
    store.append('/g', 's', [
      { timestampMs: 1, message: 'START RequestId: r1 Version: $LATEST', traceId: TRACE_A },
      { timestampMs: 2, message: `{"level":"INFO","xray_trace_id":"${TRACE_A}"}`, traceId: TRACE_A },
      { timestampMs: 3, message: `{"level":"INFO","xray_trace_id":"${TRACE_B}"}` },
      { timestampMs: 4, message: `both ${TRACE_A} ${TRACE_B}` },
    ], { createStream: true });
    nowMs = 10;
    const messages = (request: Parameters<typeof filterLogEvents>[1]): string[] => filterLogEvents(store, request).events.map((event) => event.message);
    // A filter pattern matches the text: START carries no trace id.
    expect(messages({ groupName: '/g', pattern: `"${TRACE_A}"` })).toEqual([`{"level":"INFO","xray_trace_id":"${TRACE_A}"}`, `both ${TRACE_A} ${TRACE_B}`]);
    expect(messages({ groupName: '/g', pattern: `{ $.xray_trace_id = "${TRACE_B}" }` })).toEqual([`{"level":"INFO","xray_trace_id":"${TRACE_B}"}`]);
    // The trace's lines, as the console and the CLI's --trace show them: the invocation's own too.
    expect(messages({ groupName: '/g', traceId: TRACE_A })).toHaveLength(3);
    expect(store.groupsOfTrace(TRACE_B)).toEqual(['/g']);
  });

  it('pages in time order with tokens and bounded pages', () => {
    const store = open();
    store.append('/g', 's', Array.from({ length: 25 }, (_, i) => ({ timestampMs: 1000 - i, message: `m${i}` })), { createStream: true });
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = filterLogEvents(store, { groupName: '/g', limit: 10, ...(token !== undefined ? { nextToken: token } : {}) });
      seen.push(...page.events.map((event) => event.message));
      token = page.nextToken;
    } while (token !== undefined);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `m${24 - i}`));
    expect(() => filterLogEvents(store, { groupName: '/g', nextToken: 'nonsense' })).toThrow('nextToken is invalid');
  });

  it('hides and sweeps events older than the retention, by the injected clock', () => {
    const store = open();
    store.createGroup('/g', 1);
    store.createStream('/g', 's');
    store.append('/g', 's', [{ timestampMs: nowMs - 2 * DAY_MS, message: 'old', traceId: TRACE_A }, { timestampMs: nowMs - 1000, message: 'new' }]);
    expect(filterLogEvents(store, { groupName: '/g' }).events.map((event) => event.message)).toEqual(['new']);
    store.setRetention('/g', undefined);
    expect(filterLogEvents(store, { groupName: '/g' }).events).toHaveLength(2);
    store.setRetention('/g', 1);
    expect(store.sweep()).toBe(1);
    nowMs += 2 * DAY_MS;
    expect(store.sweep()).toBe(1);
    store.setRetention('/g', undefined);
    expect(filterLogEvents(store, { groupName: '/g' }).events).toEqual([]);
    expect(store.groupsOfTrace(TRACE_A)).toEqual([]);
  });

  it('keeps at most maxEvents, dropping the oldest', () => {
    const store = open({ maxEvents: 3 });
    store.append('/g', 's', Array.from({ length: 5 }, (_, i) => ({ timestampMs: nowMs - 10 + i, message: `m${i}` })), { createStream: true });
    expect(store.group('/g').storedBytes).toBe(10);
    expect(store.sweep()).toBe(2);
    expect(filterLogEvents(store, { groupName: '/g' }).events.map((event) => event.message)).toEqual(['m2', 'm3', 'm4']);
    // storedBytes follows what is held: three two-byte messages.
    expect(store.group('/g').storedBytes).toBe(6);
  });

  it('deletes a group with its streams and events', () => {
    const store = open();
    store.append('/g', 's', [{ timestampMs: 1, message: TRACE_A }], { createStream: true });
    store.deleteGroup('/g');
    expect(store.hasGroup('/g')).toBe(false);
    expect(store.groupsOfTrace(TRACE_A)).toEqual([]);
    store.createGroup('/g');
    expect(store.streams('/g', { limit: 10 })).toEqual([]);
  });
});

describe('LogStore.isOpen', () => {
  it('says whether the store can still be read', () => {
    const store = new LogStore({ file: ':memory:' });
    expect(store.isOpen).toBe(true);
    store.close();
    expect(store.isOpen).toBe(false);
  });
});
