/** Run through bootstrap.mjs: lowers this worker thread's priority and reports the nice values seen. */
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../../../../src/xray/writer/thread-priority.ts';

const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
const before = os.getPriority(tid);
const returned = lowerThreadPriority(3);
parentPort?.postMessage({ before, returned, after: os.getPriority(tid), processNice: os.getPriority(process.pid) });
