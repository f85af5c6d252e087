import type { Command } from 'commander';
import { DEFAULT_LOGS_ENDPOINT, runLogs, type LogsFlags } from '../logs/run-logs.ts';
import { terminalOutput } from '../xray-api/index.ts';

export function registerLogs(program: Command): void {
  program
    .command('logs [group]')
    .description('CloudWatch Logs of the local cloud: the log groups, or a group\'s events (a part of its name is enough)')
    .option('--follow', 'keep printing new events every second until Ctrl-C')
    .option('--filter <pattern>', 'a CloudWatch Logs filter pattern: terms, "phrases", ?alternatives, { $.level = "ERROR" }')
    .option('--trace <id>', 'the lines holding this X-Ray trace id (in every group when none is named)')
    .option('--since <duration>', 'how far back: 30s, 15m, 1h, 2d (default 10m; 1d with --trace)')
    .option('--json', 'print each event as the API answers it')
    .option('--endpoint-url <url>', `the local AWS endpoint (default ${DEFAULT_LOGS_ENDPOINT})`)
    .action(async (group: string | undefined, flags: LogsFlags) => {
      let stopped = false;
      let wake: (() => void) | undefined;
      const stop = (): void => {
        stopped = true;
        wake?.();
      };
      process.once('SIGINT', stop);
      try {
        process.exitCode = await runLogs(group, flags, {
          ...terminalOutput,
          pause: (ms) => new Promise((resolve) => {
            if (stopped) return resolve(false);
            const timer = setTimeout(() => resolve(!stopped), ms);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
          }),
        });
      } finally {
        process.off('SIGINT', stop);
      }
    });
}
