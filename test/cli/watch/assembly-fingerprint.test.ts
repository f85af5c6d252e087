import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assemblyFingerprint } from '../../../src/cli/watch/assembly-fingerprint.ts';

describe('assemblyFingerprint', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const assembly = (files: Record<string, string>): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'assembly-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  };

  it('is equal for equal templates, whatever else the folder holds', async () => {
    const a = assembly({ 'A.template.json': '{"x":1}', 'B.template.json': '{"y":2}', 'manifest.json': '{"when":1}' });
    const b = assembly({ 'B.template.json': '{"y":2}', 'A.template.json': '{"x":1}', 'manifest.json': '{"when":2}' });
    expect(await assemblyFingerprint(a)).toBe(await assemblyFingerprint(b));
  });

  it('changes with a template\'s text, and with a template moved to another name', async () => {
    const base = await assemblyFingerprint(assembly({ 'A.template.json': '{"asset":"asset.aaa"}' }));
    expect(await assemblyFingerprint(assembly({ 'A.template.json': '{"asset":"asset.bbb"}' }))).not.toBe(base);
    expect(await assemblyFingerprint(assembly({ 'B.template.json': '{"asset":"asset.aaa"}' }))).not.toBe(base);
  });
});
