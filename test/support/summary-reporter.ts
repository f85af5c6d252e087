import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints `N passed, N failed[, N skipped]` as the very last line of a run, the plain closing line
 * CI log readers understand (vitest's own summary is not one of them).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that fails to load has no tests but is a failure all the same.
      if (testModule.state() === 'failed' && !hasTests(testModule)) failed++;
    }
    failed += unhandledErrors.length;
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
  }
}

function hasTests(testModule: TestModule): boolean {
  for (const _test of testModule.children.allTests()) return true;
  return false;
}
