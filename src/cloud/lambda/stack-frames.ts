/**
 * V8's stack lines (`at handler (file:///var/task/index.mjs:12:9)`, `at file:///x.mjs:3:1`,
 * `at async Promise.all (index 0)`) as X-Ray's stack frames `{ path, line, label }`: the path and
 * line as the runtime wrote them (a file URL stays a URL), the label the function, `anonymous` when
 * the line names none, as the X-Ray SDK has it. A line that names no location keeps its text as the label.
 */
export interface StackFrame {
  readonly path?: string;
  readonly line?: number;
  readonly label: string;
}

/** `location` is `path:line:column` or `path:line`; a path may hold colons itself (a URL, a Windows drive). */
const LOCATION = /^(.*?):(\d+)(?::\d+)?$/;

export function parseStackLine(text: string): StackFrame {
  const line = text.trim().replace(/^at\s+/, '');
  const call = /^(.*?) \((.*)\)$/.exec(line);
  const label = call?.[1] ?? undefined;
  const location = call?.[2] ?? line;
  const parts = LOCATION.exec(location);
  if (parts === null) return { label: line };
  return { path: parts[1] ?? location, line: Number(parts[2]), label: label === undefined || label === '' ? 'anonymous' : label };
}
