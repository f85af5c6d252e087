import { createWriteStream, mkdirSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../core/runtime.ts';

/** Where a function's log stream is: its group (LoggingConfig's, else `/aws/lambda/<name>`) and the environment's stream. */
export interface LogDestination {
  readonly groupName: string;
  readonly streamName: string;
}

/** CloudWatch Logs as Lambda writes to it: one event a line, in the order written. */
export type FunctionLogSink = (destination: LogDestination, event: { readonly timestampMs: number; readonly message: string; readonly traceId: string | undefined }) => void;

/**
 * Function output: every line a handler writes (and Lambda's own START / END / REPORT lines) goes to
 * the logger and, if configured, appended to a log file, each prefixed with the function name and
 * the trace id of the invocation it belongs to; and, given a sink, to the function's CloudWatch
 * Logs stream as it was written.
 */
export class FunctionLogs {
  private file: WriteStream | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly logFile: string | undefined,
    private readonly clock: () => number,
    private readonly sink?: FunctionLogSink,
    /** Also given every line with its time (CloudWatch metrics' EMF extraction). */
    private readonly onLine?: (functionName: string, text: string, timestampMs: number) => void,
  ) {}

  start(): void {
    if (this.logFile === undefined || this.file) return;
    mkdirSync(dirname(this.logFile), { recursive: true });
    this.file = createWriteStream(this.logFile, { flags: 'a' });
    this.file.on('error', (error) => this.logger.error(`function log file ${this.logFile}: ${error.message}`));
  }

  line(functionName: string, traceId: string | undefined, text: string, stream: 'stdout' | 'stderr' = 'stdout', destination?: LogDestination): void {
    const prefixed = `[${functionName} ${traceId ?? '-'}] ${text}`;
    if (stream === 'stderr') this.logger.warn(prefixed);
    else this.logger.info(prefixed);
    const nowMs = this.clock();
    this.file?.write(`${new Date(nowMs).toISOString()} ${prefixed}\n`);
    // Lambda's events end with the line's newline, as CloudWatch Logs shows them.
    if (destination !== undefined) this.sink?.(destination, { timestampMs: Math.floor(nowMs), message: `${text}\n`, traceId });
    this.onLine?.(functionName, text, nowMs);
  }

  async stop(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    if (file) await new Promise<void>((resolve) => file.end(resolve));
  }
}
