import { Command } from 'commander';
import { registerGroups } from './groups.ts';
import { registerLoad } from './load.ts';
import { registerLogs } from './logs.ts';
import { registerMap } from './map.ts';
import { registerPull } from './pull.ts';
import { registerSampling } from './sampling.ts';
import { registerSynth } from './synth.ts';
import { registerTrace } from './trace.ts';
import { registerTraces } from './traces.ts';
import { registerUp } from './up.ts';
import { registerXray } from './xray.ts';

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
registerLogs(program);

await program.parseAsync(process.argv);
