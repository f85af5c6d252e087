// Worker threads do not inherit the main thread's TypeScript loader: register it, then load the
// module the thread runs.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
