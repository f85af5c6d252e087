/**
 * The handler log lines of one trace, from the local cloud's function log (each line
 * `<ISO time> [<function name> <trace id>] <text>`), as the terminal shows them while `up` runs.
 * The file is read as a stream: it grows for as long as the system runs.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { conciseFunctionLine } from '../terminal/terminal-log.ts';
import { printable } from '../xray-api/index.ts';

const LOG_LINE = /^(\d{4}-\d{2}-\d{2}T(\d{2}:\d{2}:\d{2}\.\d{3})Z) (\[\S+ (\S+)\] .*)$/s;

/** `HH:MM:SS.mmm <function> <text>` for each line of the trace; undefined when the file does not exist. */
export async function traceLogLines(file: string, traceId: string): Promise<string[] | undefined> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = await new Promise<boolean>((resolve, reject) => {
    stream.once('ready', () => resolve(true));
    stream.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(false) : reject(error)));
  });
  if (!opened) return undefined;
  const lines: string[] = [];
  const needle = ` ${traceId}] `;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (!line.includes(needle)) continue;
    const match = LOG_LINE.exec(line);
    if (match === null || match[4] !== traceId) continue;
    const shown = conciseFunctionLine(match[3] ?? '');
    if (shown !== undefined) lines.push(`${match[2] ?? ''} ${printable(shown)}`);
  }
  return lines;
}
