/**
 * CloudWatch Logs of the local cloud: the store, the log groups the templates declare (with their
 * RetentionInDays), a writer that the services write their lines through (batched per turn of the
 * event loop, one transaction a stream), and the retention sweep.
 */
import type { CloudModel } from '../core/types.ts';
import type { Logger } from '../core/runtime.ts';
import { silentLogger } from '../core/runtime.ts';
import type { NewLogEvent } from './store.ts';
import { LogStore } from './store.ts';

/** The values PutRetentionPolicy and AWS::Logs::LogGroup accept for retentionInDays. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export interface CloudWatchLogsOptions {
  /** `logs.db` in the data folder; `:memory:` in tests. */
  readonly file: string;
  readonly nowMs?: () => number;
  readonly logger?: Logger;
  /** How often expired events are deleted. @default 60,000 */
  readonly sweepIntervalMs?: number;
  readonly maxEvents?: number;
}

export class CloudWatchLogs {
  readonly store: LogStore;
  private readonly logger: Logger;
  private readonly pending = new Map<string, { groupName: string; streamName: string; events: NewLogEvent[] }>();
  private flushScheduled = false;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CloudWatchLogsOptions) {
    this.store = new LogStore({
      file: options.file,
      ...(options.nowMs !== undefined ? { nowMs: options.nowMs } : {}),
      ...(options.maxEvents !== undefined ? { maxEvents: options.maxEvents } : {}),
    });
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Creates the templates' AWS::Logs::LogGroup resources (kept if they exist) with their
   * RetentionInDays, which a start applies again as a stack update would; returns warnings.
   */
  provision(model: CloudModel): string[] {
    const warnings: string[] = [];
    for (const resource of model.byType('AWS::Logs::LogGroup')) {
      const name = resource.physicalId;
      this.store.ensureGroup(name);
      const days = resource.properties.RetentionInDays;
      if (days === undefined) {
        this.store.setRetention(name, undefined);
      } else if (typeof days === 'number' && (RETENTION_DAYS as readonly number[]).includes(days)) {
        this.store.setRetention(name, days);
      } else {
        warnings.push(`log group ${resource.logicalId}: RetentionInDays ${String(days)} is not a value CloudWatch Logs accepts; events are kept`);
      }
    }
    return warnings;
  }

  start(): void {
    this.sweepTimer = setInterval(() => this.sweep(), this.options.sweepIntervalMs ?? 60_000);
    this.sweepTimer.unref();
  }

  /** Writes what is pending, stops the sweep and closes the store. */
  stop(): void {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.flush();
    this.store.close();
  }

  /**
   * Appends a line to a stream, creating the group and stream as Lambda and API Gateway do. Lines
   * are committed together at the end of the current turn, in the order written.
   */
  write(groupName: string, streamName: string, event: NewLogEvent): void {
    const key = `${groupName}\u0000${streamName}`;
    let batch = this.pending.get(key);
    if (batch === undefined) {
      batch = { groupName, streamName, events: [] };
      this.pending.set(key, batch);
    }
    batch.events.push(event);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Commits the pending lines now (tests, and before a read that must see them). */
  flush(): void {
    this.flushScheduled = false;
    const batches = [...this.pending.values()];
    this.pending.clear();
    for (const batch of batches) {
      try {
        this.store.append(batch.groupName, batch.streamName, batch.events, { createStream: true });
      } catch (error) {
        this.logger.error(`logs: ${batch.events.length} line(s) for ${batch.groupName} not stored: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private sweep(): void {
    try {
      this.store.sweep();
    } catch (error) {
      this.logger.warn(`logs: retention sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
