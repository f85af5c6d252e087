import type { Command } from 'commander';
import { ConfigError, DEFAULTS, ENVIRONMENT, resolveConfig } from '../../xray/config.ts';
import type { XrayServiceConfig, XrayServiceFlags } from '../../xray/config.ts';
import { startXrayService } from '../../xray/service.ts';
import type { XrayService } from '../../xray/service.ts';

export function registerXray(program: Command): void {
  program
    .command('xray')
    .description('run the local X-Ray service: daemon (UDP segments, TCP sampling), X-Ray API and store')
    .option('--host <ip>', `address to listen on [env ${ENVIRONMENT.host}] (default ${DEFAULTS.host})`)
    .option('--daemon-address <[host:]port>', `daemon UDP and TCP address [env ${ENVIRONMENT.daemonAddress}] (default <host>:${DEFAULTS.daemonPort})`)
    .option('--api-port <port>', `X-Ray API port [env ${ENVIRONMENT.apiPort}] (default ${DEFAULTS.apiPort})`)
    .option('--data-dir <dir>', `folder of the trace store [env ${ENVIRONMENT.dataDir}] (default ./${DEFAULTS.dataDir})`)
    .option('--retention-days <days>', `days traces are kept [env ${ENVIRONMENT.retentionDays}] (default ${DEFAULTS.retentionDays})`)
    .option('--sampling-rate <rate>', `fixed rate handed to SDKs, 0..1 [env ${ENVIRONMENT.samplingRate}] (default ${DEFAULTS.samplingRate})`)
    .action(async (flags: XrayServiceFlags) => {
      let config: XrayServiceConfig;
      try {
        config = resolveConfig(flags, process.env, process.cwd());
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        fail(`error: ${error.message}`, 2);
      }
      let service: XrayService;
      try {
        service = await startXrayService({
          host: config.host,
          daemonHost: config.daemonHost,
          daemonPort: config.daemonPort,
          apiPort: config.apiPort,
          dataDir: config.dataDir,
          retentionDays: config.retentionDays,
          samplingRate: config.samplingRate,
        });
      } catch (error) {
        const { code, message } = error as NodeJS.ErrnoException;
        const hint = code === 'EADDRINUSE' ? ' (another process holds the port; pick others with --daemon-address/--api-port)' : '';
        fail(`error: could not start the X-Ray service: ${message}${hint}`, 1);
      }
      console.log('X-Ray service running');
      console.log(`  daemon  udp://${service.daemon.address} (segments), tcp ${service.daemon.address} (sampling)`);
      console.log(`  api     ${service.api.url}`);
      console.log(`  store   ${service.dataFile} (traces kept ${config.retentionDays} days)`);
      console.log(`  sampling rate ${config.samplingRate}`);
      console.log(`SDKs: AWS_XRAY_DAEMON_ADDRESS=${service.daemon.address}; XRayClient: endpoint ${service.api.url}. Ctrl-C stops.`);
      stopOnSignals(service);
    });
}

/** Settings errors are the user's to fix: the message alone, no usage text. */
function fail(message: string, exitCode: number): never {
  console.error(message);
  process.exit(exitCode);
}

function stopOnSignals(service: XrayService): void {
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`${signal}: stopping, writing every accepted document...`);
    service.stop().then(
      () => {
        const { udp, store } = service.stats();
        console.log(
          `stopped: ${count(udp.received, 'datagram')} received, ${udp.accepted} accepted, ${udp.rejected} rejected; ` +
            `${count(store.written, 'document')} stored from UDP, ${store.failed + store.dropped} lost`,
        );
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`error while stopping: ${(error as Error).stack ?? String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
