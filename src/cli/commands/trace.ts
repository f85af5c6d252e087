import type { Command } from 'commander';
import { DEFAULT_LOG_FILE, runTrace, type TraceFlags } from '../trace/index.ts';
import { DEFAULT_ENDPOINT, terminalOutput } from '../xray-api/index.ts';

export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description('show one trace as a waterfall of its segments and subsegments, with annotations and exceptions')
    .argument('<trace-id>', 'e.g. 1-5f84c7a1-0123456789abcdef01234567')
    .option('--json', 'print the BatchGetTraces response shape instead of the waterfall')
    .option('--endpoint <url>', `the X-Ray API (default ${DEFAULT_ENDPOINT})`)
    .option('--logs', 'also print the handler log lines of this trace, from the local cloud\'s function log')
    .option('--log-file <path>', `the function log to read with --logs (default ${DEFAULT_LOG_FILE})`)
    .action(async (traceId: string, flags: TraceFlags) => {
      process.exitCode = await runTrace(traceId, flags, terminalOutput);
    });
}
