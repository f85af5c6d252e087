import { describe, expect, it } from 'vitest';
import {
  AggregateAccumulator, EMPTY_AGGREGATE, aggregateFromJson, aggregateToJson, contributionOfTrace, mergeAggregates, subtractAggregate,
  toServiceGraph, updateAggregate, type Aggregate, type AggregateJson, type GraphDocument,
} from '../../../src/xray/graph/index.ts';
import { TraceBuilder, patternTrace, seededRandom } from './pattern-traces.ts';

const BASE = 1_700_000_040; // a minute boundary

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** A random trace: pattern-shaped, or a random tree of services, calls and statuses. */
function randomTrace(random: Random, number: number): GraphDocument[] {
  const t0 = BASE + Math.floor(random() * 600) + Math.round(random() * 1000) / 1000;
  if (random() < 0.4) {
    return patternTrace(number, t0, { httpFaults: random() < 0.4, dynamoThrottled: random() < 0.2 }).build();
  }
  const trace = new TraceBuilder(number, t0);
  const statuses = [200, 200, 200, 404, 429, 500, 502];
  const outcome = (): Record<string, unknown> => {
    const status = pick(random, statuses);
    return { http: { response: { status } }, ...(status >= 500 ? { fault: true } : status === 429 ? { throttle: true, error: true } : status >= 400 ? { error: true } : {}) };
  };
  const grow = (segment: ReturnType<TraceBuilder['segment']>, from: number, depth: number): void => {
    const calls = Math.floor(random() * 4);
    for (let c = 0; c < calls; c++) {
      const start = from + 0.01 + random() * 0.5;
      const end = random() < 0.1 ? undefined : start + 0.001 + random() * 2;
      const kind = pick(random, ['local', 'table', 'queue', 'topic', 'remote'] as const);
      const fields: Record<string, unknown> = { ...outcome() };
      if (kind === 'table') Object.assign(fields, { namespace: 'aws', aws: { table_name: pick(random, ['Hits', 'Users']) } });
      if (kind === 'queue') Object.assign(fields, { namespace: 'aws', aws: { queue_url: 'https://sqs.us-east-1.amazonaws.com/1/jobs' } });
      if (kind === 'topic') Object.assign(fields, { namespace: 'aws', aws: { topic_arn: 'arn:aws:sns:us-east-1:1:news' } });
      if (kind === 'remote') Object.assign(fields, { namespace: 'remote', http: { request: { url: `https://${pick(random, ['a.example', 'b.example'])}/` } } });
      const call = random() < 0.5
        ? trace.subsegment(segment, `call-${c}`, start - t0, end === undefined ? undefined : end - t0, fields)
        : trace.nested(segment, `call-${c}`, start - t0, (end ?? start + 0.5) - t0, fields);
      if (depth < 3 && random() < 0.5) {
        const callee = trace.segment(pick(random, ['orders', 'billing', 'search']), start + 0.005 - t0, (end ?? start + 1) - t0, {
          parent_id: call.id, origin: pick(random, [undefined, 'AWS::Lambda', 'AWS::ECS::Container']), ...outcome(),
        });
        grow(callee, start, depth + 1);
      }
    }
  };
  const root = trace.segment(pick(random, ['web', 'api']), 0, random() < 0.1 ? undefined : 0.2 + random() * 3, outcome());
  grow(root, t0, 0);
  return trace.build();
}

function workload(seed: number): GraphDocument[][] {
  const random = seededRandom(seed);
  return Array.from({ length: 2 + Math.floor(random() * 10) }, (_, i) => randomTrace(random, seed * 100 + i + 1));
}

function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** One single-minute aggregate per minute of `aggregate`. */
function byMinute(aggregate: Aggregate): Aggregate[] {
  return [...aggregate.minutes].map(([minute, cells]) => ({ minutes: new Map([[minute, cells]]) }));
}

function text(aggregate: Aggregate): string {
  return JSON.stringify(aggregateToJson(aggregate));
}

/** The aggregate's JSON with start and end times blanked: what difference updates keep exact. */
function additive(aggregate: Aggregate): AggregateJson {
  const json = aggregateToJson(aggregate);
  for (const minute of json.minutes) {
    for (const cell of [...minute.nodes, ...minute.edges]) {
      cell.startTime = 0;
      cell.endTime = 0;
    }
  }
  return json;
}

describe('per-minute aggregates', () => {
  it('merged per minute, in any order and grouping, equal a full recompute (40 generated workloads)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed * 7919);
      const contributions = workload(seed).map(contributionOfTrace);
      const full = mergeAggregates(...contributions);

      // A store's view: one aggregate per minute, fed trace by trace in arrival order.
      const store = new Map<number, Aggregate>();
      for (const part of shuffle(random, contributions.flatMap(byMinute))) {
        const [minute] = part.minutes.keys();
        if (minute === undefined) continue;
        store.set(minute, mergeAggregates(store.get(minute) ?? EMPTY_AGGREGATE, part));
      }
      const perMinute = mergeAggregates(...shuffle(random, [...store.values()]));
      expect(text(perMinute), `seed ${seed}`).toBe(text(full));

      const start = BASE + Math.floor(random() * 600);
      const window = { startTime: start, endTime: start + 60 + Math.floor(random() * 400) };
      const windowMinutes = [...store].filter(([minute]) => minute + 60 > window.startTime && minute < window.endTime).map(([, a]) => a);
      expect(toServiceGraph(mergeAggregates(...windowMinutes)), `seed ${seed}`).toEqual(toServiceGraph(full, window));
    }
  });

  it('updated by difference as documents arrive equal a full recompute; times stay bounds (25 workloads)', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const random = seededRandom(seed * 104729);
      const traces = workload(seed);
      // Every document arrives once; some arrive first in progress, then complete.
      const arrivals = shuffle(random, traces.flatMap((docs, trace) => docs.flatMap((doc) => {
        const early = typeof doc.end_time === 'number' && random() < 0.3
          ? [{ trace, doc: { ...doc, end_time: undefined, in_progress: true } as GraphDocument }]
          : [];
        return [...early, { trace, doc }];
      })));
      const received = traces.map(() => new Map<string, GraphDocument>());
      const last = traces.map((): Aggregate | undefined => undefined);
      const running = new AggregateAccumulator();
      for (const { trace, doc } of arrivals) {
        const docs = received[trace] as Map<string, GraphDocument>;
        const known = docs.get(doc.id);
        // The store's upsert: a complete document replaces an in-progress one, never the reverse.
        if (known !== undefined && typeof known.end_time === 'number' && known.in_progress !== true) continue;
        docs.set(doc.id, doc);
        const next = contributionOfTrace([...docs.values()]);
        running.update(last[trace], next);
        last[trace] = next;
      }
      const { aggregate } = running;
      const full = mergeAggregates(...traces.map(contributionOfTrace));
      expect(additive(aggregate), `seed ${seed}`).toEqual(additive(full));

      const exact = aggregateToJson(full);
      const updated = aggregateToJson(aggregate);
      exact.minutes.forEach((minute, m) => {
        minute.nodes.forEach((cell, n) => {
          const kept = updated.minutes[m]?.nodes[n];
          expect(kept?.startTime).toBeLessThanOrEqual(cell.startTime);
          expect(kept?.endTime).toBeGreaterThanOrEqual(cell.endTime);
        });
      });
    }
  });

  it('subtracting a contribution takes it out again', () => {
    const [a, b] = [patternTrace(1, BASE).build(), patternTrace(2, BASE + 130, { httpFaults: true }).build()].map(contributionOfTrace);
    const both = mergeAggregates(a as Aggregate, b as Aggregate);
    expect(text(subtractAggregate(both, b as Aggregate))).toBe(text(a as Aggregate));
    expect(subtractAggregate(both, both).minutes.size).toBe(0);
    expect(text(updateAggregate(both, b as Aggregate, a as Aggregate))).toBe(text(mergeAggregates(a as Aggregate, a as Aggregate)));
  });

  it('round-trips through its JSON form and names the first bad field', () => {
    const aggregate = mergeAggregates(...workload(3).map(contributionOfTrace));
    const json = JSON.parse(text(aggregate)) as unknown;
    expect(text(aggregateFromJson(json))).toBe(text(aggregate));
    expect(toServiceGraph(aggregateFromJson(json))).toEqual(toServiceGraph(aggregate));

    const broken = JSON.parse(text(aggregate)) as AggregateJson;
    (broken.minutes[0]?.nodes[0] as unknown as Record<string, unknown>)['ok'] = 'seven';
    expect(() => aggregateFromJson(broken)).toThrow('aggregate.minutes[0].nodes[0].ok: expected a finite number, got "seven"');
    expect(() => aggregateFromJson({ version: 2, minutes: [] })).toThrow('aggregate.version: expected 1, got 2');
    expect(() => aggregateFromJson({ version: 1, minutes: [{ minute: 61, nodes: [], edges: [] }] }))
      .toThrow('aggregate.minutes[0].minute: expected a multiple of 60, got 61');
  });
});
