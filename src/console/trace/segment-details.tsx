import type { ReactNode } from 'react';
import { formatSeconds, formatTime } from '../shared/format.ts';
import { JsonTree } from '../shared/json-tree.tsx';
import { linkTarget } from './link-target.ts';
import { cutUrl, frameText, type StackFrameFields } from './stack-frame.ts';
import type { TimelineRow } from '../../common/trace-model/timeline.ts';

/**
 * Everything one segment or subsegment recorded, by section; every value rendered as text.
 * `traceId`: the trace shown, which a nested subsegment's document does not name.
 */
export function SegmentDetails(props: { readonly row: TimelineRow; readonly traceId: string; readonly traceStart: number }) {
  const { row } = props;
  const document = row.document;
  const annotations = objectField(document, 'annotations');
  const metadata = objectField(document, 'metadata');
  const http = objectField(document, 'http');
  const aws = objectField(document, 'aws');
  const sql = objectField(document, 'sql');
  const cause = document['cause'];
  const links = Array.isArray(document['links']) ? (document['links'] as unknown[]) : [];
  return (
    <aside className="details segment-details" aria-label="Segment details">
      <header>
        <h2 title={row.name}>{row.name}</h2>
        <p className="muted">{row.kind === 'segment' ? 'Segment' : 'Subsegment'}{row.origin === undefined ? '' : ` · ${row.origin}`}</p>
      </header>
      <Section title="Overview">
        <dl className="fields">
          <Field name="Id" value={row.id} mono />
          <Field name="Status" value={row.status} />
          <Field name="Start" value={`${formatTime(row.start)} (+${formatSeconds(row.start - props.traceStart)})`} />
          <Field name="Duration" value={row.end === undefined ? 'in progress' : formatSeconds(row.end - row.start)} />
          <Field name="Parent" value={stringOf(document['parent_id'])} mono />
          <Field name="Trace" value={stringOf(document['trace_id'])} mono />
          <Field name="User" value={stringOf(document['user'])} />
          <Field name="Resource ARN" value={stringOf(document['resource_arn'])} mono />
        </dl>
      </Section>
      {http !== undefined && <Section title="HTTP"><JsonTree value={http} /></Section>}
      {aws !== undefined && <Section title="AWS"><JsonTree value={aws} /></Section>}
      {annotations !== undefined && (
        <Section title="Annotations">
          <table className="stats">
            <tbody>
              {Object.entries(annotations).map(([key, value]) => (
                <tr key={key} data-annotation={key}><th>{key}</th><td>{typeof value === 'string' ? value : JSON.stringify(value)}</td></tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
      {metadata !== undefined && <Section title="Metadata"><JsonTree value={metadata} /></Section>}
      {cause !== undefined && <Section title="Exceptions"><Cause cause={cause} /></Section>}
      {links.length > 0 && <Section title="Links"><Links links={links} traceId={stringOf(document['trace_id']) ?? props.traceId} /></Section>}
      {sql !== undefined && <Section title="SQL"><JsonTree value={sql} /></Section>}
      <Section title="Raw document" open={false}><JsonTree value={stripChildren(document)} depth={1} /></Section>
    </aside>
  );
}

function Section(props: { readonly title: string; readonly children: ReactNode; readonly open?: boolean }) {
  return (
    <details className="section" open={props.open ?? true}>
      <summary>{props.title}</summary>
      {props.children}
    </details>
  );
}

function Field(props: { readonly name: string; readonly value: string | undefined; readonly mono?: boolean }) {
  if (props.value === undefined) return null;
  return (
    <>
      <dt>{props.name}</dt>
      <dd className={props.mono === true ? 'mono' : undefined}>{props.value}</dd>
    </>
  );
}

/**
 * Span links (`links: [{ trace_id, id, attributes }]`): the spans this one follows from, e.g. the
 * messages a batch consumer handled. A link into another trace opens that trace; one naming no
 * trace shows `?`.
 */
function Links(props: { readonly links: readonly unknown[]; readonly traceId: string }) {
  return (
    <table className="stats links">
      <tbody>
        {props.links.map((link, index) => {
          const fields = (typeof link === 'object' && link !== null ? link : {}) as Record<string, unknown>;
          const target = linkTarget(stringOf(fields['trace_id']), props.traceId);
          const attributes = objectField(fields, 'attributes');
          return (
            <tr key={index} data-link={index}>
              <th className="mono">{stringOf(fields['id']) ?? '?'}</th>
              <td>
                {target.kind === 'this-trace' && <span className="muted">in this trace</span>}
                {target.kind === 'unknown' && <span className="muted" title="The link names no trace">?</span>}
                {target.kind === 'other-trace' && <a className="mono" href={`#/trace/${encodeURIComponent(target.traceId)}`}>{target.traceId}</a>}
                {attributes !== undefined && <JsonTree value={attributes} />}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** `cause`: an exception id pointing elsewhere, or exceptions with their stacks. */
function Cause(props: { readonly cause: unknown }) {
  const { cause } = props;
  if (typeof cause === 'string') return <p>Exception recorded in another subsegment: <span className="mono">{cause}</span></p>;
  const fields = typeof cause === 'object' && cause !== null ? (cause as Record<string, unknown>) : {};
  const exceptions: unknown[] = Array.isArray(fields['exceptions']) ? fields['exceptions'] : [];
  const directory = stringOf(fields['working_directory']);
  return (
    <div className="exceptions">
      {directory !== undefined && <p className="muted working-directory">Working directory: <span className="mono" title={directory}>{directory}</span></p>}
      {exceptions.length === 0 && <JsonTree value={cause} />}
      {exceptions.map((exception, index) => {
        const details = (typeof exception === 'object' && exception !== null ? exception : {}) as Record<string, unknown>;
        const stack = Array.isArray(details['stack']) ? (details['stack'] as StackFrameFields[]) : [];
        return (
          <div className="exception" key={index}>
            <p>
              <strong>{stringOf(details['type']) ?? 'Exception'}</strong>
              {details['remote'] === true && <span className="origin">remote</span>}
              {': '}
              {stringOf(details['message']) ?? ''}
            </p>
            {stack.length > 0 && (
              <pre className="stack mono">
                {stack.map(frameText).join('\n')}
              </pre>
            )}
            {stack.some(cutUrl) && (
              <p className="muted" data-cut-frames>
                The X-Ray SDK for Node.js keeps only the scheme of a file URL (<code>file:…</code>, <code>node:…</code>): the rest of those frames&apos; paths and their lines were not sent.
              </p>
            )}
            {typeof details['truncated'] === 'number' && <p className="muted">{String(details['truncated'])} frames left out</p>}
          </div>
        );
      })}
    </div>
  );
}

function objectField(value: unknown, name: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'object' && field !== null && !Array.isArray(field) ? (field as Record<string, unknown>) : undefined;
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The document without its nested subsegments, which have rows of their own. */
function stripChildren(document: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { subsegments, ...rest } = document;
  return subsegments === undefined ? rest : { ...rest, subsegments: `${Array.isArray(subsegments) ? subsegments.length : 0} nested, shown as rows` };
}
