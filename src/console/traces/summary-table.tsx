import type { TraceSummary } from '../api/types.ts';
import { formatSeconds, formatTime } from '../shared/format.ts';
import type { SortKey, SortOrder } from './sort.ts';
import { rootCauseDetails, rootCauseLabel, rootCauseOf } from './root-cause.ts';
import { annotationText } from './sort.ts';
import { rootResponseText, statusOf } from './status.ts';

const COLUMNS: ReadonlyArray<{ readonly key: SortKey; readonly label: string }> = [
  { key: 'time', label: 'Time' },
  { key: 'id', label: 'Trace ID' },
  { key: 'responseTime', label: 'Response time' },
  { key: 'duration', label: 'Duration' },
  { key: 'status', label: 'Status' },
  { key: 'rootCause', label: 'Root cause' },
  { key: 'method', label: 'Method' },
  { key: 'url', label: 'URL' },
  { key: 'annotations', label: 'Annotations' },
];

export function SummaryTable(props: {
  readonly summaries: readonly TraceSummary[];
  readonly sort: SortOrder;
  readonly onSort: (sort: SortOrder) => void;
  readonly onOpen: (traceId: string) => void;
}) {
  const { sort } = props;
  return (
    <div className="table-scroll">
      <table className="summaries">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column.key} aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                <button type="button" onClick={() => props.onSort({ key: column.key, descending: sort.key === column.key ? !sort.descending : column.key === 'time' })}>
                  {column.label}{sort.key === column.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.summaries.map((summary) => {
            const status = statusOf(summary);
            const http = summary.Http;
            const cause = rootCauseOf(summary);
            return (
              <tr key={summary.Id} data-trace-id={summary.Id} onClick={() => props.onOpen(summary.Id)}>
                <td className="nowrap">{formatTime(summary.StartTime)}</td>
                <td className="mono"><a href={`#/trace/${encodeURIComponent(summary.Id)}`} onClick={(event) => event.stopPropagation()}>{summary.Id}</a></td>
                <td className="num">{formatSeconds(summary.ResponseTime)}</td>
                <td className="num">{formatSeconds(summary.Duration)}</td>
                <td className="status">
                  <span className={`badge ${status}`} title={`trace status: the worst of its segments (${status})`}>{status}</span>
                  {' '}<span className="root-response muted" title={rootResponseText(summary)}>{http?.HttpStatus ?? '-'}</span>
                  {summary.IsPartial === true ? <span className="muted"> partial</span> : null}
                </td>
                <td className="root-cause" title={rootCauseDetails(summary)}>
                  {cause !== undefined && <><span className={`status-dot ${cause.kind}`} /> {rootCauseLabel(cause)}</>}
                </td>
                <td>{http?.HttpMethod ?? ''}</td>
                <td className="url" title={http?.HttpURL}>{http?.HttpURL ?? ''}</td>
                <td className="annotations" title={annotationText(summary)}>{annotationText(summary)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
