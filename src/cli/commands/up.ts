import type { Command } from 'commander';
import type { XrayServiceFlags } from '../../xray/config.ts';
import { describeXray, startXrayFromFlags, stopOnSignals } from '../run-xray.ts';
import { synthesize } from '../synthesize.ts';
import { withXrayOptions } from '../xray-options.ts';

export function registerUp(program: Command): void {
  withXrayOptions(
    program.command('up').description('synthesize the pattern and run what exists of it locally (npm start)'),
  ).action(async (flags: XrayServiceFlags) => {
    console.log('Synthesizing the five stacks and bundling the handlers...');
    const result = await synthesize();
    console.log(`Synthesized ${result.templates.length} templates and the handler bundles into ${result.outdir}.`);
    const { service, config } = await startXrayFromFlags(flags);
    console.log('Running: the local X-Ray service');
    for (const line of describeXray(service, config)) console.log(line);
    console.log('Not built yet: the local cloud (API Gateway, SNS, SQS, Lambda, DynamoDB) that runs the templates,');
    console.log('so no requests are served yet. Any X-Ray SDK program can send here (AWS_XRAY_DAEMON_ADDRESS=' +
      `${service.daemon.address}), and XRayClient can query ${service.api.url}.`);
    console.log('Deploy the pattern to an AWS account with `npx cdk deploy --all`. Ctrl-C stops.');
    stopOnSignals(service);
  });
}
