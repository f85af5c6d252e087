/**
 * Whether a span faulted, erred or was throttled, and why: the span status and HTTP status decide
 * the flags as X-Ray SDKs set them (5xx or an error without a client status is a fault, 4xx an
 * error, 429 also a throttle); `exception` events become `cause.exceptions`.
 */
import type { CauseFields, ExceptionFields } from '../model/segment-document.ts';
import { stringAttribute } from './attributes.ts';
import type { OtlpSpan } from './model.ts';
import { StatusCode } from './model.ts';

export interface Outcome {
  readonly fault: boolean;
  readonly error: boolean;
  readonly throttle: boolean;
  readonly cause: CauseFields | undefined;
}

/** Frames kept a stack; the rest are counted in `truncated` so documents stay under 64 KB. */
export const MAX_STACK_FRAMES = 50;

export function outcome(span: OtlpSpan, httpStatus: number | undefined, newId: () => string): Outcome {
  const failed = span.status.code === StatusCode.Error;
  const fault = (httpStatus !== undefined && httpStatus >= 500) || (failed && !(httpStatus !== undefined && httpStatus >= 400));
  const error = !fault && httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500;
  const throttle = httpStatus === 429;
  if (!fault && !error) return { fault, error, throttle, cause: undefined };

  const exceptions: ExceptionFields[] = span.events
    .filter((event) => event.name === 'exception')
    .map((event) => exception(event.attributes, newId));
  if (exceptions.length === 0 && span.status.message !== '') exceptions.push({ id: newId(), message: span.status.message });
  return { fault, error, throttle, cause: exceptions.length > 0 ? { exceptions } : undefined };
}

function exception(attributes: OtlpSpan['attributes'], newId: () => string): ExceptionFields {
  const type = stringAttribute(attributes, 'exception.type');
  const message = stringAttribute(attributes, 'exception.message');
  const stacktrace = stringAttribute(attributes, 'exception.stacktrace');
  const frames = stacktrace === undefined ? [] : parseStack(stacktrace);
  return {
    id: newId(),
    ...(type !== undefined && { type }),
    ...(message !== undefined && { message }),
    ...(frames.length > 0 && { stack: frames.slice(0, MAX_STACK_FRAMES) }),
    ...(frames.length > MAX_STACK_FRAMES && { truncated: frames.length - MAX_STACK_FRAMES }),
  };
}

// A type alias, not an interface: it must fit the document's `Record<string, unknown>` frames.
type Frame = { readonly path: string; readonly line?: number; readonly label?: string };

/**
 * Frames of a JavaScript (`at fn (file:line:col)`), Java (`at pkg.Class.fn(File.java:12)`) or
 * Python (`File "x.py", line 3, in fn`) stack trace; lines that are none of these are skipped.
 */
export function parseStack(stacktrace: string): Frame[] {
  const frames: Frame[] = [];
  for (const raw of stacktrace.split('\n')) {
    const line = raw.trim();
    // Java first: its `Class.method(File.java:12)` has no space before the parenthesis.
    let match = /^at ([^\s(]+)\(([^:)]+)(?::(\d+))?\)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      frames.push({ path: match[2], label: match[1], ...(match[3] !== undefined && { line: Number(match[3]) }) });
      continue;
    }
    match = /^at (?:(.+?) \()?(.+?):(\d+)(?::\d+)?\)?$/.exec(line);
    if (match?.[2] !== undefined) {
      frames.push({ path: match[2], line: Number(match[3]), ...(match[1] !== undefined && { label: match[1] }) });
      continue;
    }
    match = /^File "(.+)", line (\d+), in (.+)$/.exec(line);
    if (match?.[1] !== undefined) frames.push({ path: match[1], line: Number(match[2]), label: match[3] });
  }
  return frames;
}
