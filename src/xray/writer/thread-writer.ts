import { Worker } from 'node:worker_threads';
import type { SegmentRecord } from '../store/types.ts';
import type { WriterData, WriterReply, WriterRequest } from './protocol.ts';

/** Writes with a promise: resolved once the records are committed. */
export interface AsyncTraceWriter {
  write(records: ReadonlyArray<SegmentRecord>): Promise<void>;
  /** Resolves once summaries and graph aggregates cover every write before it (`TraceWriter.refreshSummaries`). */
  refresh(): Promise<void>;
  deleteTracesBefore(epochSeconds: number): Promise<number>;
}

type Pending = { resolve(value: number | undefined): void; reject(error: Error): void };
type Request = WriterRequest extends infer R ? (R extends WriterRequest ? Omit<R, 'id'> : never) : never;

/**
 * A `SqliteTraceStore` in a worker thread, as an `AsyncTraceWriter`: SQLite's work runs on the other
 * core while this thread receives and validates. Requests are answered in order.
 */
export class ThreadTraceWriter implements AsyncTraceWriter {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WriterReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(reply.message));
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`the store writer thread exited (code ${code})`)));
  }

  /** Starts the thread and waits until it has opened the store. */
  static async start(file: string): Promise<ThreadTraceWriter> {
    const workerData: WriterData = { entry: new URL('./writer-thread.ts', import.meta.url).href, file };
    const worker = new Worker(new URL('./bootstrap.mjs', import.meta.url), { workerData });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (): void => {
        worker.off('error', reject);
        resolve();
      };
      worker.once('message', onMessage);
      worker.once('error', (error) => {
        worker.off('message', onMessage);
        reject(error);
      });
    });
    return new ThreadTraceWriter(worker);
  }

  write(records: ReadonlyArray<SegmentRecord>): Promise<void> {
    return this.request({ op: 'write', records }).then(() => undefined);
  }

  refresh(): Promise<void> {
    return this.request({ op: 'refresh' }).then(() => undefined);
  }

  deleteTracesBefore(epochSeconds: number): Promise<number> {
    return this.request({ op: 'deleteTracesBefore', epochSeconds }).then((value) => value ?? 0);
  }

  /** Closes the store after every earlier request, and ends the thread. */
  async close(): Promise<void> {
    if (this.failure) return;
    await this.request({ op: 'close' });
    await this.worker.terminate();
  }

  private request(request: Request): Promise<number | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } as WriterRequest);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
