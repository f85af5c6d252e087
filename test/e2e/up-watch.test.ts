// `xray-tracer up --watch` as a user runs it, in a copy of the project: a saved handler is synthesized
// again and the restarted cloud runs the new code on the same gateway address.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { waitFor } from './support/local-cloud.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'e2e-up-watch-'));
const handlerFile = join(project, 'src', 'pattern', 'lambdas', 'sns-subscribe.ts');
const logFile = join(project, 'data', 'logs', 'functions.log');
let child: ChildProcessByStdio<null, Readable, Readable> | undefined;

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(project, { recursive: true, force: true });
});


function functionLog(): string {
  try {
    return readFileSync(logFile, 'utf8');
  } catch {
    return '';
  }
}

test('a saved handler is synthesized again and runs behind the same gateway address, a broken save keeps the running build', async () => {
  for (const file of ['cdk.json', 'package.json', 'package-lock.json', 'tsconfig.json']) cpSync(join(ROOT, file), join(project, file));
  cpSync(join(ROOT, 'src', 'pattern'), join(project, 'src', 'pattern'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');

  const spawned = spawn(process.execPath, [
    join(ROOT, 'bin', 'xray-tracer.js'), 'up', '--watch', '--data-dir', join(project, 'data'),
    '--daemon-address', '127.0.0.1:0', '--api-port', '0', '--otlp-port', 'off', '--gateway-port', '0', '--endpoint-port', '0',
  ], { cwd: project, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child = spawned;
  let output = '';
  spawned.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  spawned.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => spawned.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const waitForOutput = (what: string, pattern: RegExp): Promise<void> =>
    waitFor(what, 120_000, () => {
      if (spawned.exitCode !== null) throw new Error(`up exited:\n${output}`);
      return pattern.test(output);
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\noutput:\n${output}`, { cause: error });
    });
  await waitForOutput('the watch to start', /Watching src\/pattern for changes/);
  // Ports picked by the system (0): a restart must keep the ones the first start printed.
  const gateway = /gateway {2}(http:\/\/127\.0\.0\.1:\d+\/prod\/)/.exec(output)?.[1] ?? '';
  expect(gateway).not.toBe('');

  const source = readFileSync(handlerFile, 'utf8');
  expect(source).toContain("'message received'");
  writeFileSync(handlerFile, source.replace("'message received'", "'message received by the new build'"));
  await waitForOutput('the reload', /Reloaded in [\d.]+ s: new code for SnsSubscribeLambda\. Gateway (\S+)/);
  expect(/Reloaded in [\d.]+ s: new code for SnsSubscribeLambda\. Gateway (\S+)/.exec(output)?.[1]).toBe(gateway);

  const response = await fetch(`${gateway}after-reload`);
  expect(response.status).toBe(200);
  const traceId = /Root=([^;]+)/.exec(response.headers.get('x-amzn-trace-id') ?? '')?.[1] ?? '';
  await waitFor('the new build to log its line', 30_000, () => functionLog().split('\n').some((line) => line.includes(` ${traceId}] `) && line.includes('message received by the new build')));

  const before = output.length;
  writeFileSync(handlerFile, `${source}\nexport const broken = ;\n`);
  await waitForOutput('the failed build', /Synthesis failed; the cloud keeps running the last build\./);
  expect(output.slice(before)).toMatch(/sns-subscribe\.ts:\d+:\d+/);
  expect(output.slice(before)).not.toContain('Bundling asset TheDynamoFlowStack');
  expect((await fetch(`${gateway}still-running`)).status).toBe(200);

  spawned.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(output).toMatch(/stopped: \d+ datagrams received, \d+ accepted, 0 rejected; \d+ documents stored, 0 lost/);
}, 300_000);
