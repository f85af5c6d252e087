import { BatchGetTracesCommand, PutTraceSegmentsCommand, type XRayClient } from '@aws-sdk/client-xray';
import type { Progress } from '../progress.ts';
import { callService } from '../xray-api/index.ts';
import { callSource, type PullSource } from './source.ts';
import { splitDocument } from './split-document.ts';

/** BatchGetTraces takes at most five ids a call, on AWS as here. */
const IDS_PER_CALL = 5;
/** PutTraceSegments calls stay well under the service's body limit. */
const MAX_BATCH_BYTES = 1024 * 1024;

export interface RejectedDocument {
  readonly traceId: string;
  readonly id: string;
  readonly reason: string;
}

export interface CopyResult {
  readonly traces: number;
  /** Documents the target stored. */
  readonly documents: number;
  /** Listed by the source but not returned when asked for (e.g. expired in between). */
  readonly missing: string[];
  /** Documents the target refused, with its reason. */
  readonly rejected: RejectedDocument[];
}

export interface CopyTarget {
  readonly client: XRayClient;
  readonly endpoint: string;
}

/** Reads the traces from the source, five at a time, and puts their documents into the target. */
export async function copyTraces(
  source: { readonly client: XRayClient; readonly options: PullSource },
  target: CopyTarget,
  traceIds: readonly string[],
  progress: Progress,
): Promise<CopyResult> {
  const missing: string[] = [];
  const rejected: RejectedDocument[] = [];
  let traces = 0;
  let documents = 0;
  progress.start(traceIds.length);
  try {
    for (let offset = 0; offset < traceIds.length; offset += IDS_PER_CALL) {
      const ids = traceIds.slice(offset, offset + IDS_PER_CALL);
      const found = new Set<string>();
      const batch: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await callSource(source.options, () => source.client.send(new BatchGetTracesCommand({
          TraceIds: ids,
          ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
        })));
        for (const trace of page.Traces ?? []) {
          if (trace.Id === undefined) continue;
          found.add(trace.Id);
          for (const segment of trace.Segments ?? []) {
            if (segment.Document === undefined) continue;
            batch.push(...documentsOf(trace.Id, segment.Id ?? '', segment.Document, rejected));
          }
        }
        nextToken = page.NextToken;
      } while (nextToken !== undefined);
      missing.push(...ids.filter((id) => !found.has(id)));
      traces += found.size;
      for (const chunk of chunksByBytes(batch, MAX_BATCH_BYTES)) {
        const answer = await callService(target.endpoint, () => target.client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: chunk })));
        const refusals = answer.UnprocessedTraceSegments ?? [];
        documents += chunk.length - refusals.length;
        for (const refused of refusals) {
          rejected.push({ traceId: traceIdOf(chunk, refused.Id), id: refused.Id ?? '', reason: `${refused.ErrorCode ?? ''} ${refused.Message ?? ''}`.trim() });
        }
      }
      progress.increment(ids.length);
    }
  } finally {
    progress.stop();
  }
  return { traces, documents, missing, rejected };
}

function documentsOf(traceId: string, segmentId: string, text: string, rejected: RejectedDocument[]): string[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    rejected.push({ traceId, id: segmentId, reason: 'the source returned a document that is not JSON' });
    return [];
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    rejected.push({ traceId, id: segmentId, reason: 'the source returned a document that is not a JSON object' });
    return [];
  }
  // X-Ray adds inferred segments from the caller's subsegment when a trace is read; the target makes them again.
  if ((document as Record<string, unknown>).inferred === true) return [];
  return splitDocument(document as Record<string, unknown>, traceId);
}

/** The trace id of the document the target refused, for the report. */
function traceIdOf(documents: readonly string[], id: string | undefined): string {
  if (id === undefined) return '';
  for (const text of documents) {
    if (!text.includes(`"${id}"`)) continue;
    const parsed = JSON.parse(text) as { id?: unknown; trace_id?: unknown };
    if (parsed.id === id && typeof parsed.trace_id === 'string') return parsed.trace_id;
  }
  return '';
}

export function* chunksByBytes(texts: readonly string[], maxBytes: number): Generator<string[]> {
  let chunk: string[] = [];
  let size = 0;
  for (const text of texts) {
    const length = Buffer.byteLength(text, 'utf8');
    if (chunk.length > 0 && size + length > maxBytes) {
      yield chunk;
      chunk = [];
      size = 0;
    }
    chunk.push(text);
    size += length;
  }
  if (chunk.length > 0) yield chunk;
}
