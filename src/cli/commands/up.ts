import path from 'node:path';
import type { Command } from 'commander';
import { defaultEnvironmentsPerFunction, startLocalCloud } from '../../cloud/index.ts';
import type { LocalCloud } from '../../cloud/index.ts';
import type { XrayServiceFlags } from '../../xray/config.ts';
import { describeXray, startXrayFromFlags, stopOnSignals } from '../run-xray.ts';
import { synthesize } from '../synthesize.ts';
import { terminalLogger } from '../terminal-log.ts';
import { withXrayOptions } from '../xray-options.ts';

interface UpFlags extends XrayServiceFlags {
  readonly gatewayPort?: string;
  readonly endpointPort?: string;
  readonly targetUrl?: string;
  readonly iam: boolean;
  readonly synth: boolean;
  readonly assembly?: string;
  readonly maxEnvironments?: string;
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
    .option('--gateway-port <port>', 'API Gateway port (default 3000)')
    .option('--endpoint-port <port>', 'AWS endpoint port for SNS, SQS and DynamoDB (default 4566)')
    .option('--target-url <url>', "the HTTP flow's TARGET_URL (default: a local HTTPS server)")
    .option('--max-environments <n>', `execution environments per function (default ${defaultEnvironmentsPerFunction()}, from the CPUs)`)
    .option('--no-iam', "do not enforce the roles' policies on the handlers' calls")
    .option('--no-synth', 'run the cloud assembly already synthesized')
    .option('--assembly <dir>', 'the cloud assembly to run with --no-synth (default ./cdk.out)')
    .action(async (flags: UpFlags) => {
      const gatewayPort = port(flags.gatewayPort, '--gateway-port', 3000);
      const endpointPort = port(flags.endpointPort, '--endpoint-port', 4566);
      const maxEnvironments = flags.maxEnvironments === undefined ? defaultEnvironmentsPerFunction() : Number(flags.maxEnvironments);
      if (!Number.isInteger(maxEnvironments) || maxEnvironments < 1) {
        console.error(`error: --max-environments must be a whole number of at least 1, got "${flags.maxEnvironments ?? ''}"`);
        process.exit(2);
      }
      if (flags.assembly !== undefined && flags.synth) {
        console.error('error: --assembly runs an assembly already synthesized; add --no-synth');
        process.exit(2);
      }
      let assemblyDir = path.resolve(flags.assembly ?? 'cdk.out');
      if (flags.synth) {
        console.log('Synthesizing the five stacks and bundling the handlers...');
        const result = await synthesize();
        assemblyDir = result.outdir;
        console.log(`Synthesized ${result.templates.length} templates and the handler bundles into ${result.outdir}.`);
      }
      const { service, config } = await startXrayFromFlags(flags);
      console.log('Running: the local X-Ray service');
      for (const line of describeXray(service, config)) console.log(line);

      let cloud: LocalCloud;
      try {
        cloud = await startLocalCloud({
          assemblyDir,
          dataDir: config.dataDir,
          daemonAddress: service.daemon.address,
          host: config.host,
          gatewayPort,
          endpointPort,
          iam: flags.iam,
          maxEnvironmentsPerFunction: maxEnvironments,
          ...(flags.targetUrl !== undefined ? { targetUrl: flags.targetUrl } : {}),
          logger: terminalLogger({ out: (line) => console.log(line), err: (line) => console.error(line) }),
        });
      } catch (error) {
        const { code, message } = error as NodeJS.ErrnoException;
        const hint = code === 'EADDRINUSE' ? ' (another process holds the port; pick others with --gateway-port/--endpoint-port)' : '';
        console.error(`error: could not start the local cloud: ${message}${hint}`);
        await service.stop();
        process.exit(1);
      }
      for (const line of describeCloud(cloud, flags.iam)) console.log(line);
      console.log(`Try: curl ${cloud.stageUrls[0] ?? cloud.gatewayUrl}hello   or   npx xray-tracer load -n 20`);
      if (service.consoleUrl !== undefined) console.log(`Then open the console: ${service.consoleUrl}`);
      console.log('Ctrl-C stops.');
      stopOnSignals(service, () => cloud.stop());
    });
}

function describeCloud(cloud: LocalCloud, iam: boolean): string[] {
  const { functions, topics, queues, tables } = cloud.started;
  const lastPart = (id: string): string => id.slice(Math.max(id.lastIndexOf('/'), id.lastIndexOf(':')) + 1);
  return [
    'Running: the local cloud',
    ...cloud.stageUrls.map((url) => `  gateway  ${url}`),
    `  aws      ${cloud.endpointUrl} (SNS, SQS, DynamoDB; IAM ${iam ? 'enforced' : 'off'})`,
    `  target   ${cloud.targetUrl ?? '(none)'} (the HTTP flow's TARGET_URL)`,
    `  logs     ${cloud.logFile}`,
    `  data     ${cloud.dataDir}`,
    `  ${functions.length} functions: ${functions.join(', ')}`,
    `  ${topics.length} topics: ${topics.map(lastPart).join(', ')}`,
    `  ${queues.length} queues: ${queues.map(lastPart).join(', ')}`,
    `  ${tables.length} table${tables.length === 1 ? '' : 's'}: ${tables.join(', ')}`,
    ...(cloud.warnings.length > 0 ? [`  ${cloud.warnings.length} template warning(s):`, ...cloud.warnings.map((warning) => `    - ${warning}`)] : []),
  ];
}
