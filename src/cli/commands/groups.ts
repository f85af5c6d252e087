import type { Command } from 'commander';
import { runGroups, type GroupsAction, type GroupsFlags } from '../groups/index.ts';
import { DEFAULT_ENDPOINT, terminalOutput } from '../xray-api/index.ts';

function run(action: GroupsAction, flags: GroupsFlags): Promise<void> {
  return runGroups(action, flags, terminalOutput).then((code) => {
    process.exitCode = code;
  });
}

/** The options every subcommand takes (commander reads a subcommand's own options only). */
function common(command: Command): Command {
  return command
    .option('--json', 'print the API\'s response shape')
    .option('--endpoint <url>', `the X-Ray API (default ${DEFAULT_ENDPOINT})`);
}

export function registerGroups(program: Command): void {
  const groups = program.command('groups').description('list, create, update or delete X-Ray groups (named filter expressions)');
  common(groups.command('list', { isDefault: true }).description('list the groups, Default first'))
    .action((flags: GroupsFlags) => run({ kind: 'list' }, flags));
  common(groups.command('create').description('create a group').argument('<name>', 'letters, digits, - and _, at most 32'))
    .option('--filter <expr>', 'the filter expression of its traces (default: every trace)')
    .action((name: string, flags: GroupsFlags & { filter?: string }) => run({ kind: 'create', name, filter: flags.filter }, flags));
  common(groups.command('update').description('give a group a new filter expression').argument('<name>'))
    .option('--filter <expr>', 'the new filter expression (required)')
    .action((name: string, flags: GroupsFlags & { filter?: string }) => run({ kind: 'update', name, filter: flags.filter }, flags));
  common(groups.command('delete').description('delete a group').argument('<name>'))
    .action((name: string, flags: GroupsFlags) => run({ kind: 'delete', name }, flags));
}
