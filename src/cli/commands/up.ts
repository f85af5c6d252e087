import { errorText } from '../../common/preview.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { defaultEnvironmentsPerFunction, describeEndpoints, lambdaFunctionsFromModel, newSamplingClientId, startLocalCloud } from '../../cloud/index.ts';
import type { LocalCloud } from '../../cloud/index.ts';
import type { XrayServiceFlags } from '../xray-config.ts';
import { describeXray, startXrayFromFlags, stopOnSignals } from '../run-xray.ts';
import { upToDateSince } from '../synth-stamp.ts';
import { assemblyDirName, describeStacks, synthesize, SYNTHESIZING } from '../synthesize.ts';
import { describeNotRun, describeRunning } from '../../cloud/template/support.ts';
import { terminalLogger } from '../terminal/terminal-log.ts';
import { assemblyFingerprint } from '../watch/assembly-fingerprint.ts';
import { describeFunctionChanges, type FunctionCode } from '../watch/function-changes.ts';
import { Reloader } from '../watch/reloader.ts';
import { consoleLogSource } from '../console-logs.ts';
import { watchSources } from '../watch/source-watcher.ts';
import { withXrayOptions } from '../xray-options.ts';

interface UpFlags extends XrayServiceFlags {
  readonly gatewayPort?: string;
  readonly endpointPort?: string;
  readonly targetUrl?: string;
  readonly iam: boolean;
  readonly strictIam?: boolean;
  readonly synth: boolean;
  readonly watch?: boolean;
  readonly assembly?: string;
  readonly maxEnvironments?: string;
  readonly instrumentation?: string;
}

function port(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) {
    console.error(`error: ${flag} must be a port number 0..65535, got "${value}"`);
    process.exit(2);
  }
  return number;
}

export function registerUp(program: Command): void {
  withXrayOptions(
    program.command('up').description('synthesize the pattern and run it locally with the X-Ray service (npm start)'),
  )
    .option('--gateway-port <port>', 'API Gateway port (default 3000); HTTP APIs and function URLs take the next ones')
    .option('--endpoint-port <port>', 'AWS endpoint port for SNS, SQS and DynamoDB (default 4566)')
    .option('--target-url <url>', "the HTTP flow's TARGET_URL (default: a local HTTPS server)")
    .option('--max-environments <n>', `execution environments per function (default ${defaultEnvironmentsPerFunction()}, from the CPUs)`)
    .option('--no-iam', "do not enforce the roles' policies on the handlers' calls")
    .option('--strict-iam', "refuse access keys that are not the roles' (by default your own CLI's and SDK's keys act as the account's administrator)")
    .option('--instrumentation <name>', "how the handlers are traced: xray (Powertools Tracer, the default) or opentelemetry (OTLP to the local X-Ray service's receiver)")
    .option('--no-synth', 'run the cloud assembly already synthesized')
    .option('--assembly <dir>', 'the cloud assembly to run with --no-synth (default ./cdk.out)')
    .option('--watch', `on a change under ${WATCHED_DIR}, synthesize again and restart the local cloud (data kept)`)
    .action(async (flags: UpFlags) => {
      let gatewayPort = port(flags.gatewayPort, '--gateway-port', 3000);
      let endpointPort = port(flags.endpointPort, '--endpoint-port', 4566);
      const maxEnvironments = flags.maxEnvironments === undefined ? defaultEnvironmentsPerFunction() : Number(flags.maxEnvironments);
      if (!Number.isInteger(maxEnvironments) || maxEnvironments < 1) {
        console.error(`error: --max-environments must be a whole number of at least 1, got "${flags.maxEnvironments ?? ''}"`);
        process.exit(2);
      }
      if (flags.assembly !== undefined && flags.synth) {
        console.error('error: --assembly runs an assembly already synthesized; add --no-synth');
        process.exit(2);
      }
      const watchedDir = path.resolve(WATCHED_DIR);
      if (flags.watch === true && !flags.synth) {
        console.error('error: --watch synthesizes on every change; leave out --no-synth');
        process.exit(2);
      }
      if (flags.watch === true && !existsSync(watchedDir)) {
        console.error(`error: --watch needs the pattern's sources in ${watchedDir}; run it from the project's folder`);
        process.exit(2);
      }
      const instrumentation = flags.instrumentation ?? 'xray';
      if (instrumentation !== 'xray' && instrumentation !== 'opentelemetry') {
        console.error(`error: --instrumentation must be xray or opentelemetry, got "${instrumentation}"`);
        process.exit(2);
      }
      let assemblyDir = path.resolve(flags.assembly ?? assemblyDirName(instrumentation));
      if (flags.synth) {
        const since = await upToDateSince(process.cwd(), assemblyDir);
        if (since !== undefined) {
          console.log(`${assemblyDir} is up to date with src/pattern (synthesized ${since}); not synthesizing again.`);
        } else {
          console.log(SYNTHESIZING);
          const result = await synthesize({ instrumentation });
          assemblyDir = result.outdir;
          console.log(`Synthesized ${describeStacks(result)} and the handler bundles into ${result.outdir}.`);
        }
      }
      let cloud: LocalCloud | undefined;
      // The console's log views and the map's function metrics read the cloud of the moment (a --watch restart replaces it).
      const { service, config } = await startXrayFromFlags(flags, {
        consoleLogs: consoleLogSource(() => cloud?.logs, () => cloud?.model.accountId ?? '000000000000'),
        metricsSource: () => cloud?.metrics.functions,
      });
      console.log('Running: the local X-Ray service');
      for (const line of describeXray(service, config)) console.log(line);

      const logger = terminalLogger({ out: (line) => console.log(line), err: (line) => console.error(line) });
      // One sampling client across --watch restarts: the service keeps a client's reservoir share for a while.
      const samplingClientId = newSamplingClientId();
      const startCloud = (dir: string): Promise<LocalCloud> =>
        startLocalCloud({
          assemblyDir: dir,
          dataDir: config.dataDir,
          daemonAddress: service.daemon.address,
          xrayApiUrl: service.api.url,
          ...(service.otlp !== undefined ? { otlpTracesUrl: service.otlp.tracesUrl } : {}),
          host: config.host,
          gatewayPort,
          endpointPort,
          iam: flags.iam,
          strictIam: flags.strictIam === true,
          maxEnvironmentsPerFunction: maxEnvironments,
          samplingClientId,
          allowedHosts: config.allowedHosts,
          ...(flags.targetUrl !== undefined ? { targetUrl: flags.targetUrl } : {}),
          logger,
        });

      try {
        cloud = await startCloud(assemblyDir);
      } catch (error) {
        console.error(`error: could not start the local cloud: ${startFailure(error)}`);
        await service.stop();
        process.exit(1);
      }
      // A --watch restart keeps the addresses the first start printed, also those picked for port 0.
      gatewayPort = Number(new URL(cloud.gatewayUrl).port);
      endpointPort = Number(new URL(cloud.endpointUrl).port);
      for (const line of describeCloud(cloud, flags.iam, flags.strictIam === true)) console.log(line);
      console.log(tryLine(cloud));
      if (service.consoleUrl !== undefined) console.log(`Then open the console: ${service.consoleUrl}`);

      let reloader: Reloader | undefined;
      let closeWatcher = (): Promise<void> => Promise.resolve();
      if (flags.watch === true) {
        reloader = new Reloader({
          running: await assemblyFingerprint(assemblyDir),
          synthesize: async (signal) => (await synthesize({ signal, instrumentation })).outdir,
          fingerprint: assemblyFingerprint,
          restart: async (dir) => {
            const before = cloud === undefined ? new Map<string, string>() : functionCode(cloud);
            await cloud?.stop();
            cloud = undefined;
            try {
              cloud = await startCloud(dir);
            } catch (error) {
              throw new Error(startFailure(error), { cause: error });
            }
            return `${describeFunctionChanges(before, functionCode(cloud))}. Gateway ${cloud.stageUrls[0] ?? cloud.gatewayUrl}`;
          },
          log: { info: (line) => console.log(line), error: (line) => console.error(line) },
        });
        const watcher = await watchSources({
          dir: watchedDir,
          onChange: (files) => reloader?.changed(files.map((file) => path.join(WATCHED_DIR, file))),
          onError: (error) => console.error(`Watching ${WATCHED_DIR}: ${error.message}; saves may go unnoticed until a restart.`),
        });
        closeWatcher = () => watcher.close();
        console.log(`Watching ${WATCHED_DIR} for changes: each one is synthesized and the local cloud restarted.`);
      }
      console.log('Ctrl-C stops.');
      stopOnSignals(service, async () => {
        await closeWatcher();
        await reloader?.close();
        await cloud?.stop();
      });
    });
}

/** Where what runs locally is listed, for the banner's pointer. */
const SUPPORT_TABLE = 'src/cloud/template/support.ts';

/** The pattern's sources: its handlers and its stacks. */
const WATCHED_DIR = path.join('src', 'pattern');

/** The pattern's stage with its path, else the first API the templates have (an assembly of the user's). */
function tryLine(cloud: LocalCloud): string {
  const stage = cloud.stageUrls[0];
  if (stage !== undefined) return `Try: curl ${stage}hello   or   npx xray-tracer load -n 20`;
  const first = cloud.endpoints[0];
  return first !== undefined ? `Try: curl ${first.url}` : 'The templates have no API to call.';
}

function startFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const hint = code === 'EADDRINUSE' ? ' (another process holds the port; pick others with --gateway-port/--endpoint-port)' : '';
  return `${errorText(error)}${hint}`;
}

function functionCode(cloud: LocalCloud): FunctionCode {
  return new Map(lambdaFunctionsFromModel(cloud.model).functions.map((fn) => [fn.name, fn.codeDirectory]));
}

function describeCloud(cloud: LocalCloud, iam: boolean, strictIam: boolean): string[] {
  const { functions, topics, queues, tables } = cloud.started;
  const { notRun } = cloud.support;
  const listed = (noun: string, items: readonly string[]): string[] => (items.length === 0 ? [] : [`  ${items.length} ${noun}${items.length === 1 ? '' : 's'}: ${items.join(', ')}`]);
  const lastPart = (id: string): string => id.slice(Math.max(id.lastIndexOf('/'), id.lastIndexOf(':')) + 1);
  return [
    'Running: the local cloud',
    ...describeEndpoints(cloud.endpoints),
    `  (every API's URL, with its ids: ${cloud.endpointsFile})`,
    `  aws      ${cloud.endpointUrl} (${cloud.aws.endpoint.serviceNames.join(', ')}; IAM ${iam ? 'enforced' : 'off'}; ${strictIam ? 'only the roles\' keys accepted' : 'any other key acts as the account'})`,
    ...(cloud.targetUrl !== undefined ? [`  target   ${cloud.targetUrl} (the HTTP flow's TARGET_URL)`] : []),
    `  logs     ${cloud.logFile}`,
    `  data     ${cloud.dataDir}`,
    `  runs     ${describeRunning(cloud.support) || 'nothing of the templates'}`,
    ...listed('function', functions),
    ...listed('topic', topics.map(lastPart)),
    ...listed('queue', queues.map(lastPart)),
    ...listed('table', tables),
    ...(notRun.length > 0 ? [`  ${notRun.length} thing${notRun.length === 1 ? '' : 's'} of the templates not run locally (${SUPPORT_TABLE}):`, ...notRun.map((entry) => `    - ${describeNotRun(entry)}`)] : []),
    ...(cloud.warnings.length > 0 ? [`  ${cloud.warnings.length} template warning(s):`, ...cloud.warnings.map((warning) => `    - ${warning}`)] : []),
  ];
}
