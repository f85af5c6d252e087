import type { BreakdownValue, Counted, Dimension } from './breakdown.ts';

/** A value's traces in one set, and their share of the set. */
export interface SetShare {
  readonly count: number;
  /** 0 to 1; a set of no traces has no share of anything. */
  readonly share: number;
}

export interface ComparedRow extends BreakdownValue {
  readonly a: SetShare;
  /** Undefined when there is no second set. */
  readonly b: SetShare | undefined;
}

export interface Compared {
  readonly rows: readonly ComparedRow[];
  /** Values left out of `rows`. */
  readonly hidden: number;
  /** The traces with no value, when some set has any and the language can pick them. */
  readonly none: (NonNullable<Dimension['none']> & { readonly a: SetShare; readonly b: SetShare | undefined }) | undefined;
}

export function shareOf(count: number, total: number): SetShare {
  return { count, share: total === 0 ? 0 : count / total };
}

/**
 * The `top` values of one set, or of two side by side. Shares are of each set's own traces, so
 * sets of different sizes compare; two sets rank a value by its larger share, so a value common
 * in either one shows.
 */
export function compareCounts(a: Counted, b: Counted | undefined, none: Dimension['none'], top: number): Compared {
  const rows = new Map<string, ComparedRow>();
  for (const value of a.values) rows.set(value.key, { ...strip(value), a: shareOf(value.count, a.total), b: b === undefined ? undefined : shareOf(0, b.total) });
  for (const value of b?.values ?? []) {
    const seen = rows.get(value.key);
    const share = shareOf(value.count, b?.total ?? 0);
    rows.set(value.key, seen === undefined ? { ...strip(value), a: shareOf(0, a.total), b: share } : { ...seen, b: share });
  }
  const ranked = [...rows.values()];
  if (b !== undefined) {
    ranked.sort((x, y) => rank(y) - rank(x) || (y.a.count + (y.b?.count ?? 0)) - (x.a.count + (x.b?.count ?? 0)) || compareText(x.label, y.label) || compareText(x.key, y.key));
  }
  const noneShown = none !== undefined && (a.none > 0 || (b?.none ?? 0) > 0);
  return {
    rows: ranked.slice(0, top),
    hidden: Math.max(0, ranked.length - top),
    none: noneShown ? { ...none, a: shareOf(a.none, a.total), b: b === undefined ? undefined : shareOf(b.none, b.total) } : undefined,
  };
}

function strip(value: BreakdownValue & { readonly count: number }): BreakdownValue {
  return { key: value.key, label: value.label, detail: value.detail, clause: value.clause };
}

function rank(row: ComparedRow): number {
  return Math.max(row.a.share, row.b?.share ?? 0);
}

function compareText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The difference of B's share from A's in percentage points, signed: `+12 pp`, `−3.5 pp`, `0 pp`. */
export function differenceText(row: Pick<ComparedRow, 'a' | 'b'>): string | undefined {
  if (row.b === undefined) return undefined;
  const points = (row.b.share - row.a.share) * 100;
  const size = Math.abs(points);
  const shown = size === 0 ? '0' : size >= 10 ? String(Math.round(size)) : size.toFixed(1);
  return shown === '0' || shown === '0.0' ? '0 pp' : `${points > 0 ? '+' : '−'}${shown} pp`;
}
