import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, STACK_NAMES, stackEnvironment } from '../../../src/pattern/infra/build-app.ts';
import { importedFanOutTopic, patternApp } from './support.ts';

describe('buildApp', () => {
  const pattern = patternApp();
  const flows = [pattern.dynamo, pattern.http, pattern.sns, pattern.sqs];

  it('builds the five stacks of the original, by name', () => {
    expect(pattern.app.node.children.map((child) => child.node.id)).toEqual([
      'TheXrayTracerStack',
      'TheDynamoFlowStack',
      'TheHttpFlowStack',
      'TheSnsFlowStack',
      'TheSqsFlowStack',
    ]);
    expect(Object.values(STACK_NAMES)).toEqual(pattern.app.node.children.map((child) => child.node.id));
  });

  it('hands the fan-out topic to every flow as an import of the API stack export', () => {
    const fanOut = importedFanOutTopic(pattern);
    for (const flow of flows) {
      const template = JSON.stringify(Template.fromStack(flow).toJSON());
      expect(template, flow.stackName).toContain(JSON.stringify(fanOut));
      expect(flow.dependencies.map((stack) => stack.stackName)).toEqual(['TheXrayTracerStack']);
    }
  });

  it('hard-codes no region and no account without CDK_DEFAULT_ACCOUNT', () => {
    for (const stack of [pattern.api, ...flows]) {
      expect(Token.isUnresolved(stack.region), stack.stackName).toBe(true);
      expect(Token.isUnresolved(stack.account), stack.stackName).toBe(true);
      const template = JSON.stringify(Template.fromStack(stack).toJSON());
      expect(template).not.toMatch(/\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:gov-)?[a-z]+-\d\b/);
      expect(template).not.toMatch(/\b\d{12}\b/);
    }
  });

  it('deploys to the account and region the CDK CLI resolved', () => {
    const env = { CDK_DEFAULT_ACCOUNT: '111111111111', CDK_DEFAULT_REGION: 'eu-west-1' };
    const resolved = buildApp({ bundling: false, cloudFormationValidation: false, env });
    for (const stack of [resolved.api, resolved.dynamo, resolved.http, resolved.sns, resolved.sqs]) {
      expect([stack.account, stack.region]).toEqual(['111111111111', 'eu-west-1']);
    }
  });

  it('reads the environment only when an account is known', () => {
    expect(stackEnvironment({})).toBeUndefined();
    // The CLI fills in a default region even without credentials.
    expect(stackEnvironment({ CDK_DEFAULT_REGION: 'us-east-1' })).toBeUndefined();
    expect(stackEnvironment({ CDK_DEFAULT_ACCOUNT: ' ', CDK_DEFAULT_REGION: 'us-east-1' })).toBeUndefined();
    expect(stackEnvironment({ CDK_DEFAULT_ACCOUNT: '111111111111' })).toEqual({ account: '111111111111' });
    expect(stackEnvironment({ CDK_DEFAULT_ACCOUNT: '111111111111', CDK_DEFAULT_REGION: 'ap-south-1' })).toEqual({
      account: '111111111111',
      region: 'ap-south-1',
    });
  });

  describe('synthesized with the CloudFormation schema check', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'xray-tracer-synth-'));
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it('writes the five templates and passes the check without a finding', () => {
      const app = buildApp({ bundling: false, env: {}, outdir }).app;
      const assembly = app.synth();
      expect(assembly.stacks.map((stack) => path.basename(stack.templateFullPath)).sort()).toEqual(
        Object.values(STACK_NAMES)
          .map((name) => `${name}.template.json`)
          .sort(),
      );
      const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: { pluginName: string; violations: unknown[] }[];
      };
      expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
    });
  });
});
