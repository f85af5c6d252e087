/** The command's whole run, with its output and clock injected so tests can drive it in-process. */
import { formatJson, formatTable } from './format.ts';
import { planTraces, TracesOptionError, type TracesFlags } from './options.ts';
import { readSummaries, ServiceUnreachableError, tracesClient, TracesRequestError } from './query.ts';

export interface TracesOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Epoch seconds. */
  readonly now: () => number;
}

/** Returns the exit code: 0 on success, 1 when the service refused or could not be reached, 2 for bad options. */
export async function runTraces(flags: TracesFlags, output: TracesOutput): Promise<number> {
  let plan;
  try {
    plan = planTraces(flags, output.now());
  } catch (error) {
    if (!(error instanceof TracesOptionError)) throw error;
    output.err(`xray-tracer traces: ${error.message}`);
    return 2;
  }
  const client = tracesClient(plan);
  try {
    const result = await readSummaries(plan, client);
    if (plan.json) output.out(formatJson(result));
    else for (const line of formatTable(result)) output.out(line);
    return 0;
  } catch (error) {
    if (error instanceof TracesRequestError || error instanceof ServiceUnreachableError) {
      output.err(`xray-tracer traces: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    client.destroy();
  }
}
