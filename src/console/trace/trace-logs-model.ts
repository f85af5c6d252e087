/**
 * Which of a trace's log lines belong to a segment: the invocation the segment is part of, found by
 * the request id of the nearest row at or above it that has one (Lambda's `AWS::Lambda` segment,
 * an API Gateway stage). A line belongs to an invocation when it names the request id (START, END,
 * REPORT, the runtime's tab-separated lines, Powertools' `function_request_id`, the stage's
 * `(<id>)` prefix) or falls between its START and END in the same stream.
 */
import type { TimelineRow } from '../../common/trace-model/timeline.ts';
import type { LogLine } from '../api/types.ts';

export function requestIdOf(rows: readonly TimelineRow[], selectedId: string | undefined): string | undefined {
  const parents = new Map<string, string>();
  for (const row of rows) for (const child of row.children) parents.set(child, row.id);
  const byId = new Map(rows.map((row) => [row.id, row]));
  let id = selectedId;
  while (id !== undefined) {
    const aws = byId.get(id)?.document.aws;
    if (typeof aws === 'object' && aws !== null) {
      const gateway = (aws as Record<string, unknown>).api_gateway;
      const requestId = (aws as Record<string, unknown>).request_id
        ?? (typeof gateway === 'object' && gateway !== null ? (gateway as Record<string, unknown>).request_id : undefined);
      if (typeof requestId === 'string' && requestId !== '') return requestId;
    }
    id = parents.get(id);
  }
  return undefined;
}

export function linesOfRequest(lines: readonly LogLine[], requestId: string): LogLine[] {
  const open = new Map<string, string | undefined>();
  return lines.filter((line) => {
    const key = `${line.Group}\u0000${line.Stream}`;
    const start = /^START RequestId: (\S+)/.exec(line.Message);
    if (start !== null) open.set(key, start[1]);
    const inside = open.get(key) === requestId;
    if (/^END RequestId: /.test(line.Message) && inside) open.set(key, undefined);
    return inside || line.Message.includes(requestId);
  });
}

/** The message split into text and the X-Ray trace ids in it, for links. */
export function traceIdParts(message: string): Array<{ text: string; traceId?: string }> {
  const parts: Array<{ text: string; traceId?: string }> = [];
  const pattern = /1-[0-9a-f]{8}-[0-9a-f]{24}/g;
  let last = 0;
  for (const match of message.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) parts.push({ text: message.slice(last, at) });
    parts.push({ text: match[0], traceId: match[0] });
    last = at + match[0].length;
  }
  if (last < message.length) parts.push({ text: message.slice(last) });
  return parts;
}
