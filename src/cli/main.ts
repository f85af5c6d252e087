import { Command } from 'commander';
import { registerGroups } from './commands/groups.ts';
import { registerLoad } from './commands/load.ts';
import { registerMap } from './commands/map.ts';
import { registerPull } from './commands/pull.ts';
import { registerSampling } from './commands/sampling.ts';
import { registerSynth } from './commands/synth.ts';
import { registerTrace } from './commands/trace.ts';
import { registerTraces } from './commands/traces.ts';
import { registerUp } from './commands/up.ts';
import { registerXray } from './commands/xray.ts';

// Only wiring: each command lives in its own module under ./commands.
const program = new Command('xray-tracer')
  .description('The X-Ray Tracer pattern on AWS or on this machine, with a local X-Ray service.')
  .showHelpAfterError();

registerUp(program);
registerSynth(program);
registerXray(program);
registerTraces(program);
registerTrace(program);
registerMap(program);
registerGroups(program);
registerSampling(program);
registerPull(program);
registerLoad(program);

await program.parseAsync(process.argv);
