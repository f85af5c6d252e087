/**
 * ListMetrics, GetMetricStatistics and GetMetricData over the store, their inputs checked as
 * CloudWatch checks them. Outputs are wire-shaped objects whose timestamps are `Date`s (the
 * protocol layer writes them as JSON epoch seconds or CBOR tag 1).
 */
import { cloudWatchErrors } from './cloudwatch-errors.ts';
import type { MetricStore } from './metric-store.ts';
import type { Dimension, MetricId, MetricUnit } from './model.ts';
import { readDimensions, readNamespace, readUnit } from './put-metric-data.ts';
import type { PeriodAggregate, Statistic } from './statistics.ts';
import { aggregate, percentile, percentileOf, STATISTICS, statistic } from './statistics.ts';
import { WireInput } from './wire-input.ts';

export const MAX_DATAPOINTS = 1440;
const LIST_PAGE = 500;
const RECENTLY_ACTIVE_MS = 3 * 3600_000;
const HIGH_RESOLUTION_PERIODS: ReadonlySet<number> = new Set([1, 5, 10, 30]);
const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;

function wireDimensions(dimensions: readonly Dimension[]): { Name: string; Value: string }[] {
  return dimensions.map((d) => ({ Name: d.name, Value: d.value }));
}

function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function readToken(input: WireInput): number {
  const token = input.optionalString('NextToken');
  if (token === undefined) return 0;
  try {
    const offset = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown }).offset;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Refused below.
  }
  throw cloudWatchErrors.invalidNextToken();
}

export function listMetrics(store: MetricStore, input: WireInput, nowMs: number): unknown {
  const namespace = input.has('Namespace') ? readNamespace(input) : undefined;
  const metricName = input.optionalString('MetricName');
  const filters = readDimensions(input, 'Dimensions', 'Dimensions', false);
  if (filters.length > 10) throw cloudWatchErrors.invalidParameterValue('The collection Dimensions must not have a size greater than 10.');
  const recentlyActive = input.optionalString('RecentlyActive');
  if (recentlyActive !== undefined && recentlyActive !== 'PT3H') throw cloudWatchErrors.invalidParameterValue(`The value ${recentlyActive} for parameter RecentlyActive is invalid.`);
  const offset = readToken(input);
  const metrics = store
    .listMetrics({
      ...(namespace !== undefined ? { namespace } : {}),
      ...(metricName !== undefined ? { metricName } : {}),
      ...(recentlyActive !== undefined ? { activeSinceMs: nowMs - RECENTLY_ACTIVE_MS } : {}),
    })
    .filter((metric) => filters.every((f) => metric.dimensions.some((d) => d.name === f.name && (f.value === undefined || d.value === f.value))));
  const page = metrics.slice(offset, offset + LIST_PAGE);
  return {
    Metrics: page.map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: wireDimensions(m.dimensions) })),
    ...(offset + LIST_PAGE < metrics.length ? { NextToken: pageToken(offset + LIST_PAGE) } : {}),
  };
}

function readPeriod(value: number | undefined, at: string): number {
  if (value === undefined) throw cloudWatchErrors.missingParameter(at);
  if (!Number.isInteger(value) || value < 1) throw cloudWatchErrors.invalidParameterValue(`The parameter ${at} must be greater than 0.`);
  if (value < 60 ? !HIGH_RESOLUTION_PERIODS.has(value) : value % 60 !== 0) {
    throw cloudWatchErrors.invalidParameterValue(`The parameter ${at} must be 1, 5, 10, 30, or a multiple of 60.`);
  }
  return value;
}

function readRange(input: WireInput): { startMs: number; endMs: number } {
  const startMs = input.timestampMs('StartTime');
  const endMs = input.timestampMs('EndTime');
  if (startMs >= endMs) throw cloudWatchErrors.invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
  return { startMs, endMs };
}

function readMetricId(input: WireInput, prefix: string): MetricId {
  const namespace = readNamespace(input);
  const metricName = input.string('MetricName');
  const dimensions = readDimensions(input, 'Dimensions', `${prefix}Dimensions`, true) as Dimension[];
  return { namespace, metricName, dimensions };
}

export function getMetricStatistics(store: MetricStore, input: WireInput): unknown {
  const id = readMetricId(input, '');
  const { startMs, endMs } = readRange(input);
  const periodSeconds = readPeriod(input.optionalNumber('Period'), 'Period');
  const statistics = (input.optionalList('Statistics') ?? []).map((s, i) => {
    if (typeof s !== 'string' || !(STATISTICS as readonly string[]).includes(s)) {
      throw cloudWatchErrors.invalidParameterValue(`The value ${String(s)} for parameter Statistics.member.${i + 1} is invalid.`);
    }
    return s as Statistic;
  });
  const extended = (input.optionalList('ExtendedStatistics') ?? []).map((s, i) => {
    if (typeof s !== 'string' || percentileOf(s) === undefined) {
      throw cloudWatchErrors.invalidParameterValue(`The value ${String(s)} for parameter ExtendedStatistics.member.${i + 1} is invalid.`);
    }
    return s;
  });
  if (statistics.length > 5) throw cloudWatchErrors.invalidParameterValue('The collection Statistics must not have a size greater than 5.');
  if (extended.length > 10) throw cloudWatchErrors.invalidParameterValue('The collection ExtendedStatistics must not have a size greater than 10.');
  if ((statistics.length === 0) === (extended.length === 0)) {
    throw cloudWatchErrors.invalidParameterCombination('Must specify either Statistics or ExtendedStatistics, but not both.');
  }
  const unit = readUnit(input, 'Unit', 'Unit');
  const requested = Math.ceil((endMs - startMs) / (periodSeconds * 1000));
  if (requested > MAX_DATAPOINTS) {
    throw cloudWatchErrors.invalidParameterCombination(`You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
  }
  const periods = aggregate(store.datapoints(id, startMs, endMs), periodSeconds * 1000, unit);
  return {
    Label: id.metricName,
    Datapoints: periods.map((period) => {
      const datapoint: Record<string, unknown> = { Timestamp: new Date(period.timestampMs), Unit: period.unit };
      for (const s of statistics) datapoint[s] = statistic(period, s);
      if (extended.length > 0) {
        const values: Record<string, number> = {};
        for (const name of extended) {
          const value = percentile(period, percentileOf(name) ?? 0);
          if (value !== undefined) values[name] = value;
        }
        datapoint['ExtendedStatistics'] = values;
      }
      return datapoint;
    }),
  };
}

interface MetricQuery {
  readonly id: string;
  readonly label: string;
  readonly returnData: boolean;
  readonly metric: MetricId;
  readonly periodMs: number;
  readonly stat: string;
  readonly unit: MetricUnit | undefined;
}

function statValue(period: PeriodAggregate, stat: string): number | undefined {
  if ((STATISTICS as readonly string[]).includes(stat)) return statistic(period, stat as Statistic);
  const p = percentileOf(stat);
  return p === undefined ? undefined : percentile(period, p);
}

export function getMetricData(store: MetricStore, input: WireInput): unknown {
  const list = input.optionalList('MetricDataQueries');
  if (list === undefined || list.length === 0) throw cloudWatchErrors.missingParameter('MetricDataQueries');
  if (list.length > 500) throw cloudWatchErrors.invalidParameterValue('The collection MetricDataQueries must not have a size greater than 500.');
  const { startMs, endMs } = readRange(input);
  const scanBy = input.optionalString('ScanBy') ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') throw cloudWatchErrors.invalidParameterValue(`The value ${scanBy} for parameter ScanBy is invalid.`);
  const maxDatapoints = input.optionalNumber('MaxDatapoints') ?? 100_800;
  const ids = new Set<string>();
  const queries: MetricQuery[] = list.map((item, i) => {
    const at = `MetricDataQueries.member.${i + 1}`;
    const query = WireInput.of(item, at);
    const id = query.string('Id');
    if (!ID_PATTERN.test(id) || id.length > 255) throw cloudWatchErrors.invalidParameterValue(`The value ${id} for parameter ${at}.Id is invalid: it must start with a lower-case letter and hold only letters, digits and underscores.`);
    if (ids.has(id)) throw cloudWatchErrors.invalidParameterValue(`The values for parameter id in MetricDataQueries are not unique: ${id}.`);
    ids.add(id);
    if (query.has('Expression')) {
      throw cloudWatchErrors.invalidParameterValue(`${at}.Expression: metric math and Metrics Insights expressions are not supported by the local cloud; use MetricStat.`);
    }
    const stat = query.optionalStructure('MetricStat');
    if (stat === undefined) throw cloudWatchErrors.invalidParameterCombination(`Exactly one of ${at}.MetricStat and ${at}.Expression must be specified.`);
    const metric = stat.optionalStructure('Metric');
    if (metric === undefined) throw cloudWatchErrors.missingParameter(`${at}.MetricStat.Metric`);
    const statName = stat.string('Stat');
    if (!(STATISTICS as readonly string[]).includes(statName) && percentileOf(statName) === undefined) {
      throw cloudWatchErrors.invalidParameterValue(`The value ${statName} for parameter ${at}.MetricStat.Stat is invalid; the local cloud computes SampleCount, Average, Sum, Minimum, Maximum and pNN.`);
    }
    const metricId = readMetricId(metric, `${at}.MetricStat.Metric.`);
    return {
      id,
      label: query.optionalString('Label') ?? metricId.metricName,
      returnData: query.optionalBoolean('ReturnData') ?? true,
      metric: metricId,
      periodMs: readPeriod(stat.optionalNumber('Period') ?? query.optionalNumber('Period'), `${at}.MetricStat.Period`) * 1000,
      stat: statName,
      unit: readUnit(stat, 'Unit', `${at}.MetricStat.Unit`),
    };
  });
  let budget = maxDatapoints;
  const results = queries.filter((q) => q.returnData).map((q) => {
    const points: [number, number][] = [];
    for (const period of aggregate(store.datapoints(q.metric, startMs, endMs), q.periodMs, q.unit)) {
      const value = statValue(period, q.stat);
      if (value !== undefined) points.push([period.timestampMs, value]);
    }
    // One value a period: when a period holds several units (no Unit asked), the first unit's is kept.
    const byTime = new Map<number, number>();
    for (const [t, v] of points) if (!byTime.has(t)) byTime.set(t, v);
    let ordered = [...byTime.entries()].sort(([a], [b]) => (scanBy === 'TimestampAscending' ? a - b : b - a));
    const complete = ordered.length <= budget;
    ordered = ordered.slice(0, Math.max(0, budget));
    budget -= ordered.length;
    return {
      Id: q.id,
      Label: q.label,
      Timestamps: ordered.map(([t]) => new Date(t)),
      Values: ordered.map(([, v]) => v),
      StatusCode: complete ? 'Complete' : 'PartialData',
      Messages: [],
    };
  });
  return { MetricDataResults: results, Messages: [] };
}
