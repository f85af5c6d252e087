import { useState } from 'react';
import { navigate } from './route.ts';

/** X-Ray trace ids, also with the OpenTelemetry form's 32 hex digits, which the service stores as X-Ray ids. */
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const OTEL_TRACE_ID = /^[0-9a-f]{32}$/;

/** The trace id typed or pasted, as the X-Ray API names it; undefined when it is not one. */
export function traceIdOf(text: string): string | undefined {
  // A whole X-Amzn-Trace-Id header value names the trace as its Root.
  const root = /(?:^|;)\s*Root=([^;\s]+)/i.exec(text);
  const id = (root?.[1] ?? text).trim().toLowerCase();
  if (TRACE_ID.test(id)) return id;
  if (OTEL_TRACE_ID.test(id)) return `1-${id.slice(0, 8)}-${id.slice(8)}`;
  return undefined;
}

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
    </form>
  );
}
