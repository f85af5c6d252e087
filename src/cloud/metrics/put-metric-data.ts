/**
 * PutMetricData's input read and checked as CloudWatch checks it: up to 1,000 datums, each one of
 * Value, StatisticValues or Values (with Counts), at most 30 dimensions, 150 values, a known unit,
 * a storage resolution of 1 or 60, a timestamp at most two weeks old or two hours ahead, and no
 * namespace starting with `AWS/` (reserved for the services).
 */
import { cloudWatchErrors } from './cloudwatch-errors.ts';
import type { Datapoint, Dimension, MetricUnit } from './model.ts';
import { datapointFromValues, isMetricUnit } from './model.ts';
import { checkDimension, checkMetricName, checkNamespace } from './validation.ts';
import { WireInput } from './wire-input.ts';

export const MAX_METRIC_DATA = 1000;
export const MAX_VALUES = 150;
export const MAX_DIMENSIONS = 30;
const MAX_PAST_MS = 14 * 24 * 3600_000;
const MAX_FUTURE_MS = 2 * 3600_000;
// CloudWatch refuses magnitudes outside this range (other than zero), and NaN and the infinities.
const MIN_MAGNITUDE = 8.515920e-109;
const MAX_MAGNITUDE = 1.174271e+108;

export function readNamespace(input: WireInput, name = 'Namespace'): string {
  const namespace = input.string(name);
  const problem = checkNamespace(namespace);
  if (problem !== undefined) throw cloudWatchErrors.invalidParameterValue(`The value ${namespace} for parameter ${name} is invalid: it ${problem}.`);
  return namespace;
}

export function readDimensions(input: WireInput, name: string, at: string, requireValues: boolean): { name: string; value: string | undefined }[] {
  const list = input.optionalList(name) ?? [];
  if (list.length > MAX_DIMENSIONS) throw cloudWatchErrors.invalidParameterValue(`The collection ${at} must not have a size greater than ${MAX_DIMENSIONS}.`);
  const seen = new Set<string>();
  return list.map((item, i) => {
    const dimension = WireInput.of(item, `${at}.member.${i + 1}`);
    const dimensionName = dimension.string('Name');
    const value = requireValues ? dimension.string('Value') : dimension.optionalString('Value');
    const problem = checkDimension(dimensionName, value ?? 'x');
    if (problem !== undefined) throw cloudWatchErrors.invalidParameterValue(`The value for parameter ${at}.member.${i + 1} is invalid: ${problem}.`);
    if (seen.has(dimensionName)) throw cloudWatchErrors.invalidParameterValue(`No metric may have duplicate dimension names: ${dimensionName}.`);
    seen.add(dimensionName);
    return { name: dimensionName, value };
  });
}

export function readUnit(input: WireInput, name: string, at: string): MetricUnit | undefined {
  const unit = input.optionalString(name);
  if (unit === undefined) return undefined;
  if (!isMetricUnit(unit)) throw cloudWatchErrors.invalidParameterValue(`The value ${unit} for parameter ${at} is invalid.`);
  return unit;
}

function checkValue(value: number, at: string): number {
  const magnitude = Math.abs(value);
  if (!Number.isFinite(value) || (magnitude !== 0 && (magnitude < MIN_MAGNITUDE || magnitude > MAX_MAGNITUDE))) {
    throw cloudWatchErrors.invalidParameterValue(`The value ${value} for parameter ${at} is invalid.`);
  }
  return value;
}

function numberList(list: unknown[], at: string): number[] {
  return list.map((v, i) => {
    if (typeof v !== 'number') throw cloudWatchErrors.invalidParameterValue(`${at}.member.${i + 1} must be a number.`);
    return v;
  });
}

export function readPutMetricData(input: WireInput, nowMs: number): Datapoint[] {
  const namespace = readNamespace(input);
  if (namespace.startsWith('AWS/')) throw cloudWatchErrors.invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid.`);
  if (input.has('EntityMetricData')) throw cloudWatchErrors.invalidParameterValue('EntityMetricData is not supported by the local cloud; send MetricData.');
  const data = input.optionalList('MetricData');
  if (data === undefined || data.length === 0) throw cloudWatchErrors.missingParameter('MetricData');
  if (data.length > MAX_METRIC_DATA) throw cloudWatchErrors.invalidParameterValue(`The collection MetricData must not have a size greater than ${MAX_METRIC_DATA}.`);
  return data.map((item, i) => {
    const at = `MetricData.member.${i + 1}`;
    const datum = WireInput.of(item, at);
    const metricName = datum.string('MetricName');
    const nameProblem = checkMetricName(metricName);
    if (nameProblem !== undefined) throw cloudWatchErrors.invalidParameterValue(`The value for parameter ${at}.MetricName is invalid: it ${nameProblem}.`);
    const dimensions = readDimensions(datum, 'Dimensions', `${at}.Dimensions`, true) as Dimension[];
    const timestampMs = datum.optionalTimestampMs('Timestamp') ?? nowMs;
    if (timestampMs < nowMs - MAX_PAST_MS || timestampMs > nowMs + MAX_FUTURE_MS) {
      throw cloudWatchErrors.invalidParameterValue(`The parameter ${at}.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.`);
    }
    const unit = readUnit(datum, 'Unit', `${at}.Unit`) ?? 'None';
    const resolution = datum.optionalNumber('StorageResolution');
    if (resolution !== undefined && resolution !== 1 && resolution !== 60) {
      throw cloudWatchErrors.invalidParameterValue(`The value ${resolution} for parameter ${at}.StorageResolution is invalid: it must be 1 or 60.`);
    }
    const storageResolutionSeconds = resolution === 1 ? 1 : 60;
    const value = datum.optionalNumber('Value');
    const stats = datum.optionalStructure('StatisticValues');
    const values = datum.optionalList('Values');
    const counts = datum.optionalList('Counts');
    const given = [value !== undefined && 'Value', stats !== undefined && 'StatisticValues', values !== undefined && values.length > 0 && 'Values'].filter(Boolean);
    if (given.length > 1) {
      throw cloudWatchErrors.invalidParameterCombination(`The parameters ${given.map((g) => `${at}.${String(g)}`).join(' and ')} are mutually exclusive and you have specified both.`);
    }
    const id = { namespace, metricName, dimensions };
    if (stats !== undefined) {
      const read = (name: string): number => {
        const v = stats.optionalNumber(name);
        if (v === undefined) throw cloudWatchErrors.missingParameter(`${at}.StatisticValues.${name}`);
        return checkValue(v, `${at}.StatisticValues.${name}`);
      };
      const sampleCount = read('SampleCount');
      const sum = read('Sum');
      const minimum = read('Minimum');
      const maximum = read('Maximum');
      if (sampleCount <= 0) throw cloudWatchErrors.invalidParameterValue(`The value ${sampleCount} for parameter ${at}.StatisticValues.SampleCount is invalid.`);
      if (minimum > maximum) throw cloudWatchErrors.invalidParameterValue(`The parameter ${at}.StatisticValues.Minimum must not exceed ${at}.StatisticValues.Maximum.`);
      return { ...id, timestampMs, unit, storageResolutionSeconds, sampleCount, sum, minimum, maximum };
    }
    if (values !== undefined && values.length > 0) {
      if (values.length > MAX_VALUES) throw cloudWatchErrors.invalidParameterValue(`The collection ${at}.Values must not have a size greater than ${MAX_VALUES}.`);
      const numbers = numberList(values, `${at}.Values`).map((v, j) => checkValue(v, `${at}.Values.member.${j + 1}`));
      let countNumbers: number[] | undefined;
      if (counts !== undefined && counts.length > 0) {
        if (counts.length !== values.length) throw cloudWatchErrors.invalidParameterValue(`The parameters ${at}.Values and ${at}.Counts must be of the same size.`);
        countNumbers = numberList(counts, `${at}.Counts`);
        if (countNumbers.some((c) => !Number.isFinite(c) || c < 0)) throw cloudWatchErrors.invalidParameterValue(`The parameter ${at}.Counts must hold non-negative numbers.`);
      }
      return datapointFromValues(id, numbers, { timestampMs, unit, storageResolutionSeconds, ...(countNumbers !== undefined ? { counts: countNumbers } : {}) });
    }
    if (value === undefined) {
      throw cloudWatchErrors.invalidParameterCombination(`At least one of the parameters ${at}.Value, ${at}.StatisticValues or ${at}.Values must be specified.`);
    }
    return datapointFromValues(id, [checkValue(value, `${at}.Value`)], { timestampMs, unit, storageResolutionSeconds });
  });
}
