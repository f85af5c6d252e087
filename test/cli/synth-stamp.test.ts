import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STAMP_FILE, startStamp, upToDateSince, writeStamp } from '../../src/cli/synth-stamp.ts';

describe('the synthesis stamp', () => {
  let root: string;
  let outdir: string;
  const env = { AWS_REGION: 'us-east-1' };
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  beforeEach(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'stamp-'));
    outdir = path.join(root, 'cdk.out');
    write('src/pattern/lambdas/http.ts', 'export const handler = 1;\n');
    write('src/pattern/infra/app.ts', 'app();\n');
    write('cdk.json', '{}');
    write('package.json', '{"name":"x"}');
    write('cdk.out/TheHttpFlowStack.template.json', '{"Resources":{}}');
    const sources = await startStamp(root, outdir, env);
    await writeStamp(outdir, sources, new Date('2026-12-02T06:21:00.000Z'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('says when cdk.out was synthesized from the sources as they are', async () => {
    expect(await upToDateSince(root, outdir, env)).toBe('2026-12-02T06:21:00.000Z');
  });

  it('is out of date after a change to a handler, a stack or a manifest, and up to date again when it is undone', async () => {
    write('src/pattern/lambdas/http.ts', 'export const handler = 2;\n');
    expect(await upToDateSince(root, outdir, env)).toBeUndefined();
    write('src/pattern/lambdas/http.ts', 'export const handler = 1;\n');
    expect(await upToDateSince(root, outdir, env)).toBe('2026-12-02T06:21:00.000Z');
    write('src/pattern/infra/new-stack.ts', 'stack();\n');
    expect(await upToDateSince(root, outdir, env)).toBeUndefined();
    rmSync(path.join(root, 'src/pattern/infra/new-stack.ts'));
    write('package-lock.json', '{}');
    expect(await upToDateSince(root, outdir, env)).toBeUndefined();
  });

  it('ignores editors\' hidden files', async () => {
    write('src/pattern/lambdas/.http.ts.swp', 'x');
    expect(await upToDateSince(root, outdir, env)).toBe('2026-12-02T06:21:00.000Z');
  });

  it('is out of date for another region, or when cdk.out was written by something else', async () => {
    expect(await upToDateSince(root, outdir, { AWS_REGION: 'eu-west-1' })).toBeUndefined();
    write('cdk.out/TheHttpFlowStack.template.json', '{"Resources":{"Other":{}}}');
    expect(await upToDateSince(root, outdir, env)).toBeUndefined();
  });

  it('is out of date when a source was saved while the synthesis ran', async () => {
    const sources = await startStamp(root, outdir, env);
    expect(await upToDateSince(root, outdir, env)).toBeUndefined();
    write('src/pattern/lambdas/http.ts', 'export const handler = 3;\n');
    await writeStamp(outdir, sources);
    expect(await upToDateSince(root, outdir, env)).toBeUndefined();
  });

  it('is out of date without a stamp, or with one that is not JSON', async () => {
    write(`cdk.out/${STAMP_FILE}`, 'not json');
    expect(await upToDateSince(root, outdir, env)).toBeUndefined();
    rmSync(path.join(outdir, STAMP_FILE));
    expect(await upToDateSince(root, outdir, env)).toBeUndefined();
  });
});
