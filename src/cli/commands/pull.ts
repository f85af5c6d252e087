import type { Command } from 'commander';
import { terminalProgress } from '../progress.ts';
import { DEFAULT_PULL_LIMIT, runPull, type PullFlags } from '../pull/index.ts';
import { DEFAULT_ENDPOINT, terminalOutput } from '../xray-api/index.ts';

export function registerPull(program: Command): void {
  program
    .command('pull')
    .description('copy traces from AWS X-Ray (your credentials and region) or another X-Ray API into the local service')
    .option('--since <duration>', 'how far back: 30s, 15m, 1h, 2d (default 1h)')
    .option('--filter <expr>', 'only the traces this X-Ray filter expression matches, e.g. \'service(id(type: "AWS::Lambda::Function")) { fault }\'')
    .option('--limit <n>', `at most this many traces, read back from now (default ${DEFAULT_PULL_LIMIT})`)
    .option('--region <region>', 'the AWS region to read (default: AWS_REGION or your profile\'s)')
    .option('--profile <name>', 'the AWS profile whose credentials to use (default: AWS_PROFILE or the usual chain)')
    .option('--source-endpoint <url>', 'read another X-Ray API at this URL instead of AWS (no credentials needed)')
    .option('--endpoint <url>', `the local X-Ray API the traces go into (default ${DEFAULT_ENDPOINT})`)
    .action(async (flags: PullFlags) => {
      process.exitCode = await runPull(flags, terminalOutput, terminalProgress('pull', 'traces'));
    });
}
