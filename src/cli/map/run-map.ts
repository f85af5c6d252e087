/** `xray-tracer map`: the service graph of a time range from GetServiceGraph. */
import { GetServiceGraphCommand } from '@aws-sdk/client-xray';
import { callService, runCommand, type CommandOutput } from '../xray-api/index.ts';
import { formatJson, formatMap } from './format.ts';
import { planMap, type MapFlags } from './options.ts';

/** Returns the exit code: 0 when shown; 1 for a refusal (an unknown group) or no service; 2 for bad options. */
export async function runMap(flags: MapFlags, output: CommandOutput): Promise<number> {
  return runCommand('map', output, () => planMap(flags, output.nowSeconds()), async (plan, client) => {
    const graph = await callService(plan.endpoint, () => client.send(new GetServiceGraphCommand({
      StartTime: new Date(plan.startTime * 1000),
      EndTime: new Date(plan.endTime * 1000),
      ...(plan.groupName === undefined ? {} : { GroupName: plan.groupName }),
    })));
    if (plan.json) output.out(formatJson(graph));
    else for (const line of formatMap(graph)) output.out(line);
    return 0;
  });
}
