import { useState } from 'react';
import type { XrayApi } from '../api/client.ts';
import type { LogSearchResult } from '../api/types.ts';
import { navigate, type Route } from '../shared/route.ts';
import { PRESETS, timeRangeFromParams, timeRangeParams, windowOf } from '../shared/time-range.ts';
import { useLoader } from '../shared/use-loader.ts';
import { LogTable } from '../trace/trace-logs.tsx';

/**
 * CloudWatch Logs of the local cloud: a group, a time range, and a filter pattern (its lines) or a
 * Logs Insights query (its rows). The view is the URL: `#/logs?group=...&range=1h&filter=...` or
 * `...&query=...`, run when opened.
 */
export function LogsPage(props: { readonly api: XrayApi; readonly route: Route }) {
  const { api, route } = props;
  const groups = useLoader('log-groups', () => api.logGroups());
  const range = timeRangeFromParams(route.params);
  const group = route.params.get('group') ?? '';
  const filter = route.params.get('filter') ?? '';
  const query = route.params.get('query') ?? '';
  const mode = query !== '' ? 'query' : 'filter';
  const [draft, setDraft] = useState({ mode, text: mode === 'query' ? query : filter, group });
  const runKey = `logs:${group}:${range.preset}:${range.from ?? ''}:${range.to ?? ''}:${filter}:${query}`;
  const result = useLoader<LogSearchResult | undefined>(runKey, async () => {
    if (group === '') return undefined;
    const window = windowOf(range, Date.now() / 1000);
    return api.searchLogs({
      group, startMs: Math.floor(window.start * 1000), endMs: Math.ceil(window.end * 1000),
      ...(query !== '' ? { query } : filter !== '' ? { filterPattern: filter } : {}),
    });
  });
  const run = (): void => {
    navigate('logs', '', {
      ...timeRangeParams(range), group: draft.group,
      ...(draft.mode === 'query' ? { query: draft.text } : { filter: draft.text }),
    });
  };
  const lines = result.value?.Lines;
  const rows = result.value?.Rows;
  return (
    <section className="page logs-page">
      <header className="toolbar">
        <h1>Logs</h1>
        <label>Log group{' '}
          <select value={draft.group} onChange={(event) => setDraft({ ...draft, group: event.target.value })}>
            <option value="">choose a group</option>
            {(groups.value ?? []).map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </label>
        <label>Range{' '}
          <select value={range.preset} onChange={(event) => navigate('logs', '', { group, filter, query, range: event.target.value })}>
            {PRESETS.map((preset) => <option key={preset.id} value={preset.id}>{preset.label}</option>)}
            {range.preset === 'custom' && <option value="custom">custom</option>}
          </select>
        </label>
      </header>
      {groups.error !== undefined && <p className="error" role="alert">{groups.error.message}</p>}
      <form className="toolbar" onSubmit={(event) => { event.preventDefault(); run(); }}>
        <label><input type="radio" name="mode" checked={draft.mode === 'filter'} onChange={() => setDraft({ ...draft, mode: 'filter' })} /> Filter pattern</label>
        <label><input type="radio" name="mode" checked={draft.mode === 'query'} onChange={() => setDraft({ ...draft, mode: 'query' })} /> Logs Insights query</label>
        <input
          className="mono grow"
          aria-label={draft.mode === 'query' ? 'Logs Insights query' : 'Filter pattern'}
          value={draft.text}
          placeholder={draft.mode === 'query' ? 'filter @message like /Exception/ | stats count(*) by bin(5m)' : '{ $.level = "ERROR" }'}
          onChange={(event) => setDraft({ ...draft, text: event.target.value })}
        />
        <button type="submit" disabled={draft.group === ''}>Run</button>
      </form>
      {result.error !== undefined && <p className="error" role="alert">{result.error.message}</p>}
      {group === '' && <p className="muted">Choose a log group: each function's, the stage's execution and access logs.</p>}
      {lines !== undefined && (
        <>
          <p className="muted">{lines.length} line{lines.length === 1 ? '' : 's'}{result.value?.More === true ? ' (more in the range: narrow it or refine the pattern)' : ''}</p>
          {lines.length > 0 && <LogTable lines={lines} />}
        </>
      )}
      {rows !== undefined && (
        <table className="log-rows">
          <thead><tr>{(result.value?.Fields ?? []).map((field) => <th key={field} scope="col">{field}</th>)}</tr></thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index}>{(result.value?.Fields ?? []).map((field) => <td key={field} className="mono">{row[field] ?? ''}</td>)}</tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
