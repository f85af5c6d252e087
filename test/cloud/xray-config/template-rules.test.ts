import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnSamplingRule } from 'aws-cdk-lib/aws-xray';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provisionSamplingRules } from '../../../src/cloud/xray-config/template-rules.ts';
import type { CfnTemplate } from '../../../src/cloud/template/assembly.ts';
import { model, stack } from '../template/support.ts';
import { defaultRule, FakeXrayApi } from '../sampling/fake-xray-api.ts';

/** A stack with one sampling rule, synthesized by CDK as `cdk synth` writes it. */
function synthesizedTemplate(): CfnTemplate {
  const app = new App();
  const rules = new Stack(app, 'RulesStack');
  new CfnSamplingRule(rules, 'HealthChecks', {
    samplingRule: {
      ruleName: 'health-checks',
      priority: 10,
      fixedRate: 0,
      reservoirSize: 0,
      serviceName: '*',
      serviceType: 'AWS::ApiGateway::Stage',
      host: '*',
      httpMethod: 'GET',
      urlPath: '/prod/health*',
      resourceArn: '*',
      version: 1,
    },
    tags: [{ key: 'team', value: 'platform' }],
  });
  return Template.fromStack(rules).toJSON() as CfnTemplate;
}

let api: FakeXrayApi;
let info: string[];

beforeEach(async () => {
  api = new FakeXrayApi([defaultRule()]);
  info = [];
  await api.start();
});

afterEach(async () => {
  await api.stop();
});

const logger = { info: (line: string) => info.push(line) };

describe('AWS::XRay::SamplingRule resources', () => {
  const synthesized = model(stack('RulesStack', synthesizedTemplate()));

  it('are a supported type: the template reader warns of nothing', () => {
    expect(synthesized.warnings).toEqual([]);
    expect(synthesized.byType('AWS::XRay::SamplingRule')[0]?.arn).toBe('arn:aws:xray:us-east-1:000000000000:sampling-rule/health-checks');
  });

  it('are created through the X-Ray API with CreateSamplingRule', async () => {
    const warnings = await provisionSamplingRules(synthesized, { xrayApiUrl: api.url, logger });
    expect(warnings).toEqual([]);
    expect(api.callsTo('/CreateSamplingRule').map((call) => call.body)).toEqual([{
      SamplingRule: {
        RuleName: 'health-checks',
        Priority: 10,
        FixedRate: 0,
        ReservoirSize: 0,
        ServiceName: '*',
        ServiceType: 'AWS::ApiGateway::Stage',
        Host: '*',
        HTTPMethod: 'GET',
        URLPath: '/prod/health*',
        ResourceARN: '*',
        Version: 1,
      },
      Tags: [{ Key: 'team', Value: 'platform' }],
    }]);
    expect(api.rules.get('health-checks')?.rule).toMatchObject({ URLPath: '/prod/health*', FixedRate: 0 });
    expect(info).toEqual(['sampling: rule health-checks created from RulesStack/HealthChecks']);
  });

  it('update a rule of the same name that exists already', async () => {
    api.put({ RuleName: 'health-checks', Priority: 50, FixedRate: 0.5, ReservoirSize: 2 });
    const warnings = await provisionSamplingRules(synthesized, { xrayApiUrl: api.url, logger });
    expect(warnings).toEqual([]);
    expect(api.callsTo('/CreateSamplingRule')).toEqual([]);
    const [update] = api.callsTo('/UpdateSamplingRule');
    expect(update?.body['SamplingRuleUpdate']).toMatchObject({ RuleName: 'health-checks', Priority: 10, FixedRate: 0, ReservoirSize: 0, URLPath: '/prod/health*' });
    expect(update?.body['SamplingRuleUpdate']).not.toHaveProperty('Version');
    expect(api.rules.get('health-checks')?.rule).toMatchObject({ Priority: 10, FixedRate: 0, ReservoirSize: 0 });
    expect(info).toEqual(['sampling: rule health-checks updated from RulesStack/HealthChecks']);
  });

  it('read numbers written as strings, and default Version to 1', async () => {
    const handWritten = model(stack('S', { Resources: { Rule: { Type: 'AWS::XRay::SamplingRule', Properties: {
      SamplingRule: { RuleName: 'strings', Priority: '20', FixedRate: '0.05', ReservoirSize: '1', ServiceName: '*', ServiceType: '*', Host: '*', HTTPMethod: '*', URLPath: '*', ResourceARN: '*' },
    } } } }));
    expect(await provisionSamplingRules(handWritten, { xrayApiUrl: api.url, logger })).toEqual([]);
    expect(api.callsTo('/CreateSamplingRule')[0]?.body['SamplingRule']).toMatchObject({ Priority: 20, FixedRate: 0.05, ReservoirSize: 1, Version: 1 });
  });

  it('that the API refuses, or without a SamplingRule, are warnings naming the rule and the reason', async () => {
    api.failure = { status: 400, type: 'InvalidRequestException', message: 'FixedRate is required', path: '/CreateSamplingRule' };
    const refused = model(stack('S', { Resources: {
      Bad: { Type: 'AWS::XRay::SamplingRule', Properties: { SamplingRule: { RuleName: 'bad', Priority: 10 } } },
      Bare: { Type: 'AWS::XRay::SamplingRule', Properties: { RuleName: 'bare' } },
    } }));
    expect(await provisionSamplingRules(refused, { xrayApiUrl: api.url, logger })).toEqual([
      'sampling rule bad (S/Bad) not created: InvalidRequestException: FixedRate is required',
      'sampling rule bare (S/Bare) not created: it has no SamplingRule property (the only form read here)',
    ]);
    api.put({ RuleName: 'bad' });
    api.failure = { status: 500, type: 'InternalFailure', message: 'the store is closed', path: '/UpdateSamplingRule' };
    expect(await provisionSamplingRules(refused, { xrayApiUrl: api.url, logger })).toContain(
      'sampling rule bad (S/Bad) not updated: InternalFailure: the store is closed',
    );
  });

  it('are warnings when the X-Ray API cannot be reached, or none was given', async () => {
    await api.stop();
    const [unreachable] = await provisionSamplingRules(synthesized, { xrayApiUrl: api.url, logger });
    expect(unreachable).toMatch(new RegExp(`^sampling rule health-checks \\(RulesStack/HealthChecks\\) not created: the X-Ray API at ${api.url} could not list the rules: .*ECONNREFUSED`));
    expect(await provisionSamplingRules(synthesized, { xrayApiUrl: undefined, logger })).toEqual([
      'sampling rule health-checks (RulesStack/HealthChecks) not created: the local cloud was started without an X-Ray API to create it in',
    ]);
  });
});
