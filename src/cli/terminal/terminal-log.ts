import type { CloudLogger } from '../../cloud/index.ts';

/** `[<function name> <trace id>] <text>`, as the Lambda service prefixes each handler line. */
const FUNCTION_LINE = /^\[(\S+) (\S+)\] (.*)$/s;

/** `TheHttpFlowStack-HttpLambdaFunctionBDEC11D6-0U7JB89DUS3M` -> `HttpLambda`: the construct's name. */
export function shortFunctionName(name: string): string {
  const parts = name.split('-');
  const logical = parts.length === 3 ? (parts[1] ?? name) : name;
  return logical.replace(/[0-9A-F]{8}$/, '').replace(/Function$/, '') || logical;
}

/**
 * The terminal's view of a function's log line (the log file keeps every line whole): Lambda's
 * START/END lines and embedded metrics are left out, REPORT lines and structured log records
 * shortened. Undefined means the line is not shown.
 */
export function conciseFunctionLine(line: string): string | undefined {
  const match = FUNCTION_LINE.exec(line);
  if (!match) return line;
  const [, name = '', traceId = '', text = ''] = match;
  const who = `${shortFunctionName(name)} ${traceId === '-' ? '-' : traceId.slice(-8)}`;
  if (/^(START|END) RequestId:/.test(text)) return undefined;
  if (text.includes('NodeVersionSupportWarning')) return undefined;
  const report = /^REPORT RequestId: \S+\tDuration: ([\d.]+) ms/.exec(text);
  if (report) {
    const init = /Init Duration: ([\d.]+) ms/.exec(text);
    const timeout = text.includes('Status: timeout') ? ', timed out' : '';
    return `${who} done in ${report[1]} ms${init ? ` (cold start ${init[1]} ms)` : ''}${timeout}`;
  }
  // The runtime's line for a failed invocation carries the whole error as JSON; its name and message say enough here.
  const invokeError = /^\S+\t\S+\tERROR\tInvoke Error \t(\{.*\})$/s.exec(text);
  if (invokeError) {
    try {
      const error = JSON.parse(invokeError[1] ?? '') as { errorType?: unknown; errorMessage?: unknown };
      return `${who} ERROR Invoke Error ${String(error.errorType)}: ${String(error.errorMessage)}`;
    } catch {
      // Not JSON after all: shown as written.
    }
  }
  if (text.startsWith('{')) {
    try {
      const record = JSON.parse(text) as Record<string, unknown>;
      if ('_aws' in record) return undefined;
      if (typeof record['message'] === 'string') {
        const level = typeof record['level'] === 'string' ? record['level'] : 'INFO';
        return `${who} ${level} ${record['message']}`;
      }
    } catch {
      // Not JSON after all: shown as written.
    }
  }
  return `${who} ${text}`;
}

/** A logger for the local cloud that keeps the terminal readable. */
export function terminalLogger(write: { out(line: string): void; err(line: string): void }): CloudLogger {
  const show = (line: string, to: (line: string) => void): void => {
    const concise = conciseFunctionLine(line);
    if (concise !== undefined) to(concise);
  };
  return {
    info: (message) => show(message, write.out),
    warn: (message) => show(message, write.err),
    error: (message) => write.err(message),
  };
}
