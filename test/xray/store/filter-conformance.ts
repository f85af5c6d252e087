/**
 * GetTraceSummaries with filter expressions, as tests that both stores run. The heart of it is a
 * property test: generated traces and generated filters, and the store's filtered pages, read to
 * the end, must list exactly the traces a brute-force `evaluate(parse(filter), view)` picks over
 * all of them, newest first, with every trace of the range counted once in TracesProcessedCount.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { GraphDocument } from '../../../src/xray/graph/index.ts';
import { evaluate, parse, print, type Expression, type TraceView } from '../../../src/xray/query/index.ts';
import { quote } from '../../../src/xray/query/print.ts';
import { InvalidQueryError } from '../../../src/xray/store/query.ts';
import { traceView } from '../../../src/xray/store/trace-view.ts';
import type { GroupDefinition, SegmentRecord, SummaryQuery, TimeRangeType, TraceStore } from '../../../src/xray/store/types.ts';
import { computeTrace } from '../../../src/xray/traces/summary.ts';
import { matchTimeRange } from '../../../src/xray/traces/time-range.ts';
import { parseRecords } from '../../../src/xray/traces/tree.ts';
import { toRecord } from '../fixtures/index.ts';
import { seededRandom } from '../graph/pattern-traces.ts';
import { HOSTILE, pick, randomFilter, randomTrace } from './filter-generate.ts';
import { apiPage } from './api-page.ts';

export type FilterStoreFactory = () => TraceStore;

const T0 = 1_700_000_000;
const ARN = 'arn:aws:xray:us-east-1:000000000000:group';
const GROUPS: readonly GroupDefinition[] = [
  { name: 'Default', arn: `${ARN}/Default`, filter: undefined },
  { name: 'faults', arn: `${ARN}/faults/F1`, filter: parse('fault OR service() { fault }') },
  { name: 'dynamo', arn: `${ARN}/dynamo/D1`, filter: parse('annotation.path BEGINSWITH "/prod/d" OR service("Hits") { throttle }') },
  { name: 'slow-users', arn: `${ARN}/slow-users/S1`, filter: parse('responsetime > 0.05 AND user') },
];
const GROUP_VALUES = [...GROUPS.flatMap((g) => [g.name, g.arn]), 'no-such-group'];

interface Stored {
  readonly id: string;
  /** Write order, which is arrival order: the second sort key of a page. */
  readonly order: number;
  readonly idEpoch: number;
  readonly records: readonly SegmentRecord[];
  readonly view: TraceView;
}

/** The traces written, with their views built apart from any store (what "brute force" means). */
function corpus(count: number, seed: number): Stored[] {
  const random = seededRandom(seed);
  const stored: Stored[] = [];
  for (let n = 1; n <= count; n++) {
    const records = randomTrace(n, T0, random).map((doc) => toRecord(JSON.stringify(doc)));
    const parsed = parseRecords(records);
    const { summary, index } = computeTrace(records[0]!.traceId, parsed);
    const documents = parsed.map((p) => p.doc as unknown as GraphDocument);
    const view = traceView({
      summary,
      documents: () => documents,
      groups: (self) => GROUPS.filter((g) => g.filter === undefined || evaluate(g.filter, self)).map(({ name, arn }) => ({ name, arn })),
    });
    stored.push({ id: records[0]!.traceId, order: n, idEpoch: index.idEpoch, records, view });
  }
  return stored;
}

/** Every page of a query, with a bound on their number. */
function readAll(store: TraceStore, query: SummaryQuery): { ids: string[]; processed: number; pages: number } {
  const ids: string[] = [];
  let processed = 0;
  let cursor: string | undefined;
  for (let pages = 1; pages <= 1000; pages++) {
    const page = apiPage(store.getTraceSummaries({ ...query, cursor }));
    ids.push(...page.summaries.map((s) => s['Id'] as string));
    processed += page.tracesProcessedCount;
    expect(page.summaries.length).toBeLessThanOrEqual(query.limit);
    if (page.nextCursor === undefined) return { ids, processed, pages };
    cursor = page.nextCursor;
  }
  throw new Error('more than 1000 pages');
}

function inRange(trace: Stored, type: TimeRangeType, range: { startTime: number; endTime: number }): boolean {
  const startTime = Math.min(...trace.records.map((r) => r.startTime));
  return matchTimeRange(type, { idEpoch: trace.idEpoch, startTime, documents: trace.records }, range) !== undefined;
}

const newestFirst = (a: Stored, b: Stored): number => b.idEpoch - a.idEpoch || b.order - a.order;

export function registerFilterConformance(implementation: string, factory: FilterStoreFactory): void {
  describe(`${implementation}: GetTraceSummaries with filter expressions`, () => {
    const open: TraceStore[] = [];
    const newStore = (traces: readonly Stored[]): TraceStore => {
      const store = factory();
      open.push(store);
      for (const trace of traces) store.write(trace.records);
      return store;
    };
    afterEach(() => {
      for (const store of open.splice(0)) store.close();
    });

    const traces = corpus(90, 11);

    test('property: filtered pages equal a brute-force evaluation over every trace', () => {
      const store = newStore(traces);
      const random = seededRandom(4242);
      let nonTrivial = 0;
      const filters = 250;
      for (let i = 0; i < filters; i++) {
        const tree = randomFilter(random, GROUP_VALUES);
        const text = print(tree);
        const filter = parse(text);
        const timeRangeType = pick(random, ['TraceId', 'TraceId', 'Event', 'Service'] as const);
        const startTime = T0 + Math.floor(random() * 300);
        const range = { startTime, endTime: startTime + 100 + Math.floor(random() * 500) };
        const candidates = traces.filter((t) => inRange(t, timeRangeType, range));
        const expected = candidates.filter((t) => evaluate(filter, t.view)).sort(newestFirst).map((t) => t.id);
        const limit = 1 + Math.floor(random() * 8);
        const got = readAll(store, { ...range, timeRangeType, limit, filter, groups: GROUPS });
        expect({ filter: text, ids: got.ids }).toEqual({ filter: text, ids: expected });
        expect({ filter: text, processed: got.processed }).toEqual({ filter: text, processed: candidates.length });
        if (expected.length > 0 && expected.length < candidates.length) nonTrivial++;
      }
      // The generated filters are worth something: many select some traces and not others.
      expect(nonTrivial).toBeGreaterThan(filters / 4);
    });

    test('every keyword against hand-picked values of the corpus', () => {
      const store = newStore(traces);
      const all = { startTime: T0 - 1, endTime: T0 + 700, timeRangeType: 'TraceId' as const, limit: 5 };
      const filters = [
        'fault', 'error', 'throttle', 'ok', 'partial', 'inferred', '!inferred', 'responsetime > 0.09', 'duration >= 1.4',
        'http.status = 429', 'http.method = "get"', 'http.url ENDSWITH "/prod/100%_done"', 'http.url CONTAINS "%_"',
        'user = "alice"', 'user != "alice"', 'user CONTAINS ""', 'availabilityzone = "us-east-1a"', 'instance.id BEGINSWITH "i-0abc"',
        'resource.arn ENDSWITH ":function:dynamo-flow"', 'annotation.path', 'annotation.flag', '!annotation.flag', 'annotation.n > 2',
        'annotation.n = "3"', 'annotation.note = ""', `annotation.path = ${quote("/prod/'; DROP TABLE traces; --")}`,
        'service("http-flow") { fault }', 'service(id(type: "remote")) { fault AND responsetime > 0.4 }', 'service("Hits") { throttle }',
        'edge("http-flow", "jsonplaceholder.typicode.com") { fault }', 'rootcause.fault.service { name = "jsonplaceholder.typicode.com" }',
        'rootcause.error.exception { name = "ProvisionedThroughputExceededException" }', 'rootcause.responsetime.entity { coverage > 0.5 }',
        'group.name = "faults"', 'group.name != "dynamo"', `group.arn = ${quote(`${ARN}/slow-users/S1`)}`, 'group.name = "Default"',
        'group.name = "no-such-group"',
      ];
      for (const text of filters) {
        const filter = parse(text);
        const expected = traces.filter((t) => evaluate(filter, t.view)).sort(newestFirst).map((t) => t.id);
        expect({ text, ids: readAll(store, { ...all, filter, groups: GROUPS }).ids }).toEqual({ text, ids: expected });
      }
      // The corpus has what these filters look for.
      for (const text of ['fault', 'throttle', 'partial', 'service("http-flow") { fault }', 'annotation.n > 2', 'group.name = "dynamo"']) {
        expect(traces.filter((t) => evaluate(parse(text), t.view)).length).toBeGreaterThan(0);
      }
    });

    test('hostile strings match literally and leave the store as it was', () => {
      const store = newStore(traces);
      const all = { startTime: T0 - 1, endTime: T0 + 700, timeRangeType: 'TraceId' as const, limit: 50 };
      const before = readAll(store, all).ids;
      for (const value of [...HOSTILE, '\u0000', '\ud800', '\uFFFD', '*', '?']) {
        for (const text of [
          `annotation.path = ${quote(value)}`, `annotation.note CONTAINS ${quote(value)}`, `http.url ENDSWITH ${quote(value)}`,
          `user BEGINSWITH ${quote(value)}`, `service(${quote(value)})`, `!(annotation.path != ${quote(value)})`,
        ]) {
          const filter = parse(text);
          const expected = traces.filter((t) => evaluate(filter, t.view)).sort(newestFirst).map((t) => t.id);
          expect({ text, ids: readAll(store, { ...all, filter }).ids }).toEqual({ text, ids: expected });
        }
      }
      expect(readAll(store, all).ids).toEqual(before);
      // A percent sign is not a wildcard: exactly the traces whose note is "%" or "%_".
      const percent = readAll(store, { ...all, filter: parse('annotation.note BEGINSWITH "%"') }).ids;
      expect(percent.sort()).toEqual(traces.filter((t) => (t.view.annotations.get('note') ?? []).some((v) => v === '%' || v === '%_')).map((t) => t.id).sort());
    });

    test('a page may hold fewer traces than the limit; the cursor goes on; the count covers the range once', () => {
      const store = newStore(traces);
      const query = { startTime: T0 - 1, endTime: T0 + 700, timeRangeType: 'TraceId' as const, limit: 4, filter: parse('fault') };
      const first = apiPage(store.getTraceSummaries(query));
      expect(first.summaries.length).toBe(4);
      expect(first.tracesProcessedCount).toBeGreaterThanOrEqual(4);
      const all = readAll(store, query);
      expect(all.processed).toBe(traces.length);
      expect(all.pages).toBeGreaterThan(1);
    });

    test('a cursor is bound to its filter and its groups', () => {
      const store = newStore(traces);
      const query = { startTime: T0 - 1, endTime: T0 + 700, timeRangeType: 'TraceId' as const, limit: 2, filter: parse('ok'), groups: GROUPS };
      const { nextCursor } = apiPage(store.getTraceSummaries(query));
      expect(nextCursor).toBeDefined();
      expect(() => apiPage(store.getTraceSummaries({ ...query, filter: parse('!ok'), cursor: nextCursor })))
        .toThrow(expect.objectContaining({ name: 'InvalidQueryError', message: expect.stringContaining('FilterExpression') }));
      expect(() => apiPage(store.getTraceSummaries({ ...query, groups: GROUPS.slice(1), cursor: nextCursor }))).toThrow(InvalidQueryError);
      expect(() => apiPage(store.getTraceSummaries({ ...query, cursor: nextCursor }))).not.toThrow();
    });

    test('a group whose filter names a group is refused', () => {
      const store = newStore(traces.slice(0, 3));
      const groups: GroupDefinition[] = [{ name: 'loop', arn: `${ARN}/loop/L`, filter: parse('group.name = "loop"') }];
      expect(() => apiPage(store.getTraceSummaries({ startTime: T0, endTime: T0 + 700, timeRangeType: 'TraceId', limit: 5, filter: parse('group.name = "loop"'), groups })))
        .toThrow(expect.objectContaining({ name: 'InvalidQueryError', message: 'the filter of group "loop" refers to a group' }));
    });

    test('traces written later show in a new query, with their filter fields', () => {
      const store = newStore(traces.slice(0, 10));
      const query = { startTime: T0 - 1, endTime: T0 + 700, timeRangeType: 'TraceId' as const, limit: 100 };
      const filter: Expression = parse('service() { name = "worker" } OR annotation.path = "/late"');
      const late = toRecord(JSON.stringify({
        name: 'worker', id: 'beef000000000001', trace_id: `1-${(T0 + 5).toString(16)}-00000000000000000000beef`,
        start_time: T0 + 5, end_time: T0 + 6, annotations: { path: '/late' },
      }));
      const before = readAll(store, { ...query, filter }).ids;
      store.write([late]);
      expect(readAll(store, { ...query, filter }).ids).toContain(late.traceId);
      expect(readAll(store, { ...query, filter }).ids).toHaveLength(before.length + 1);
    });
  });
}
