import type { Command } from 'commander';
import { DEFAULT_URL, formatSummary, GatewayUnreachableError, LoadOptionError, planLoad, runLoad, summarize, terminalProgress } from '../load/index.ts';
import type { LoadFlags } from '../load/index.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerLoad(program: Command): void {
  program
    .command('load')
    .description('drive the local API Gateway with GET requests and summarize status codes and latencies')
    .option('-n, --requests <N>', 'how many requests (default 50)')
    .option('--path <P>', 'request path under the stage, repeatable; cycled in order (default /foo /bar /baz)', collect)
    .option('--concurrency <C>', 'requests in flight at once (default 4)')
    .option('--url <U>', `the stage URL (default ${DEFAULT_URL})`)
    .option('--timeout <S>', 'seconds before a request counts as failed (default 30)')
    .action(async (flags: LoadFlags) => {
      try {
        const plan = planLoad(flags);
        const result = await runLoad(plan, { progress: terminalProgress('load', 'requests') });
        const summary = summarize(result);
        for (const line of formatSummary(summary, plan)) console.log(line);
        if (summary.failures.length > 0) process.exitCode = 1;
      } catch (error) {
        if (error instanceof LoadOptionError || error instanceof GatewayUnreachableError) {
          console.error(`xray-tracer load: ${error.message}`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });
}
