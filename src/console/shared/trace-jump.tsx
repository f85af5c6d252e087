import { useState } from 'react';
import { navigate } from './route.ts';
import { traceIdOf } from './trace-id.ts';

/** A box in the top bar: paste a trace id (from a log line or a response header), press Enter, see the trace. */
export function TraceJump() {
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  return (
    <form
      className="trace-jump"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        const id = traceIdOf(text);
        setInvalid(id === undefined);
        if (id === undefined) return;
        setText('');
        navigate('trace', id, {});
      }}
    >
      <input
        aria-label="Go to trace id"
        aria-invalid={invalid}
        title={invalid ? 'A trace id looks like 1-5f84c7a1-0123456789abcdef01234567' : 'Go to a trace by its id'}
        className="mono"
        placeholder="Go to trace id…"
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setInvalid(false);
        }}
      />
      {invalid && <span className="trace-jump-error" role="alert">Not a trace id: paste 1-5f84c7a1-0123456789abcdef01234567, 32 hex digits or an X-Amzn-Trace-Id header.</span>}
    </form>
  );
}
