import type { Command } from 'commander';
import { synthesize } from '../synthesize.ts';

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('synthesize the CloudFormation templates and handler bundles into cdk.out')
    .action(async () => {
      console.log('Synthesizing the five stacks and bundling the handlers...');
      const result = await synthesize();
      console.log(`Synthesized ${result.templates.length} templates into ${result.outdir}:`);
      for (const template of result.templates) console.log(`  ${template}`);
    });
}
