/** The command's whole run, with its output and clock injected so tests can drive it in-process. */
import { runCommand, type CommandOutput } from '../xray-api/index.ts';
import { formatJson, formatTable } from './format.ts';
import { planTraces, type TracesFlags } from './options.ts';
import { readSummaries } from './query.ts';

/** Returns the exit code: 0 on success, 1 when the service refused or could not be reached, 2 for bad options. */
export async function runTraces(flags: TracesFlags, output: CommandOutput): Promise<number> {
  return runCommand('traces', output, () => planTraces(flags, output.nowSeconds()), async (plan, client) => {
    const result = await readSummaries(plan, client);
    if (plan.json) output.out(formatJson(result));
    else for (const line of formatTable(result)) output.out(line);
    return 0;
  });
}
