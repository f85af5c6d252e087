import { useState } from 'react';
import type { ReactNode } from 'react';
import { formatCount, formatPercent } from '../shared/format.ts';
import type { Counted, Dimension } from './breakdown.ts';
import type { SetShare } from './compare.ts';
import { compareCounts, differenceText } from './compare.ts';

/** Rows a breakdown shows until asked for all. */
const TOP_VALUES = 8;

/**
 * The top values of a breakdown with each set's count and share; clicking a value adds its
 * clause to the filter. Every value is the trace's own text, rendered as text.
 */
export function BreakdownTable(props: {
  readonly dimension: Pick<Dimension, 'id' | 'title' | 'column' | 'none'>;
  readonly a: Counted;
  /** The second set's counts, when comparing. */
  readonly b: Counted | undefined;
  readonly onAdd: ((clause: string) => void) | undefined;
  /** Controls in the header (the annotation key). */
  readonly children?: ReactNode;
  /** A note under the table. */
  readonly note?: string;
}) {
  const { dimension, onAdd } = props;
  const [all, setAll] = useState(false);
  const comparing = props.b !== undefined;
  const compared = compareCounts(props.a, props.b, dimension.none, all ? Number.POSITIVE_INFINITY : TOP_VALUES);
  const empty = compared.rows.length === 0 && compared.none === undefined;
  return (
    <section className="breakdown" aria-label={dimension.title} data-breakdown={dimension.id}>
      <header>
        <h2>{dimension.title}</h2>
        {props.children}
      </header>
      {empty ? <p className="muted">None in these traces.</p> : (
        <table className={comparing ? 'breakdown-table compared' : 'breakdown-table'}>
          <colgroup>
            <col className="value-column" />
            <col className="count-column" />
            <col />
            {comparing && <col className="count-column" />}
            {comparing && <col />}
            {comparing && <col className="difference-column" />}
          </colgroup>
          <thead>
            <tr>
              <th>{dimension.column}</th>
              <th className="num">{comparing ? 'A' : 'Traces'}</th>
              <th>{comparing ? 'of A' : 'Share'}</th>
              {comparing && <th className="num">B</th>}
              {comparing && <th>of B</th>}
              {comparing && <th className="num" title="B's share minus A's, in percentage points">B − A</th>}
            </tr>
          </thead>
          <tbody>
            {compared.rows.map((row) => (
              <Row key={row.key} label={row.label} detail={row.detail} clause={row.clause} a={row.a} b={row.b} comparing={comparing} onAdd={onAdd} />
            ))}
            {compared.none !== undefined && (
              <Row label={compared.none.label} detail={undefined} clause={compared.none.clause} a={compared.none.a} b={compared.none.b} comparing={comparing} onAdd={onAdd} none />
            )}
          </tbody>
        </table>
      )}
      {(compared.hidden > 0 || all) && (
        <p className="muted more">
          {all ? '' : `${compared.hidden} more ${compared.hidden === 1 ? 'value' : 'values'} not shown. `}
          <button type="button" className="value-link inline" onClick={() => setAll(!all)}>{all ? `Show the top ${TOP_VALUES}` : 'Show all'}</button>
        </p>
      )}
      {props.note !== undefined && !empty && <p className="muted more">{props.note}</p>}
    </section>
  );
}

function Row(props: {
  readonly label: string;
  readonly detail: string | undefined;
  readonly clause: string | undefined;
  readonly a: SetShare;
  readonly b: SetShare | undefined;
  readonly comparing: boolean;
  readonly onAdd: ((clause: string) => void) | undefined;
  readonly none?: boolean;
}) {
  const { clause, onAdd, a, b } = props;
  const shown = props.label === '' ? '(empty)' : props.label;
  const title = `${shown}${props.detail === undefined ? '' : ` (${props.detail})`}\n${clause === undefined ? 'The filter language cannot name this value' : `Add to the filter: ${clause}`}`;
  return (
    <tr data-value={props.none === true ? undefined : props.label} data-none={props.none === true ? '' : undefined} data-count-a={a.count} data-count-b={b?.count}>
      <td className="value" title={title}>
        <button type="button" className={props.none === true || props.label === '' ? 'value-link quiet' : 'value-link'} disabled={clause === undefined || onAdd === undefined} title={title} onClick={() => { if (clause !== undefined) onAdd?.(clause); }}>
          {shown}
        </button>
        {props.detail !== undefined && <span className="detail muted" title={props.detail}>{props.detail}</span>}
      </td>
      <td className="num">{formatCount(a.count)}</td>
      <td><ShareBar share={a} set="a" /></td>
      {props.comparing && b !== undefined && (
        <>
          <td className="num">{formatCount(b.count)}</td>
          <td><ShareBar share={b} set="b" /></td>
          <td className="num difference">{differenceText({ a, b })}</td>
        </>
      )}
    </tr>
  );
}

function ShareBar(props: { readonly share: SetShare; readonly set: 'a' | 'b' }) {
  const percent = formatPercent(props.share.share, 1);
  return (
    <span className="share">
      <span className="share-bar"><i className={`set-${props.set}`} style={{ width: `${Math.min(100, props.share.share * 100)}%` }} /></span>
      <span className="num">{percent}</span>
    </span>
  );
}
