import type { Command } from 'commander';
import type { XrayServiceFlags } from '../../xray/config.ts';
import { describeXray, startXrayFromFlags, stopOnSignals } from '../run-xray.ts';
import { withXrayOptions } from '../xray-options.ts';

export function registerXray(program: Command): void {
  withXrayOptions(
    program.command('xray').description('run the local X-Ray service: daemon (UDP segments, TCP sampling), X-Ray API and store'),
  ).action(async (flags: XrayServiceFlags) => {
    const { service, config } = await startXrayFromFlags(flags);
    console.log('X-Ray service running');
    for (const line of describeXray(service, config)) console.log(line);
    console.log(`SDKs: AWS_XRAY_DAEMON_ADDRESS=${service.daemon.address}; XRayClient: endpoint ${service.api.url}. Ctrl-C stops.`);
    stopOnSignals(service);
  });
}
