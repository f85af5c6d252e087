/**
 * The store writer thread: the only writer of the SQLite file. It runs the writes (UDP batches,
 * PutTraceSegments, retention) one at a time in arrival order and answers each when it is
 * committed, so the receiving thread keeps reading datagrams while SQLite works. The store's
 * deferred summaries are refreshed here too: on the store's own schedule (a timer of this thread)
 * and when a reader asks (`refresh`) before it reads through its own connection.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorText } from '../../common/preview.ts';
import { SqliteTraceStore } from '../store/index.ts';
import type { WriterData, WriterReply, WriterRequest } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('writer-thread.ts runs as a worker thread');
const { file, walAutocheckpointPages } = workerData as WriterData;
const store = open();
if (store !== undefined) serve(store);

function open(): SqliteTraceStore | undefined {
  try {
    return new SqliteTraceStore({ file, walAutocheckpointPages });
  } catch (error) {
    // Thrown out of the module, a SqliteError reaches the service as `{ code }` without its
    // message: the first message says why instead, and the thread ends with its port closed.
    port!.postMessage({ id: 0, ok: false, message: `${file}: ${errorText(error)}` } satisfies WriterReply);
    port!.close();
    return undefined;
  }
}

function serve(store: SqliteTraceStore): void {
  const port = parentPort!;
  port.on('message', (request: WriterRequest) => {
    let reply: WriterReply;
    try {
      switch (request.op) {
        case 'write':
          store.write(request.records);
          reply = { id: request.id, ok: true };
          break;
        case 'refresh':
          store.refreshSummaries();
          reply = { id: request.id, ok: true, value: store.unreadableRows() };
          break;
        case 'deleteTracesBefore':
          reply = { id: request.id, ok: true, value: store.deleteTracesBefore(request.epochSeconds) };
          break;
        case 'close':
          store.close();
          reply = { id: request.id, ok: true, value: store.unreadableRows() };
          break;
      }
    } catch (error) {
      reply = { id: request.id, ok: false, message: errorText(error) };
    }
    port.postMessage(reply);
    if (request.op === 'close') port.close();
  });
  port.postMessage({ id: 0, ok: true } satisfies WriterReply);
}
