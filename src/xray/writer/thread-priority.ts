/**
 * Lowers the scheduling priority of the calling thread (not the whole process), where the system
 * lets us: on Linux a thread has its own nice value, set through its thread id. The store's threads
 * use it so that, when the cores are busy, the receiving thread is scheduled first: it must empty
 * the socket before the kernel's receive buffer overflows (those datagrams are lost for good),
 * while the writer has a bounded backlog in front of it and only falls a little behind.
 */
import { readlinkSync } from 'node:fs';
import os from 'node:os';

/** Linux: `/proc/thread-self` links to `<pid>/task/<tid>`. */
function threadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Adds `increment` to this thread's nice value (capped at 19). Returns the new value, or undefined
 * where threads have no priority of their own (then nothing changed: lowering the whole process
 * would slow the receiving thread too).
 */
export function lowerThreadPriority(increment: number): number | undefined {
  if (!Number.isInteger(increment) || increment < 0) throw new RangeError(`increment must be a whole number >= 0, got ${increment}`);
  const tid = threadId();
  if (tid === undefined || tid === process.pid) return undefined;
  try {
    const nice = Math.min(19, os.getPriority(tid) + increment);
    os.setPriority(tid, nice);
    return os.getPriority(tid);
  } catch {
    return undefined;
  }
}
