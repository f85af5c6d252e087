import type { Command } from 'commander';
import { DEFAULTS, ENVIRONMENT } from './xray-config.ts';

/** The X-Ray service's settings as flags, shared by `xray` and `up`. */
export function withXrayOptions(command: Command): Command {
  return command
    .option('--host <ip>', `address to listen on [env ${ENVIRONMENT.host}] (default ${DEFAULTS.host})`)
    .option('--daemon-address <[host:]port>', `daemon UDP and TCP address [env ${ENVIRONMENT.daemonAddress}] (default <host>:${DEFAULTS.daemonPort})`)
    .option('--api-port <port>', `X-Ray API port [env ${ENVIRONMENT.apiPort}] (default ${DEFAULTS.apiPort})`)
    .option('--otlp-port <port|off>', `OTLP/HTTP trace receiver port, off for none [env ${ENVIRONMENT.otlpPort}] (default ${DEFAULTS.otlpPort})`)
    .option('--otlp-annotations <keys>', `OTel attribute keys, comma-separated, recorded as annotations [env ${ENVIRONMENT.otlpAnnotations}] (default none: metadata)`)
    .option('--data-dir <dir>', `folder of the trace store [env ${ENVIRONMENT.dataDir}] (default ./${DEFAULTS.dataDir})`)
    .option('--retention-days <days>', `days traces are kept [env ${ENVIRONMENT.retentionDays}] (default ${DEFAULTS.retentionDays})`)
    .option(
      '--allowed-host <name>',
      `a host name the services answer to besides localhost, loopback addresses and the address a request was sent to; repeatable, .name allows subdomains (needed to reach them by name, e.g. with --host 0.0.0.0) [env ${ENVIRONMENT.allowedHost}, comma-separated]`,
      (name: string, names: string[] = []) => [...names, name],
    )
    .option('--sampling-rate <rate>', `FixedRate of the Default sampling rule until changed through the API, 0..1 [env ${ENVIRONMENT.samplingRate}] (default ${DEFAULTS.samplingRate})`);
}
