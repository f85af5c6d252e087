/** `xray-tracer trace <id>`: one trace from BatchGetTraces, as a waterfall or as the API's shape. */
import path from 'node:path';
import { BatchGetTracesCommand } from '@aws-sdk/client-xray';
import { DEFAULT_DATA_DIR, FUNCTION_LOG_FILE } from '../../cloud/index.ts';
import { callService, parseEndpoint, printable, runCommand, type CommandOutput } from '../xray-api/index.ts';
import { formatJson, formatTrace } from './format.ts';
import { traceLogLines } from './function-logs.ts';

export interface TraceFlags {
  readonly json?: boolean;
  readonly endpoint?: string;
  /** Also show the trace's handler log lines, from this function log. */
  readonly logs?: boolean;
  readonly logFile?: string;
}

export const DEFAULT_LOG_FILE = path.join(DEFAULT_DATA_DIR, FUNCTION_LOG_FILE);

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
    if (flags.logs === true || flags.logFile !== undefined) {
      const file = flags.logFile ?? DEFAULT_LOG_FILE;
      const lines = await traceLogLines(file, traceId);
      if (lines === undefined) output.err(`xray-tracer trace: no function log at ${file} (\`npm start\` writes it in its data folder; --log-file names another)`);
      else {
        output.out('');
        output.out(lines.length === 0 ? `no handler log lines for this trace in ${file}` : `handler logs (${file}):`);
        for (const line of lines) output.out(`  ${line}`);
      }
    }
    return 0;
  });
}
