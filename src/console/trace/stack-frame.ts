/** A stack frame of a segment's `cause.exceptions[].stack`: `{ path, line, label }`, any of them missing. */
export interface StackFrameFields {
  readonly path?: unknown;
  readonly line?: unknown;
  readonly label?: unknown;
}

/**
 * One frame as a runtime prints it, `at label (path:line)`, with only the parts the frame has: no
 * made-up `?` for a line the writer left out, and a frame with no label shows its location alone.
 */
export function frameText(frame: StackFrameFields): string {
  const label = text(frame.label);
  const path = cutUrl(frame) ? `${text(frame.path) ?? ''}:…` : text(frame.path);
  const line = typeof frame.line === 'number' && Number.isFinite(frame.line) ? String(frame.line) : text(frame.line);
  const location = path === undefined ? undefined : line === undefined ? path : `${path}:${line}`;
  if (label !== undefined && location !== undefined) return `at ${label} (${location})`;
  return `at ${label ?? location ?? '<unknown>'}`;
}

/**
 * The X-Ray SDK for Node.js splits a frame's location at its first colon, so an ES module's
 * `file:///var/task/index.mjs:12:9` (or `node:internal/...`) arrives as path `file` with no line:
 * the rest of the path was lost before the segment was sent.
 */
export function cutUrl(frame: StackFrameFields): boolean {
  const path = text(frame.path);
  return path !== undefined && /^(file|node|data|https?)$/.test(path) && (frame.line === null || frame.line === undefined);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
