/** `xray-tracer trace <id>`: one trace from BatchGetTraces, as a waterfall or as the API's shape. */
import { BatchGetTracesCommand } from '@aws-sdk/client-xray';
import { callService, parseEndpoint, printable, runCommand, type CommandOutput } from '../xray-api/index.ts';
import { formatJson, formatTrace } from './format.ts';

export interface TraceFlags {
  readonly json?: boolean;
  readonly endpoint?: string;
}

/** Returns the exit code: 0 when shown; 1 for an unknown id, a refusal or no service; 2 for bad options. */
export async function runTrace(traceId: string, flags: TraceFlags, output: CommandOutput): Promise<number> {
  const plan = () => ({ endpoint: parseEndpoint(flags.endpoint), json: flags.json === true });
  return runCommand('trace', output, plan, async ({ endpoint, json }, client) => {
    const answer = await callService(endpoint, () => client.send(new BatchGetTracesCommand({ TraceIds: [traceId] })));
    const trace = answer.Traces?.find((t) => t.Id === traceId);
    if (trace === undefined) {
      output.err(`xray-tracer trace: no trace with id "${printable(traceId)}" at ${endpoint} (ids look like 1-5f84c7a1-0123456789abcdef01234567)`);
      return 1;
    }
    if (json) output.out(formatJson(answer));
    else for (const line of formatTrace(trace)) output.out(line);
    return 0;
  });
}
