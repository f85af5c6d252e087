import { Worker } from 'node:worker_threads';
import { errorText } from '../../common/preview.ts';
import type { SegmentRecord } from '../model/trace.ts';
import type { CheckpointerData, WriterData, WriterReply, WriterRequest } from './protocol.ts';

export interface ThreadTraceWriterOptions {
  /** How often the checkpointer thread copies the WAL into the database file. @default 250 */
  readonly checkpointIntervalMillis?: number;
}

/** The writer's own checkpoints only bound the WAL (64 MB) should the checkpointer fall behind. */
const WAL_BOUND_PAGES = 16_384;

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
 * core while this thread receives and validates. Requests are answered in order. A second, mostly
 * idle thread checkpoints the WAL (checkpoint-thread.ts), so commits do not wait for that.
 */
export class ThreadTraceWriter implements AsyncTraceWriter {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;
  private unreadable = 0;
  private readonly checkpointerExited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly checkpointer: Worker,
  ) {
    this.checkpointerExited = new Promise((resolve) => checkpointer.once('exit', () => resolve()));
    worker.on('message', (reply: WriterReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(reply.message));
    });
    worker.on('error', (error: unknown) => this.fail(asError(error)));
    worker.on('exit', (code) => this.fail(new Error(`the store writer thread exited (code ${code})`)));
  }

  /** Starts the threads and waits until the writer has opened the store. */
  static async start(file: string, options: ThreadTraceWriterOptions = {}): Promise<ThreadTraceWriter> {
    const workerData: WriterData = { entry: new URL('./writer-thread.ts', import.meta.url).href, file, walAutocheckpointPages: WAL_BOUND_PAGES };
    const worker = await startThread(workerData);
    const checkpointerData: CheckpointerData = {
      entry: new URL('./checkpoint-thread.ts', import.meta.url).href,
      file,
      intervalMillis: options.checkpointIntervalMillis ?? 250,
    };
    let checkpointer: Worker;
    try {
      checkpointer = await startThread(checkpointerData);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    // Not an error: the writer reports its own failures; this thread only makes commits cheaper.
    checkpointer.on('error', () => undefined);
    return new ThreadTraceWriter(worker, checkpointer);
  }

  write(records: ReadonlyArray<SegmentRecord>): Promise<void> {
    return this.request({ op: 'write', records }).then(() => undefined);
  }

  refresh(): Promise<void> {
    return this.request({ op: 'refresh' }).then((value) => void (this.unreadable = value ?? this.unreadable));
  }

  /** Rows the writer's store skipped as unusable, as of the last refresh or close. */
  unreadableRows(): number {
    return this.unreadable;
  }

  deleteTracesBefore(epochSeconds: number): Promise<number> {
    return this.request({ op: 'deleteTracesBefore', epochSeconds }).then((value) => value ?? 0);
  }

  /** Closes the store after every earlier request, and ends the threads. */
  async close(): Promise<void> {
    // The checkpointer first: the writer's connection, closing last, checkpoints and removes the WAL.
    this.checkpointer.postMessage('close');
    await this.checkpointerExited;
    if (this.failure) return;
    this.unreadable = (await this.request({ op: 'close' })) ?? this.unreadable;
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
    if (this.failure === undefined) void this.checkpointer.terminate();
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** Starts a thread through bootstrap.mjs and waits for its first message (it is ready). */
async function startThread(workerData: WriterData | CheckpointerData): Promise<Worker> {
  const worker = new Worker(new URL('./bootstrap.mjs', import.meta.url), { workerData });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: unknown): void => {
      worker.off('message', onMessage);
      reject(asError(error));
    };
    const onMessage = (message: unknown): void => {
      worker.off('error', onError);
      const failed = typeof message === 'object' && message !== null && (message as { ok?: unknown }).ok === false;
      if (failed) reject(new Error(String((message as { message?: unknown }).message)));
      else resolve();
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
  });
  return worker;
}

/** A worker's error arrives cloned: a SqliteError as a plain `{ code }`, with no message. */
function asError(error: unknown): Error {
  return error instanceof Error && error.message !== '' ? error : new Error(`the store thread failed: ${errorText(error)}`);
}
