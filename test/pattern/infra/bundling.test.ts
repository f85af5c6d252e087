import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/pattern/infra/build-app.ts';

interface FunctionResource {
  readonly Type: string;
  readonly Properties: {
    readonly Code: { readonly S3Key: string };
    readonly Environment: { readonly Variables: Record<string, unknown> };
  };
}

// Stand-ins for the values CloudFormation resolves at deploy time.
const DEPLOY_TIME_VALUES: Record<string, string> = {
  TABLE_NAME: 'TheDynamoFlowStack-Hits',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:second-topic',
  QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/queue',
};

/** The real esbuild bundling of the six handlers, as `npm run synth` does it. */
describe('handler bundles', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'xray-tracer-bundles-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles each handler into one self-contained ES module that loads and exports handler', { timeout: 240_000 }, () => {
    // No node_modules above the bundles: whatever a bundle imports must be inside it
    // (externalModules: []) or be a Node.js built-in, or loading it below fails.
    expect(ancestors(outdir).filter((dir) => existsSync(path.join(dir, 'node_modules')))).toEqual([]);
    const assembly = buildApp({ outdir, env: {}, cloudFormationValidation: false }).app.synth();
    const functions = assembly.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources as Record<string, FunctionResource>)
        .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
        .map(([id, resource]) => ({ id: `${stack.stackName}/${id}`, ...resource.Properties })),
    );
    expect(functions).toHaveLength(6);

    for (const fn of functions) {
      const bundle = path.join(outdir, `asset.${fn.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');
      expect(existsSync(bundle), fn.id).toBe(true);
      expect(existsSync(`${bundle}.map`), fn.id).toBe(true);
      expect(readFileSync(bundle, 'utf8').startsWith("import { createRequire } from 'node:module';"), fn.id).toBe(true);

      const environment = Object.fromEntries(
        Object.entries(fn.Environment.Variables).map(([name, value]) => [
          name,
          typeof value === 'string' ? value : (DEPLOY_TIME_VALUES[name] ?? `${name}-value`),
        ]),
      );
      const loaded = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); console.log(typeof m.handler);`,
        ],
        { env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', ...environment }, encoding: 'utf8', timeout: 60_000 },
      );
      expect({ id: fn.id, status: loaded.status, stdout: loaded.stdout.trim() }, loaded.stderr).toEqual({
        id: fn.id,
        status: 0,
        stdout: 'function',
      });
    }
  });
});

function ancestors(dir: string): string[] {
  const parent = path.dirname(dir);
  return parent === dir ? [dir] : [dir, ...ancestors(parent)];
}
