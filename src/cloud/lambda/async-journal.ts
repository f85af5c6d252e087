// Asynchronous events are Lambda's to deliver once it has answered 202, so they are journaled: an
// event accepted but not finished when the process dies (even by SIGKILL: each line is written before
// the 202 goes out) is run again on the next start. Delivery is at least once, as on AWS.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TraceDecision } from './attempt.ts';

export interface JournaledEvent {
  readonly functionName: string;
  readonly payload: unknown;
  readonly trace: TraceDecision;
  readonly serviceSegmentId: string;
  readonly requestId: string;
  readonly acceptedAt: number;
  readonly executedVersion?: string;
}

type Line = { readonly op: 'accepted'; readonly event: JournaledEvent } | { readonly op: 'finished'; readonly requestId: string };

export class AsyncJournal {
  constructor(readonly path: string) {}

  /** The events accepted and not finished; a torn last line (the process died mid-write) is skipped. */
  pending(warn: (message: string) => void): JournaledEvent[] {
    if (!existsSync(this.path)) return [];
    const open = new Map<string, JournaledEvent>();
    const lines = readFileSync(this.path, 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (text.trim() === '') return;
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        warn(`${this.path} line ${index + 1} is not JSON and is skipped`);
        return;
      }
      if (line.op === 'accepted') open.set(line.event.requestId, line.event);
      else if (line.op === 'finished') open.delete(line.requestId);
    });
    return [...open.values()];
  }

  /** Rewrites the journal to hold just these events (atomically: a new file renamed over the old). */
  rewrite(events: readonly JournaledEvent[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, events.map((event) => `${JSON.stringify({ op: 'accepted', event })}\n`).join(''));
    renameSync(temporary, this.path);
  }

  accepted(event: JournaledEvent): void {
    this.append({ op: 'accepted', event });
  }

  finished(requestId: string): void {
    this.append({ op: 'finished', requestId });
  }

  private append(line: Line): void {
    appendFileSync(this.path, `${JSON.stringify(line)}\n`);
  }
}
