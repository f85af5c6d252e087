import type { AnnotationValue, FaultRootCause, ServiceId, TraceSummary } from '../api/types.ts';
import type { HttpField, RootCauseKind } from './filter-clause.ts';
import { annotationClause, httpClause, noHttpClause, noRootCauseClause, rootCauseClause, serviceClause } from './filter-clause.ts';

/** One value a trace can have in a breakdown, and the clause that picks the traces with it. */
export interface BreakdownValue {
  /** Tells values apart (a string "5" from a number 5, a name under two types). */
  readonly key: string;
  readonly label: string;
  /** Shown after the label, quieter: a service's type, a value's type. */
  readonly detail: string | undefined;
  /** Undefined when the filter language cannot say it (an annotation key with a dash). */
  readonly clause: string | undefined;
}

/** What a breakdown counts the traces by. */
export interface Dimension {
  readonly id: string;
  readonly title: string;
  /** What the value column is headed. */
  readonly column: string;
  /** The trace's values, each once. */
  valuesOf(summary: TraceSummary): readonly BreakdownValue[];
  /** The row of the traces with no value, when the language can pick them. */
  readonly none: { readonly label: string; readonly clause: string } | undefined;
}

/** Each value with the number of traces that have it, most first. */
export interface Counted {
  /** Traces in the set. */
  readonly total: number;
  readonly values: ReadonlyArray<BreakdownValue & { readonly count: number }>;
  /** Traces with no value. */
  readonly none: number;
}

export function countValues(summaries: readonly TraceSummary[], dimension: Dimension): Counted {
  const tally = newTally();
  addToTally(tally, summaries, 0, dimension);
  return countedOf(tally);
}

/** Counts so far, to which more summaries can be added (analytics/counts-cache.ts). */
export interface Tally {
  readonly byKey: Map<string, BreakdownValue & { count: number }>;
  total: number;
  none: number;
}

export function newTally(): Tally {
  return { byKey: new Map(), total: 0, none: 0 };
}

/** Adds `summaries` from index `from` on to `tally`. */
export function addToTally(tally: Tally, summaries: readonly TraceSummary[], from: number, dimension: Dimension): void {
  for (let i = from; i < summaries.length; i++) {
    const values = distinct(dimension.valuesOf(summaries[i]!));
    tally.total += 1;
    if (values.length === 0) tally.none += 1;
    for (const value of values) {
      const entry = tally.byKey.get(value.key);
      if (entry === undefined) tally.byKey.set(value.key, { ...value, count: 1 });
      else entry.count += 1;
    }
  }
}

export function countedOf(tally: Tally): Counted {
  const values = [...tally.byKey.values()].map((value) => ({ ...value }))
    .sort((a, b) => b.count - a.count || compareText(a.label, b.label) || compareText(a.key, b.key));
  return { total: tally.total, values, none: tally.none };
}

function distinct(values: readonly BreakdownValue[]): BreakdownValue[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    if (seen.has(value.key)) return false;
    seen.add(value.key);
    return true;
  });
}

/** By character code, the same in every locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function serviceKey(service: Pick<ServiceId, 'Name' | 'Type'>): string {
  return JSON.stringify([service.Name ?? '', service.Type ?? '']);
}

/** The service each root cause of the kind ends in: where the fault (error) started. */
function rootCauseDimension(kind: RootCauseKind): Dimension {
  const field = kind === 'fault' ? 'FaultRootCauses' : 'ErrorRootCauses';
  return {
    id: `${kind}-root-cause`,
    title: kind === 'fault' ? 'Fault root causes' : 'Error root causes',
    column: 'Service',
    valuesOf: (summary) => lastServices(summary[field]).map((service) => ({
      key: serviceKey(service),
      label: service.Name ?? '',
      detail: rootCauseDetail(service),
      clause: rootCauseClause(kind, service),
    })),
    none: { label: kind === 'fault' ? 'no fault root cause' : 'no error root cause', clause: noRootCauseClause(kind) },
  };
}

/**
 * Where each root cause ended, a service once: a Lambda function is two nodes of one name, and a
 * failed run marks both the `AWS::Lambda` segment (its attempt) and the `AWS::Lambda::Function`
 * one, so a trace would count twice for one failure; the function stands for both.
 */
function lastServices(causes: readonly FaultRootCause[] | undefined): NonNullable<FaultRootCause['Services']> {
  const last = (causes ?? []).map((cause) => cause.Services?.[cause.Services.length - 1]).filter((service) => service !== undefined);
  const functions = new Set(last.filter((service) => service.Type === 'AWS::Lambda::Function').map((service) => service.Name));
  return last.filter((service) => !(service.Type === 'AWS::Lambda' && functions.has(service.Name)));
}

/** The service's type and the first exception its entities recorded. */
function rootCauseDetail(service: NonNullable<FaultRootCause['Services']>[number]): string | undefined {
  const exception = (service.EntityPath ?? []).flatMap((entity) => entity.Exceptions ?? [])[0];
  const exceptionText = exception === undefined ? '' : [exception.Name, exception.Message].filter((part) => part !== undefined && part !== '').join(': ');
  return [service.Type, exceptionText].filter((part) => part !== undefined && part !== '').join(' · ') || undefined;
}

function httpDimension(field: HttpField, title: string, column: string): Dimension {
  return {
    id: `http-${field}`,
    title,
    column,
    valuesOf: (summary) => {
      const http = summary.Http;
      const value = field === 'status' ? http?.HttpStatus : field === 'url' ? http?.HttpURL : http?.HttpMethod;
      if (value === undefined) return [];
      const text = String(value);
      return [{ key: text, ...(field === 'url' ? urlLabel(text) : { label: text, detail: undefined }), clause: httpClause(field, value) }];
    },
    none: { label: `no ${column.toLowerCase()}`, clause: noHttpClause(field) },
  };
}

/** A URL as its path (what tells one endpoint from another) over its origin; as it is when it does not parse. */
export function urlLabel(url: string): { readonly label: string; readonly detail: string | undefined } {
  try {
    const parsed = new URL(url);
    // Only URLs the browser keeps as written can be split without changing what is shown.
    if (url.startsWith(parsed.origin) && parsed.origin !== 'null') return { label: url.slice(parsed.origin.length) || '/', detail: parsed.origin };
  } catch {
    // Not an absolute URL: shown whole.
  }
  return { label: url, detail: undefined };
}

export const FAULT_ROOT_CAUSES = rootCauseDimension('fault');
export const ERROR_ROOT_CAUSES = rootCauseDimension('error');
export const HTTP_STATUSES = httpDimension('status', 'HTTP status codes', 'Status');
export const HTTP_METHODS = httpDimension('method', 'HTTP methods', 'Method');
export const HTTP_URLS = httpDimension('url', 'HTTP URLs', 'URL');

export const SERVICES: Dimension = {
  id: 'services',
  title: 'Services involved',
  column: 'Service',
  valuesOf: (summary) => (summary.ServiceIds ?? []).map((service) => ({
    key: serviceKey(service),
    label: service.Name ?? '',
    detail: service.Type,
    clause: serviceClause(service),
  })),
  none: undefined,
};

/** The values recorded under one annotation key. */
export function annotationDimension(key: string): Dimension {
  return {
    id: 'annotation',
    title: 'Annotations',
    column: 'Value',
    valuesOf: (summary) => (summary.Annotations?.[key] ?? []).flatMap((entry) => {
      const value = entry.AnnotationValue;
      const typed = value === undefined ? undefined : typedValue(value);
      return typed === undefined || value === undefined ? [] : [{ ...typed, clause: annotationClause(key, value) }];
    }),
    // `!annotation.KEY` would also pick a key whose value is false (docs/filter-expressions.md, 4).
    none: undefined,
  };
}

function typedValue(value: AnnotationValue): Omit<BreakdownValue, 'clause'> | undefined {
  if (value.StringValue !== undefined) return { key: `s${value.StringValue}`, label: value.StringValue, detail: undefined };
  if (value.NumberValue !== undefined) return { key: `n${value.NumberValue}`, label: String(value.NumberValue), detail: 'number' };
  if (value.BooleanValue !== undefined) return { key: `b${value.BooleanValue}`, label: String(value.BooleanValue), detail: 'boolean' };
  return undefined;
}

/** The annotation keys of the traces, the most used first. */
export function annotationKeys(...sets: ReadonlyArray<readonly TraceSummary[]>): Array<{ readonly key: string; readonly count: number }> {
  const counts = new Map<string, number>();
  for (const summaries of sets) {
    for (const summary of summaries) {
      for (const key of Object.keys(summary.Annotations ?? {})) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || compareText(a.key, b.key));
}
