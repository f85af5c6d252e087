/** How `xray-tracer trace` prints a trace: the waterfall, then annotations and exceptions; or the API's shape. */
import type { BatchGetTracesCommandOutput, Trace } from '@aws-sdk/client-xray';
import { alignedTable, printable } from '../xray-api/index.ts';
import { waterfall, type SegmentDocument, type WaterfallRow } from './waterfall.ts';

/** Columns of the bar: wide enough to tell a 2% call from a 4% one, narrow enough for 120 columns. */
export const BAR_WIDTH = 40;
const MAX_NAME = 48;

/** `85.0 ms` below a second, `1.500 s` from there. */
export function duration(seconds: number): string {
  return seconds < 1 ? `${(seconds * 1000).toFixed(1)} ms` : `${seconds.toFixed(3)} s`;
}

function time(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

function documentsOf(trace: Trace): SegmentDocument[] {
  const documents: SegmentDocument[] = [];
  for (const segment of trace.Segments ?? []) {
    try {
      const parsed: unknown = JSON.parse(segment.Document ?? '');
      // An inferred segment (X-Ray's node for a downstream call) repeats the caller's subsegment, shown already.
      const inferred = typeof parsed === 'object' && parsed !== null && (parsed as { inferred?: unknown }).inferred === true;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && !inferred) documents.push(parsed as SegmentDocument);
    } catch {
      // The service stores only documents that parsed; a broken one is left out rather than fatal.
    }
  }
  return documents;
}

function indented(row: WaterfallRow): string {
  const text = `${'  '.repeat(row.depth)}${row.name}`;
  return text.length > MAX_NAME ? `${text.slice(0, MAX_NAME - 1)}…` : text;
}

function annotationText(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function annotationsOf(row: WaterfallRow): string | undefined {
  const annotations = row.document['annotations'];
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) return undefined;
  const entries = Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? undefined : entries.map(([key, value]) => `${key}=${annotationText(value)}`).join(' ');
}

function exceptionsOf(row: WaterfallRow): string[] {
  const cause = row.document['cause'];
  const list = typeof cause === 'object' && cause !== null ? (cause as { exceptions?: unknown }).exceptions : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null).map((e) => {
    const type = typeof e['type'] === 'string' ? e['type'] : 'exception';
    return typeof e['message'] === 'string' ? `${type}: ${e['message']}` : type;
  });
}

/** A titled list of (row name, text), names aligned; nothing when empty. */
function section(title: string, entries: ReadonlyArray<readonly [string, string]>): string[] {
  if (entries.length === 0) return [];
  const table = alignedTable([{ title: '' }, { title: '' }], entries);
  return ['', `${title}:`, ...table.slice(1).map((line) => `  ${line}`)];
}

export function formatTrace(trace: Trace): string[] {
  const { rows, start, end } = waterfall(documentsOf(trace), BAR_WIDTH);
  const total = trace.Duration ?? end - start;
  const scaleEnd = duration(end - start);
  const scale = `0${scaleEnd.padStart(BAR_WIDTH - 1)}`;
  const table = alignedTable(
    [{ title: 'name' }, { title: 'origin' }, { title: 'status' }, { title: 'duration', align: 'right' }, { title: `|${scale}|` }],
    rows.map((row) => [indented(row), row.origin ?? '-', row.status, row.duration === undefined ? 'in progress' : duration(row.duration), `|${row.bar}|`]),
  );
  const lines = [
    `trace ${printable(trace.Id ?? '-')}  ${duration(total)}  started ${rows.length === 0 ? '-' : time(start)}  ${rows.length === 1 ? '1 segment' : `${rows.length} segments and subsegments`}`,
    '',
    ...table,
  ];
  const annotated = rows.flatMap((row) => {
    const text = annotationsOf(row);
    return text === undefined ? [] : [[row.name, text] as const];
  });
  const failed = rows.flatMap((row) => exceptionsOf(row).map((text) => [row.name, text] as const));
  return [...lines, ...section('annotations', annotated), ...section('exceptions', failed)];
}

/** The BatchGetTraces response shape (without the SDK's $metadata). */
export function formatJson(output: Pick<BatchGetTracesCommandOutput, 'Traces' | 'UnprocessedTraceIds'>): string {
  return JSON.stringify({ Traces: output.Traces ?? [], UnprocessedTraceIds: output.UnprocessedTraceIds ?? [] }, null, 2);
}
