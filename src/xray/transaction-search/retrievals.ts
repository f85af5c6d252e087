/**
 * Trace retrievals (StartTraceRetrieval, ListRetrievedTraces, GetRetrievedTracesGraph,
 * CancelTraceRetrieval). On AWS a retrieval queries the Transaction Search log group `aws/spans`
 * for up to 100 trace ids in a time range; it is SCHEDULED, then RUNNING, then COMPLETE (or FAILED,
 * CANCELLED, or TIMEOUT after 60 minutes), and its results are read by token once COMPLETE.
 *
 * Locally the store stands for `aws/spans`: a retrieval is scheduled when started, reads the
 * traces' segments whose times fall in the range (and their service graph) when it runs, and keeps
 * the result. Retrievals live in memory, the newest `MAX_RETRIEVALS` of them, as AWS keeps them for
 * a while only.
 */
import { randomUUID } from 'node:crypto';
import type { GraphService } from '../model/graph.ts';

export type RetrievalStatus = 'SCHEDULED' | 'RUNNING' | 'COMPLETE' | 'FAILED' | 'CANCELLED' | 'TIMEOUT';

export const RETRIEVAL_TIMEOUT_MS = 60 * 60 * 1000;
export const MAX_RETRIEVALS = 100;

/** A segment document as stored, with the trace it belongs to. */
export interface RetrievedSegment {
  readonly id: string;
  readonly document: string;
}

export interface RetrievedTraceRecord {
  readonly id: string;
  readonly duration: number | undefined;
  readonly segments: ReadonlyArray<RetrievedSegment>;
}

export interface RetrievalResult {
  readonly traces: ReadonlyArray<RetrievedTraceRecord>;
  /** The traces' service graph, as GetTraceGraph draws it. */
  readonly services: readonly GraphService[];
}

export interface RetrievalRequest {
  readonly traceIds: ReadonlyArray<string>;
  /** Epoch seconds, both inclusive. */
  readonly startTime: number;
  readonly endTime: number;
}

export interface Retrieval {
  readonly token: string;
  readonly status: RetrievalStatus;
  readonly result: RetrievalResult | undefined;
}

interface Entry {
  readonly token: string;
  readonly request: RetrievalRequest;
  readonly startedAtMs: number;
  status: RetrievalStatus;
  result?: RetrievalResult;
}

export class UnknownRetrievalError extends Error {
  override readonly name = 'UnknownRetrievalError';
}

export interface TraceRetrievalsOptions {
  /** Reads what a retrieval finds; the store and graph behind it. */
  readonly read: (request: RetrievalRequest) => Promise<RetrievalResult>;
  readonly nowMs: () => number;
  /** Runs a retrieval later. Default: setImmediate. Tests pass their own to see each status. */
  readonly schedule?: (task: () => void) => void;
  readonly newToken?: () => string;
  /** Told when a retrieval fails (its status is then FAILED). */
  readonly onError?: (error: unknown) => void;
}

export class TraceRetrievals {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: TraceRetrievalsOptions) {}

  start(request: RetrievalRequest): string {
    const token = (this.options.newToken ?? randomUUID)();
    const entry: Entry = { token, request, startedAtMs: this.options.nowMs(), status: 'SCHEDULED' };
    this.entries.set(token, entry);
    if (this.entries.size > MAX_RETRIEVALS) this.entries.delete(this.entries.keys().next().value!);
    (this.options.schedule ?? setImmediate)(() => void this.run(entry));
    return token;
  }

  get(token: string): Retrieval {
    const entry = this.entries.get(token);
    if (entry === undefined) throw new UnknownRetrievalError(`no trace retrieval has the RetrievalToken ${JSON.stringify(token)}`);
    if ((entry.status === 'SCHEDULED' || entry.status === 'RUNNING') && this.options.nowMs() >= entry.startedAtMs + RETRIEVAL_TIMEOUT_MS) {
      entry.status = 'TIMEOUT';
    }
    return { token, status: entry.status, result: entry.status === 'COMPLETE' ? entry.result : undefined };
  }

  /** Stops a retrieval that has not finished; one that has keeps its status. */
  cancel(token: string): Retrieval {
    const current = this.get(token);
    const entry = this.entries.get(token)!;
    if (current.status === 'SCHEDULED' || current.status === 'RUNNING') entry.status = 'CANCELLED';
    return this.get(token);
  }

  private async run(entry: Entry): Promise<void> {
    if (entry.status !== 'SCHEDULED') return;
    entry.status = 'RUNNING';
    try {
      const result = await this.options.read(entry.request);
      if (entry.status !== 'RUNNING') return;
      entry.result = result;
      entry.status = 'COMPLETE';
    } catch (error) {
      if (entry.status === 'RUNNING') entry.status = 'FAILED';
      this.options.onError?.(error);
    }
  }
}
