import { STATUS_COLOURS } from '../shared/status-colours.ts';

export function Legend() {
  return (
    <footer className="legend">
      <span><i style={{ background: STATUS_COLOURS.ok }} />OK</span>
      <span><i style={{ background: STATUS_COLOURS.error }} />Error (4xx)</span>
      <span><i style={{ background: STATUS_COLOURS.throttle }} />Throttle (429)</span>
      <span><i style={{ background: STATUS_COLOURS.fault }} />Fault (5xx)</span>
      <span><b className="dash" />Asynchronous link</span>
      <span className="muted">Scroll to zoom, drag to pan, click a node or edge for details.</span>
    </footer>
  );
}
