import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AssemblyError, orderStacks, readCloudAssembly } from '../../../src/cloud/template/assembly.ts';
import { readCloudModel } from '../../../src/cloud/template/reader.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/assembly/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'cloud-assembly-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('readCloudAssembly', () => {
  it('reads the stack artifacts of the manifest in dependency order, leaving other artifacts out', async () => {
    const stacks = await readCloudAssembly(FIXTURE);
    expect(stacks.map((stack) => stack.stackName)).toEqual(['ProducerStack', 'ConsumerStack']);
    expect(stacks[1]?.dependencies).toEqual(['ProducerStack']);
    expect(Object.keys(stacks[1]?.template.Resources ?? {})).toEqual(['Role', 'Fn', 'FnStaged']);
    expect(stacks[1]?.fileAssets?.get('abc123')).toBe('asset.abc123');
  });

  it('says to synthesize when there is no manifest', async () => {
    await expect(readCloudAssembly(join(scratch, 'missing'))).rejects.toThrow(/cannot read manifest .*manifest\.json.*run `npm run synth` first/);
  });

  it('names a template that is not JSON', async () => {
    const dir = join(scratch, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ artifacts: { A: { type: 'aws:cloudformation:stack', properties: { templateFile: 'A.template.json' } } } }));
    writeFileSync(join(dir, 'A.template.json'), '{ not json');
    await expect(readCloudAssembly(dir)).rejects.toThrow(/template .*A\.template\.json is not valid JSON/);
  });
});

describe('orderStacks', () => {
  it('puts dependencies first', () => {
    const ordered = orderStacks([
      { stackName: 'C', dependencies: ['B'] },
      { stackName: 'B', dependencies: ['A'] },
      { stackName: 'A', dependencies: [] },
    ]);
    expect(ordered.map((stack) => stack.stackName)).toEqual(['A', 'B', 'C']);
  });

  it('names a cycle and an unknown dependency', () => {
    expect(() => orderStacks([{ stackName: 'A', dependencies: ['B'] }, { stackName: 'B', dependencies: ['A'] }]))
      .toThrow(new AssemblyError('stack dependency cycle: A -> B -> A'));
    expect(() => orderStacks([{ stackName: 'A', dependencies: ['Z'] }])).toThrow('stack A depends on unknown stack Z');
  });
});

describe('readCloudModel', () => {
  it('resolves across stacks and locates each function\'s asset folder from its metadata', async () => {
    const model = await readCloudModel({ assemblyDir: FIXTURE, endpointUrl: 'http://127.0.0.1:9999' });
    expect(model.warnings).toEqual([]);
    const [fn, staged] = model.byType('AWS::Lambda::Function');
    const topic = model.byType('AWS::SNS::Topic')[0];
    expect(fn?.properties['Environment']).toEqual({ Variables: { TOPIC_ARN: topic?.arn } });
    expect(topic?.arn).toMatch(/^arn:aws:sns:us-east-1:000000000000:ProducerStack-Topic-[A-Z0-9]{12}$/);
    expect(fn?.properties['Role']).toBe(model.byType('AWS::IAM::Role')[0]?.arn);
    expect(fn?.properties['Code']).toEqual({ S3Bucket: 'cdk-hnb659fds-assets-000000000000-us-east-1', S3Key: 'abc123.zip' });
    expect(fn?.assetPath).toBe(join(FIXTURE, 'asset.abc123'));
    expect(fn?.dependsOn).toEqual(['Role']);
    // Without asset metadata (an App synthesized in-process) the asset manifest locates the bundle.
    expect(staged?.assetPath).toBe(join(FIXTURE, 'asset.abc123'));
    expect(model.region).toBe('us-east-1');
    expect(model.accountId).toBe('000000000000');
  });

  it('takes the region and account given', async () => {
    const model = await readCloudModel({ assemblyDir: FIXTURE, endpointUrl: 'http://127.0.0.1:9999', region: 'eu-west-1', accountId: '111111111111' });
    expect(model.byType('AWS::SNS::Topic')[0]?.arn).toMatch(/^arn:aws:sns:eu-west-1:111111111111:/);
  });
});
