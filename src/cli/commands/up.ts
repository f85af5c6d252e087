import type { Command } from 'commander';
import { synthesize } from '../synthesize.ts';

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('synthesize the pattern and run it on this machine')
    .action(async () => {
      const result = await synthesize();
      console.log(`Synthesized ${result.templates.length} templates into ${result.outdir}.`);
      console.log('The local cloud that runs them is not built yet: nothing is serving requests.');
      console.log('Deploy to an AWS account with `npx cdk deploy --all`.');
    });
}
