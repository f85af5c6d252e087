import type { Command } from 'commander';
import { runMap, type MapFlags } from '../map/index.ts';
import { DEFAULT_ENDPOINT, terminalOutput } from '../xray-api/index.ts';

export function registerMap(program: Command): void {
  program
    .command('map')
    .description('print the service map of a time range: nodes and edges with requests, latency and outcomes')
    .option('--since <duration>', 'how far back: 30s, 15m, 1h, 2d (default 15m)')
    .option('--group <name>', 'only the traces of this X-Ray group')
    .option('--json', 'print the GetServiceGraph response shape instead of tables')
    .option('--endpoint <url>', `the X-Ray API (default ${DEFAULT_ENDPOINT})`)
    .action(async (flags: MapFlags) => {
      process.exitCode = await runMap(flags, terminalOutput);
    });
}
