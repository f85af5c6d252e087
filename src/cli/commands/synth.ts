import type { Command } from 'commander';
import { describeStacks, synthesize, SYNTHESIZING } from '../synthesize.ts';

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('synthesize the CloudFormation templates and handler bundles into cdk.out')
    .action(async () => {
      console.log(SYNTHESIZING);
      const result = await synthesize();
      console.log(`Synthesized ${describeStacks(result)} into ${result.outdir}:`);
      for (const template of result.templates) console.log(`  ${template}`);
    });
}
