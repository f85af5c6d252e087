/**
 * Embedded metric format (EMF) documents read as CloudWatch Logs reads them: a log event whose whole
 * message is a JSON object with `_aws: {Timestamp, CloudWatchMetrics: [MetricDirective]}` gives one
 * datapoint per metric and dimension set. A document that breaks the specification's rules gives
 * nothing (CloudWatch extracts nothing from it either) and the reason is returned.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import type { Datapoint, Dimension, MetricUnit } from './model.ts';
import { datapointFromValues, isMetricUnit } from './model.ts';
import { checkDimension, checkMetricName, checkNamespace } from './validation.ts';

export const MAX_DIMENSIONS_PER_SET = 30;
export const MAX_METRICS_PER_DIRECTIVE = 100;
export const MAX_VALUES_PER_METRIC = 100;

export type EmfResult =
  /** Not an EMF document at all (not JSON, or no `_aws.CloudWatchMetrics`): an ordinary log line. */
  | { readonly kind: 'not-emf' }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'metrics'; readonly datapoints: readonly Datapoint[] };

const NOT_EMF: EmfResult = { kind: 'not-emf' };

export function parseEmf(message: string): EmfResult {
  const text = message.trim();
  if (!text.startsWith('{') || !text.includes('"_aws"')) return NOT_EMF;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return NOT_EMF;
  }
  if (!isObject(root) || !isObject(root['_aws'])) return NOT_EMF;
  const meta = root['_aws'];
  if (meta['CloudWatchMetrics'] === undefined) return NOT_EMF;
  try {
    return { kind: 'metrics', datapoints: extract(root, meta) };
  } catch (error) {
    if (error instanceof EmfError) return { kind: 'invalid', reason: error.message };
    throw error;
  }
}

class EmfError extends Error {}

function fail(reason: string): never {
  throw new EmfError(reason);
}

function extract(root: Record<string, unknown>, meta: Record<string, unknown>): Datapoint[] {
  const timestampMs = meta['Timestamp'];
  if (typeof timestampMs !== 'number' || !Number.isFinite(timestampMs) || timestampMs < 0) {
    fail('_aws.Timestamp must be a number of milliseconds since the epoch');
  }
  const directives = meta['CloudWatchMetrics'];
  if (!Array.isArray(directives)) fail('_aws.CloudWatchMetrics must be an array');
  const datapoints: Datapoint[] = [];
  directives.forEach((directive: unknown, d) => {
    const at = `_aws.CloudWatchMetrics[${d}]`;
    if (!isObject(directive)) fail(`${at} must be an object`);
    const namespace = directive['Namespace'];
    if (typeof namespace !== 'string') fail(`${at}.Namespace must be a string`);
    const namespaceProblem = checkNamespace(namespace);
    if (namespaceProblem !== undefined) fail(`${at}.Namespace ${namespaceProblem}`);
    const dimensionSets = directive['Dimensions'];
    if (!Array.isArray(dimensionSets)) fail(`${at}.Dimensions must be an array of dimension sets`);
    const sets: Dimension[][] = dimensionSets.map((set: unknown, s) => {
      if (!Array.isArray(set) || set.some((key) => typeof key !== 'string')) fail(`${at}.Dimensions[${s}] must be an array of strings`);
      if (set.length > MAX_DIMENSIONS_PER_SET) fail(`${at}.Dimensions[${s}] has ${set.length} dimensions; at most ${MAX_DIMENSIONS_PER_SET}`);
      return (set as string[]).map((name) => {
        const value = root[name];
        if (typeof value !== 'string') fail(`dimension ${JSON.stringify(name)} must be a string member of the root`);
        const problem = checkDimension(name, value);
        if (problem !== undefined) fail(`dimension ${JSON.stringify(name)}: ${problem}`);
        return { name, value };
      });
    });
    // A directive without dimension sets publishes its metrics without dimensions.
    if (sets.length === 0) sets.push([]);
    const metrics = directive['Metrics'];
    if (!Array.isArray(metrics)) fail(`${at}.Metrics must be an array`);
    if (metrics.length > MAX_METRICS_PER_DIRECTIVE) fail(`${at}.Metrics has ${metrics.length} metrics; at most ${MAX_METRICS_PER_DIRECTIVE}`);
    metrics.forEach((definition: unknown, m) => {
      const mat = `${at}.Metrics[${m}]`;
      if (!isObject(definition)) fail(`${mat} must be an object`);
      const name = definition['Name'];
      if (typeof name !== 'string') fail(`${mat}.Name must be a string`);
      const nameProblem = checkMetricName(name);
      if (nameProblem !== undefined) fail(`${mat}.Name ${nameProblem}`);
      const unit = readUnit(definition['Unit'], mat);
      const resolution = definition['StorageResolution'];
      if (resolution !== undefined && resolution !== 1 && resolution !== 60) fail(`${mat}.StorageResolution must be 1 or 60`);
      const values = readValues(root[name], name);
      for (const dimensions of sets) {
        datapoints.push(datapointFromValues({ namespace, metricName: name, dimensions }, values, {
          timestampMs,
          unit,
          storageResolutionSeconds: resolution === 1 ? 1 : 60,
        }));
      }
    });
  });
  return datapoints;
}

function readUnit(unit: unknown, at: string): MetricUnit {
  if (unit === undefined) return 'None';
  if (typeof unit !== 'string' || !isMetricUnit(unit)) fail(`${at}.Unit ${JSON.stringify(unit)} is not a CloudWatch unit`);
  return unit;
}

function readValues(value: unknown, name: string): number[] {
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  if (value === undefined) fail(`metric ${JSON.stringify(name)} has no value in the root`);
  if (values.length === 0) fail(`metric ${JSON.stringify(name)} has an empty array of values`);
  if (values.length > MAX_VALUES_PER_METRIC) fail(`metric ${JSON.stringify(name)} has ${values.length} values; at most ${MAX_VALUES_PER_METRIC}`);
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`metric ${JSON.stringify(name)} must be a number or an array of numbers`);
  }
  return values as number[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
