import type { Command } from 'commander';
import type { XrayServiceFlags } from '../xray-config.ts';
import { describeXray, startXrayFromFlags, stopOnSignals } from '../run-xray.ts';
import { withXrayOptions } from '../xray-options.ts';

export function registerXray(program: Command): void {
  withXrayOptions(
    program.command('xray').description('run the local X-Ray service: daemon (UDP segments, TCP sampling), OTLP/HTTP receiver, X-Ray API and store'),
  ).action(async (flags: XrayServiceFlags) => {
    const { service, config } = await startXrayFromFlags(flags);
    console.log('X-Ray service running');
    for (const line of describeXray(service, config)) console.log(line);
    const otel = service.otlp ? `; OpenTelemetry: OTEL_EXPORTER_OTLP_ENDPOINT=${service.otlp.url}` : '';
    console.log(`SDKs: AWS_XRAY_DAEMON_ADDRESS=${service.daemon.address}${otel}; XRayClient: endpoint ${service.api.url}. Ctrl-C stops.`);
    stopOnSignals(service);
  });
}
