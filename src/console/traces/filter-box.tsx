import { useEffect, useState } from 'react';
import { errorPosition } from './filter-text.ts';

/** The filter-expression box: Enter runs it; a parse error is shown under the column it names. */
export function FilterBox(props: {
  readonly value: string;
  readonly error: string | undefined;
  readonly onRun: (filter: string) => void;
  /** The input's accessible name. @default Filter expression */
  readonly label?: string;
  readonly placeholder?: string;
}) {
  const [text, setText] = useState(props.value);
  useEffect(() => setText(props.value), [props.value]);
  return (
    <form
      className="filter-box"
      onSubmit={(event) => {
        event.preventDefault();
        props.onRun(text);
      }}
    >
      <input
        aria-label={props.label ?? 'Filter expression'}
        className="mono"
        placeholder={props.placeholder ?? 'e.g. service(id(type: "AWS::Lambda::Function")) { fault } or annotation.path = "/prod/foo"'}
        value={text}
        spellCheck={false}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" className="primary">Run</button>
      {text !== '' && <button type="button" onClick={() => { setText(''); props.onRun(''); }}>Clear</button>}
      {props.error !== undefined && <FilterError filter={props.value} message={props.error} />}
    </form>
  );
}

/** The message, and the filter's line with a caret under the column the message names. */
export function FilterError(props: { readonly filter: string; readonly message: string }) {
  const position = errorPosition(props.message);
  const line = position === undefined ? undefined : props.filter.split(/\r\n|\r|\n/)[position.line - 1];
  return (
    <div className="filter-error" role="alert">
      <p>{props.message}</p>
      {position !== undefined && line !== undefined && (
        <pre className="mono" aria-label={`error at column ${position.column}`}>
          {line}
          {'\n'}
          {' '.repeat(Math.max(0, position.column - 1))}^
        </pre>
      )}
    </div>
  );
}
