/**
 * Child process for the durability tests: writes to a SqliteTraceStore, then gets killed with
 * SIGKILL. Arguments: <file> <mode>.
 * - `after-commit`: writes the lambda fixture, prints "written", then waits to be killed.
 * - `mid-batch`: writes the minimal fixture, then a batch whose 3rd record kills the process
 *   (SIGKILL from inside) while the store is reading it, inside the transaction.
 * - `before-refresh`: the writes of kill-writer-batches.ts with one refresh after the first,
 *   prints "written", then waits to be killed before the summaries catch up.
 */
import { SqliteTraceStore } from '../../../../src/xray/store/sqlite-store.ts';
import type { SegmentRecord } from '../../../../src/xray/model/trace.ts';
import { generateTrace } from '../../fixtures/generate.ts';
import { fixtureRecords, toRecord } from '../../fixtures/index.ts';
import { killWriterBatches } from './kill-writer-batches.ts';

const [file, mode] = process.argv.slice(2);
if (file === undefined || (mode !== 'after-commit' && mode !== 'mid-batch' && mode !== 'before-refresh')) {
  throw new Error('usage: kill-writer.ts <file> after-commit|mid-batch|before-refresh');
}
// Nothing refreshes by itself within the test's time.
const store = new SqliteTraceStore({ file, summaryDelayMillis: 600_000 });

if (mode === 'before-refresh') {
  const [first, ...later] = killWriterBatches();
  store.write(first!);
  store.refreshSummaries();
  for (const records of later) store.write(records);
  process.stdout.write('written\n');
  setInterval(() => undefined, 1000);
} else if (mode === 'after-commit') {
  store.write(fixtureRecords('lambda-sns-trace'));
  process.stdout.write('written\n');
  setInterval(() => undefined, 1000);
} else {
  store.write(fixtureRecords('minimal-segment'));
  const records: SegmentRecord[] = [];
  for (let n = 1; n <= 5; n++) records.push(...generateTrace(n, 1700000300).texts.map(toRecord));
  const fatal = records[2]!;
  records[2] = {
    ...fatal,
    get document(): string {
      process.kill(process.pid, 'SIGKILL');
      return fatal.document;
    },
  };
  store.write(records);
  process.stdout.write('not killed\n');
}
