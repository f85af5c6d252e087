/**
 * The checkpointer: a thread with its own connection that copies the WAL into the database file
 * every `intervalMillis` (a passive checkpoint, which never waits for the writer nor blocks it).
 * The writer thread then seldom meets a checkpoint's copying and fsync inside a commit; its own
 * automatic checkpoint, set high, only bounds the WAL should this thread fall behind.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointerData } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('checkpoint-thread.ts runs as a worker thread');
const { file, intervalMillis } = workerData as CheckpointerData;
const db = new Database(file, { fileMustExist: true });

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy with another checkpoint, or the disk refused: the next tick tries again.
  }
}, intervalMillis);

port.on('message', () => {
  clearInterval(timer);
  db.close();
  port.close();
});
port.postMessage('ready');
