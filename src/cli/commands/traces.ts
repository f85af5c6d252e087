import type { Command } from 'commander';
import { runTraces, type TracesFlags } from '../traces/index.ts';
import { DEFAULT_ENDPOINT, terminalOutput } from '../xray-api/index.ts';

export function registerTraces(program: Command): void {
  program
    .command('traces')
    .description('list the trace summaries a filter expression matches, from the X-Ray API')
    .option('--filter <expr>', 'X-Ray filter expression, e.g. \'service(id(type: "AWS::Lambda::Function")) { fault }\' (default: every trace)')
    .option('--since <duration>', 'how far back: 30s, 15m, 1h, 2d (default 1h)')
    .option('--group <name>', 'only the traces of this X-Ray group')
    .option('--json', 'print the GetTraceSummaries response shape instead of a table')
    .option('--limit <n>', 'show at most this many summaries (default 100)')
    .option('--endpoint <url>', `the X-Ray API (default ${DEFAULT_ENDPOINT})`)
    .action(async (flags: TracesFlags) => {
      process.exitCode = await runTraces(flags, terminalOutput);
    });
}
