import { useState } from 'react';

/** A JSON value as a tree whose objects and arrays fold; every value is rendered as text. */
export function JsonTree(props: { readonly value: unknown; readonly name?: string; readonly depth?: number }) {
  const depth = props.depth ?? 0;
  const { value, name } = props;
  const [open, setOpen] = useState(depth < 2);
  const label = name === undefined ? null : <span className="json-key">{name}: </span>;
  if (value === null || typeof value !== 'object') {
    return <div className="json-row" style={{ paddingLeft: depth * 14 }}>{label}<span className={`json-${value === null ? 'null' : typeof value}`}>{scalar(value)}</span></div>;
  }
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <div className="json-node">
      <button type="button" className="json-row json-toggle" style={{ paddingLeft: depth * 14 }} aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="caret">{open ? '▾' : '▸'}</span>{label}
        <span className="muted">{brackets[0]}{open ? '' : ` ${entries.length} ${entries.length === 1 ? 'item' : 'items'} ${brackets[1]}`}</span>
      </button>
      {open && entries.map(([key, item]) => <JsonTree key={key} name={key} value={item} depth={depth + 1} />)}
      {open && <div className="json-row muted" style={{ paddingLeft: depth * 14 }}>{brackets[1]}</div>}
    </div>
  );
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
