import type { Window } from '../api/client.ts';

/** A time range as the URL keeps it: `5m`, `15m`, `1h`, ... or custom `from`/`to` epoch seconds. */
export interface TimeRange {
  readonly preset: string;
  readonly from?: number;
  readonly to?: number;
}

export const PRESETS: ReadonlyArray<{ readonly id: string; readonly label: string; readonly seconds: number }> = [
  { id: '5m', label: 'Last 5 minutes', seconds: 300 },
  { id: '15m', label: 'Last 15 minutes', seconds: 900 },
  { id: '1h', label: 'Last hour', seconds: 3600 },
  { id: '6h', label: 'Last 6 hours', seconds: 6 * 3600 },
  { id: '1d', label: 'Last day', seconds: 24 * 3600 },
];

export const DEFAULT_PRESET = '15m';

export function timeRangeFromParams(params: URLSearchParams): TimeRange {
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  if (params.get('range') === 'custom' && Number.isFinite(from) && Number.isFinite(to) && from > 0 && to > from) {
    return { preset: 'custom', from, to };
  }
  const preset = params.get('range') ?? DEFAULT_PRESET;
  return { preset: PRESETS.some((p) => p.id === preset) ? preset : DEFAULT_PRESET };
}

export function timeRangeParams(range: TimeRange): Record<string, string | undefined> {
  return range.preset === 'custom'
    ? { range: 'custom', from: String(range.from), to: String(range.to) }
    : { range: range.preset === DEFAULT_PRESET ? undefined : range.preset, from: undefined, to: undefined };
}

/** The window a range covers at `nowSeconds`; relative ranges end now. */
export function windowOf(range: TimeRange, nowSeconds: number): Window {
  if (range.preset === 'custom' && range.from !== undefined && range.to !== undefined) return { start: range.from, end: range.to };
  const seconds = PRESETS.find((p) => p.id === range.preset)?.seconds ?? 900;
  return { start: nowSeconds - seconds, end: nowSeconds };
}

/** Relative ranges move with the clock, so they refresh live; a custom range is fixed. */
export function isLive(range: TimeRange): boolean {
  return range.preset !== 'custom';
}
