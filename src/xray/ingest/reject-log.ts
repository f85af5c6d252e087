import type { Logger } from '../log/logger.ts';

/**
 * Logs rejected datagrams (or spans) at most once per interval: the counts by reason since the last line and the
 * last reason in full. A flood of bad input costs one line a second, and nothing is silently lost:
 * `flush()` (called on a timer and at shutdown) reports what is still pending.
 */
export class RejectLog {
  private pending = new Map<string, number>();
  private lastMessage = '';
  private lastLoggedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Logger,
    private readonly nowMs: () => number,
    private readonly intervalMillis = 1000,
    /** What is logged: who rejects and what, e.g. the OTLP receiver and its spans. */
    private readonly subject: { readonly source: string; readonly unit: string } = { source: 'xray daemon', unit: 'datagram' },
  ) {}

  record(reason: string, message: string): void {
    this.pending.set(reason, (this.pending.get(reason) ?? 0) + 1);
    this.lastMessage = message;
    if (this.nowMs() - this.lastLoggedAt >= this.intervalMillis) this.emit();
  }

  /** Logs pending rejects if the interval has passed (or `force`). */
  flush(force = false): void {
    if (this.pending.size === 0) return;
    if (force || this.nowMs() - this.lastLoggedAt >= this.intervalMillis) this.emit();
  }

  private emit(): void {
    let total = 0;
    const parts: string[] = [];
    for (const [reason, count] of [...this.pending].sort(([a], [b]) => a.localeCompare(b))) {
      total += count;
      parts.push(`${reason} ${count}`);
    }
    const { source, unit } = this.subject;
    this.logger.warn(`${source}: rejected ${total} ${unit}${total === 1 ? '' : 's'} (${parts.join(', ')}); last: ${this.lastMessage}`);
    this.pending = new Map();
    this.lastLoggedAt = this.nowMs();
  }
}
