import type { Command } from 'commander';
import { runSampling, type RuleOptions, type SamplingAction, type SamplingFlags } from '../sampling/index.ts';
import { DEFAULT_ENDPOINT, terminalOutput } from '../xray-api/index.ts';

function run(action: SamplingAction, flags: SamplingFlags): Promise<void> {
  return runSampling(action, flags, terminalOutput).then((code) => {
    process.exitCode = code;
  });
}

/** The options every subcommand takes (commander reads a subcommand's own options only). */
function common(command: Command): Command {
  return command
    .option('--json', 'print the API\'s response shape')
    .option('--endpoint <url>', `the X-Ray API (default ${DEFAULT_ENDPOINT})`);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The rule's fields; on create, the match fields left out match every request. */
function ruleOptions(command: Command, verb: 'create' | 'update'): Command {
  const match = verb === 'create' ? ' (default *: any)' : '';
  return command
    .option('--priority <n>', `1..9999, lower is tried first${verb === 'create' ? ' (required)' : ''}`)
    .option('--fixed-rate <rate>', `fraction sampled after the reservoir, 0..1${verb === 'create' ? ' (required)' : ''}`)
    .option('--reservoir <n>', `requests a second sampled first, shared by every SDK${verb === 'create' ? ' (required)' : ''}`)
    .option('--service-name <name>', `the segment name to match${match}`)
    .option('--service-type <type>', `the segment origin to match, e.g. AWS::EC2::Instance${match}`)
    .option('--host <host>', `the request host to match${match}`)
    .option('--method <method>', `the HTTP method to match${match}`)
    .option('--path <path>', `the URL path to match, * and ? as wildcards${match}`)
    .option('--resource-arn <arn>', `the resource ARN to match${match}`)
    .option('--attribute <key=value>', `a request attribute to match, repeatable (at most 5)${verb === 'update' ? '; replaces them all' : ''}`, collect);
}

export function registerSampling(program: Command): void {
  const sampling = program.command('sampling').description('list, create, update or delete X-Ray sampling rules (which requests API Gateway and the X-Ray SDKs trace)');
  common(sampling.command('list', { isDefault: true }).description('list the rules in the order they are tried, Default last, with their latest counts'))
    .action((flags: SamplingFlags) => run({ kind: 'list' }, flags));
  ruleOptions(common(sampling.command('create').description('create a sampling rule').argument('<name>', '1 to 32 characters')), 'create')
    .action((name: string, flags: SamplingFlags & RuleOptions) => run({ kind: 'create', name, rule: flags }, flags));
  ruleOptions(common(sampling.command('update').description('change a sampling rule (Default: only --fixed-rate and --reservoir)').argument('<name>')), 'update')
    .action((name: string, flags: SamplingFlags & RuleOptions) => run({ kind: 'update', name, rule: flags }, flags));
  common(sampling.command('delete').description('delete a sampling rule').argument('<name>'))
    .action((name: string, flags: SamplingFlags) => run({ kind: 'delete', name }, flags));
}
