import { describe, expect, it } from 'vitest';
import type { Service, TimeSeriesServiceStatistics } from '../../src/console/api/types.ts';
import { toMapGraph } from '../../src/console/map/graph-model.ts';
import type { MapNode } from '../../src/console/map/graph-model.ts';
import {
  buildSeries, choosePeriod, edgeSelector, formatPeriod, healthText, MAX_PERIODS, MAX_POINTS, nodeSelector, pointText, seriesTotals,
} from '../../src/console/map/time-series.ts';
import { parseEntitySelector } from '../../src/xray/api/entity-selector.ts';
import type { NodeId } from '../../src/xray/graph/aggregate.ts';
import { statistics } from './statistics-fixture.ts';


const id = (name: string, type: string | undefined): NodeId => ({ name, type, accountId: undefined });

describe('period choice', () => {
  it('takes whole minutes, round clock periods and 30 to 60 periods a window once the range allows', () => {
    expect(choosePeriod(300)).toBe(60);
    expect(choosePeriod(3600)).toBe(60);
    expect(choosePeriod(3601)).toBe(120);
    expect(choosePeriod(6 * 3600)).toBe(600);
    expect(choosePeriod(24 * 3600)).toBe(1800);
    expect(choosePeriod(100 * 86400)).toBe(2 * 86400);
    for (let seconds = 3600; seconds < 400 * 86400; seconds = Math.ceil(seconds * 1.07)) {
      const period = choosePeriod(seconds);
      expect(period % 60).toBe(0);
      expect(seconds / period).toBeLessThanOrEqual(MAX_PERIODS);
      expect(seconds / period).toBeGreaterThan(MAX_PERIODS / 2);
    }
  });

  it('gives a chart at most MAX_POINTS points, one more than MAX_PERIODS when the window starts mid-period', () => {
    let most = 0;
    for (let seconds = 60; seconds < 400 * 86400; seconds = Math.ceil(seconds * 1.07)) {
      const period = choosePeriod(seconds);
      for (const start of [1_800_000_000, 1_800_000_001, 1_800_000_030.5, 1_800_000_059, 1_800_003_599]) {
        const points = buildSeries([], { start, end: start + seconds }, period).length;
        expect(points, `${seconds} s from ${start}, per ${period} s`).toBeLessThanOrEqual(MAX_POINTS);
        most = Math.max(most, points);
      }
    }
    expect(most).toBe(MAX_POINTS);
    expect(MAX_POINTS).toBe(MAX_PERIODS + 1);
  });

  it('names a period the way the caption says it', () => {
    expect([60, 300, 3600, 7200, 86400, 172800].map(formatPeriod)).toEqual(['1 min', '5 min', '1 h', '2 h', '1 d', '2 d']);
  });
});

describe('series from GetTimeSeriesServiceStatistics', () => {
  const window = { start: 1_000_030, end: 1_000_330 };
  // Periods of 60 aligned to the epoch: the first starts at 1_000_020, before the window.

  it('has a point for every period, zero where the answer has none', () => {
    const entries: TimeSeriesServiceStatistics[] = [
      { Timestamp: 1_000_080, ServiceSummaryStatistics: statistics(3, 1, 0, 2, 1.2) },
      { Timestamp: 1_000_260, ServiceSummaryStatistics: statistics(1, 0, 1, 0, 0.5) },
    ];
    const series = buildSeries(entries, window, 60);
    expect(series.map((point) => point.start)).toEqual([1_000_020, 1_000_080, 1_000_140, 1_000_200, 1_000_260, 1_000_320]);
    expect(series.map((point) => point.total)).toEqual([0, 6, 0, 0, 2, 0]);
    expect(series[1]).toMatchObject({ ok: 3, error: 1, throttle: 0, fault: 2, end: 1_000_140 });
    expect(series[1]?.averageResponseTime).toBeCloseTo(0.2);
    expect(series[4]?.averageResponseTime).toBeCloseTo(0.25);
    // No requests: no average, rather than an average of zero seconds.
    expect(series[2]?.averageResponseTime).toBeUndefined();
    expect(seriesTotals(series)).toEqual({ ok: 4, error: 1, throttle: 1, fault: 2, total: 8 });
  });

  it('reads edge statistics, and leaves out what falls outside the window', () => {
    const entries: TimeSeriesServiceStatistics[] = [
      { Timestamp: 999_960, EdgeSummaryStatistics: statistics(5, 0, 0, 0, 1) },
      { Timestamp: 1_000_020, EdgeSummaryStatistics: statistics(2, 0, 0, 0, 1) },
      { Timestamp: 1_000_380, EdgeSummaryStatistics: statistics(5, 0, 0, 0, 1) },
      { EdgeSummaryStatistics: statistics(5, 0, 0, 0, 1) },
    ];
    expect(buildSeries(entries, window, 60).map((point) => point.total)).toEqual([2, 0, 0, 0, 0, 0]);
  });

  it('has one point for a window shorter than a period', () => {
    expect(buildSeries([], { start: 1_000_000, end: 1_000_000 }, 300)).toHaveLength(1);
  });

  it('reads a point out as text', () => {
    const start = new Date(2030, 0, 2, 10, 5).getTime() / 1000;
    const [point] = buildSeries([{ Timestamp: start, ServiceSummaryStatistics: statistics(1, 0, 0, 2, 0.6) }], { start, end: start + 60 }, 60);
    if (point === undefined) throw new Error('no point');
    expect(pointText(point, start * 1000)).toBe('10:05–10:06: 3 requests: 1 OK, 0 errors, 0 throttles, 2 faults, average 200 ms');
    expect(pointText({ ...point, ok: 0, fault: 0, total: 0, averageResponseTime: undefined }, start * 1000)).toBe('10:05–10:06: no requests');
    expect(healthText({ ok: 0, error: 1, throttle: 1, fault: 1, total: 3 })).toBe('3 requests: 0 OK, 1 error, 1 throttle, 1 fault');
  });
});

describe('entity selectors', () => {
  const services: Service[] = [
    { ReferenceId: 0, Name: 'web "edge" \\ 1', Type: 'client', Edges: [{ ReferenceId: 1 }, { ReferenceId: 3 }] },
    { ReferenceId: 1, Name: 'say "hi"\\path', Type: 'AWS::Lambda::Function', Edges: [{ ReferenceId: 2 }] },
    { ReferenceId: 2, Name: 'plain' },
    { ReferenceId: 3, Name: 'say "hi"\\path', Type: 'AWS::Lambda' },
  ];
  const graph = toMapGraph(services);
  const node = (reference: number): MapNode => {
    const found = graph.nodes.find((n) => n.referenceId === reference);
    if (found === undefined) throw new Error(`no node ${reference}`);
    return found;
  };

  it('quotes names with quotes and backslashes so that the service reads them back', () => {
    const text = nodeSelector(node(1), graph);
    expect(text).toBe('id(name: "say \\"hi\\"\\\\path", type: "AWS::Lambda::Function")');
    const selector = parseEntitySelector(text ?? '');
    if (selector.kind !== 'service') throw new Error('not a service selector');
    expect(selector.match(id('say "hi"\\path', 'AWS::Lambda::Function'))).toBe(true);
    expect(selector.match(id('say "hi"\\path', 'AWS::Lambda'))).toBe(false);
  });

  it('selects a node sent without a type by an empty type', () => {
    const selector = parseEntitySelector(nodeSelector(node(2), graph) ?? '');
    if (selector.kind !== 'service') throw new Error('not a service selector');
    expect(selector.match(id('plain', undefined))).toBe(true);
    expect(selector.match(id('plain', 'AWS::Lambda'))).toBe(false);
  });

  it('selects an edge by both ends, and a client by the edges it sent', () => {
    const edge = parseEntitySelector(edgeSelector(node(1), node(2)));
    if (edge.kind !== 'edge') throw new Error('not an edge selector');
    expect(edge.match(id('say "hi"\\path', 'AWS::Lambda::Function'), id('plain', undefined))).toBe(true);
    expect(edge.match(id('say "hi"\\path', 'AWS::Lambda'), id('plain', undefined))).toBe(false);

    const client = parseEntitySelector(nodeSelector(node(0), graph) ?? '');
    if (client.kind !== 'edge') throw new Error('not an edge selector');
    const web = id('web "edge" \\ 1', 'client');
    expect(client.match(web, id('say "hi"\\path', 'AWS::Lambda::Function'))).toBe(true);
    expect(client.match(web, id('say "hi"\\path', 'AWS::Lambda'))).toBe(true);
    expect(client.match(web, id('plain', undefined))).toBe(false);
    expect(nodeSelector({ ...node(0), key: 'client|nobody' }, graph)).toBeUndefined();
  });
});
