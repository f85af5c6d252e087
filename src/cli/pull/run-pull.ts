import { GetGroupsCommand } from '@aws-sdk/client-xray';
import { callService, printable, runCommand, type CommandOutput } from '../xray-api/index.ts';
import type { Progress } from '../progress.ts';
import { copyTraces } from './copy-traces.ts';
import { listTraceIds } from './list-traces.ts';
import { planPull, type PullFlags } from './options.ts';
import { describeSource, sourceClient } from './source.ts';

const SHOWN_REJECTS = 5;

/**
 * `xray-tracer pull`: the traces of a time range (and filter) copied from AWS X-Ray, or another X-Ray
 * API, into the local service, where the console and the CLI show them. Copying again is harmless:
 * a document replaces the one with its id.
 */
export async function runPull(flags: PullFlags, output: CommandOutput, progress: Progress): Promise<number> {
  return runCommand('pull', output, () => planPull(flags), async (plan, target) => {
    const source = sourceClient(plan.source);
    try {
      const from = describeSource(plan.source);
      const endTime = output.nowSeconds();
      // The target is checked first: a long read from AWS is not wasted on a service that is not there.
      await callService(plan.endpoint, () => target.send(new GetGroupsCommand({})));
      const ids = await listTraceIds(source, plan.source, { startTime: endTime - plan.since, endTime, filter: plan.filter, limit: plan.limit });
      if (ids.length === 0) {
        output.out(`no traces at ${from} in the last ${flags.since ?? '1h'}${plan.filter !== undefined ? ` matching ${plan.filter}` : ''}`);
        return 0;
      }
      const result = await copyTraces({ client: source, options: plan.source }, { client: target, endpoint: plan.endpoint }, ids, progress);
      // Windows are read newest first, but AWS does not order the traces inside one: say what was cut, not which.
      const limited = ids.length === plan.limit ? ` (stopped at --limit ${plan.limit})` : '';
      output.out(`pulled ${result.traces} trace${result.traces === 1 ? '' : 's'}${limited} (${result.documents} document${result.documents === 1 ? '' : 's'}) from ${from} into ${plan.endpoint}`);
      if (result.missing.length > 0) {
        output.err(`xray-tracer pull: ${result.missing.length} trace(s) listed by ${from} were not returned when read: ${result.missing.slice(0, SHOWN_REJECTS).join(', ')}`);
      }
      if (result.rejected.length === 0) return 0;
      output.err(`xray-tracer pull: ${result.rejected.length} document(s) were refused by ${plan.endpoint}:`);
      for (const reject of result.rejected.slice(0, SHOWN_REJECTS)) {
        output.err(`  ${printable(reject.traceId)} ${printable(reject.id)}: ${printable(reject.reason)}`);
      }
      if (result.rejected.length > SHOWN_REJECTS) output.err(`  and ${result.rejected.length - SHOWN_REJECTS} more`);
      return 1;
    } finally {
      source.destroy();
    }
  });
}
